import { bundledComponent, findComponent, pluginBySource, type Plugin } from '../packer/schema.js';
import { sinceAllows, supports } from '../packer/version.js';
import { componentUses, namedBy, requiredPlugins, type ComponentUse, type RequiredPluginsBlock } from './_schema.js';
import { KIND_WORD } from './unknown-component.js';
import { createRule, type Fix } from './types.js';

export default createRule(
  {
    id: 'required-plugins',
    description: 'Reports components whose plugin is not in packer { required_plugins }, so packer init does not install it.',
    severity: 'warning',
    fixable: true,
    messages: {
      missing: '{{word}} "{{type}}" comes from the plugin {{source}}, which no required_plugins entry names: `packer init` does not install it, and Packer {{target}} fails with "Unknown {{word}} type" unless it was installed by hand',
    },
  },
  (ctx) => {
    const target = ctx.target.version;
    if (!supports(target, 'required-plugins')) return;
    const { entries, blocks } = requiredPlugins(ctx);
    // Without any required_plugins block the configuration does not use `packer init`: its plugins are installed by
    // hand or by the CI image (as in the plugins' own test fixtures), and there is no list to complete.
    if (!blocks.some((b) => b.block)) return;
    const reported = new Set<string>();
    for (const use of componentUses(ctx)) {
      const plugin = pluginOf(use, target);
      if (!plugin || reported.has(plugin.source) || entries.some((e) => namedBy(e.name, use.type))) continue;
      reported.add(plugin.source);
      ctx.report({
        messageId: 'missing',
        data: { word: KIND_WORD[use.kind], type: use.type, source: plugin.source, target },
        file: use.file,
        start: use.start,
        end: use.end,
        fix: addEntry(use, plugin, blocks),
      });
    }
  },
);

/**
 * The plugin a component comes from, when the target Packer does not have it built in: a component of components.json
 * outside Packer core, or a type Packer once bundled whose plugin is known, for targets after it was unbundled.
 */
function pluginOf(use: ComponentUse, target: string): Plugin | undefined {
  const bundled = bundledComponent(use.kind, use.type);
  if (bundled && sinceAllows(target, bundled.first_bundled) && (bundled.not_bundled_since === undefined || !sinceAllows(target, bundled.not_bundled_since))) return undefined;
  const c = findComponent(use.kind, use.type);
  if (c) return c.source === 'packer-core' ? undefined : pluginBySource(c.source);
  return bundled?.current_source && !bundled.current_name ? pluginBySource(bundled.current_source) : undefined;
}

/** The entry for the plugin, added to the first required_plugins block of a native HCL file (JSON ones are not edited). */
function addEntry(use: ComponentUse, plugin: Plugin, found: RequiredPluginsBlock[]): Fix | undefined {
  const name = plugin.plugin;
  // The plugin's own name, so that its components keep their documented names (amazon → amazon-ebs).
  if (!namedBy(name, use.type)) return undefined;
  const target = found.find((b) => b.block && b.file.kind === 'hcl');
  if (!target?.block) return undefined;
  const { file, block } = target;
  const text = file.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart(block.start)))![0];
  const inner = `${indent}  `;
  const lines = [`${inner}${name} = {`, `${inner}  source  = "${plugin.source}"`, `${inner}  version = "${plugin.version}"`, `${inner}}`].join(eol);
  const close = block.end - 1;
  const description = `Add ${name} (${plugin.source}) to required_plugins`;
  // The closing brace on a line of its own: the entry goes on the lines before it.
  if (/^[ \t]*$/.test(text.slice(lineStart(close), close))) return { description, edits: [{ file, start: lineStart(close), end: lineStart(close), text: lines + eol }] };
  // `required_plugins {}` or an entry closing on the brace's line: the brace goes on a line of its own.
  const open = text.indexOf('{', block.typeEnd);
  const empty = /^[ \t]*$/.test(text.slice(open + 1, close));
  return { description, edits: [{ file, start: empty ? open + 1 : close, end: close, text: eol + lines + eol + indent }] };
}
