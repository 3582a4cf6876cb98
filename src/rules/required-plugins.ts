import { bundledComponent, findComponent, pluginBySource, type Plugin } from '../packer/schema.js';
import type { SourceFile } from '../packer/unit.js';
import { sinceAllows, supports } from '../packer/version.js';
import type { Block } from '../syntax/hcl.js';
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

/** The entry for the plugin, added to the first required_plugins block (or packer block) of a native HCL file. */
function addEntry(use: ComponentUse, plugin: Plugin, found: RequiredPluginsBlock[]): Fix | undefined {
  const name = plugin.plugin;
  // The plugin's own name, so that its components keep their documented names (amazon → amazon-ebs).
  if (!namedBy(name, use.type)) return undefined;
  const description = `Add ${name} (${plugin.source}) to required_plugins`;
  const entry = (indent: string) => [`${indent}${name} = {`, `${indent}  source  = "${plugin.source}"`, `${indent}  version = "${plugin.version}"`, `${indent}}`];
  const native = found.filter((b) => b.file.kind === 'hcl');
  const target = native.find((b) => b.block) ?? native[0];
  if (target) {
    const into = target.block ?? target.packer;
    const indent = indentOf(target.file, into);
    const lines = target.block ? entry(`${indent}  `) : [`${indent}  required_plugins {`, ...entry(`${indent}    `), `${indent}  }`];
    return { description, edits: [insertBeforeClose(target.file, into, lines, indent)] };
  }
  if (use.file.kind !== 'hcl') return undefined;
  const eol = use.file.text.includes('\r\n') ? '\r\n' : '\n';
  const text = ['packer {', '  required_plugins {', ...entry('    '), '  }', '}', '', ''].join(eol);
  return { description, edits: [{ file: use.file, start: 0, end: 0, text }] };
}

function indentOf(file: SourceFile, b: Block): string {
  const lineStart = file.text.lastIndexOf('\n', b.start - 1) + 1;
  return /^[ \t]*/.exec(file.text.slice(lineStart))![0];
}

/** Lines inserted before a block's closing brace, on lines of their own. */
function insertBeforeClose(file: SourceFile, b: Block, lines: string[], indent: string) {
  const eol = file.text.includes('\r\n') ? '\r\n' : '\n';
  const close = b.end - 1;
  const lineStart = file.text.lastIndexOf('\n', close - 1) + 1;
  if (/^[ \t]*$/.test(file.text.slice(lineStart, close))) return { file, start: lineStart, end: lineStart, text: lines.join(eol) + eol };
  // `packer {}` or `required_plugins { … }` closing on a line with other text: the brace goes on a line of its own.
  const open = file.text.indexOf('{', b.typeEnd);
  const inner = file.text.slice(open + 1, close);
  if (/^[ \t]*$/.test(inner)) return { file, start: open + 1, end: close, text: eol + lines.join(eol) + eol + indent };
  return { file, start: close, end: close, text: eol + lines.join(eol) + eol + indent };
}

