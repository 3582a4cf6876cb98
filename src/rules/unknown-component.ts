import { COMPONENT_KINDS, componentTypes, pluginBySource, pluginComponents, type ComponentKind } from '../packer/schema.js';
import { componentUses, excludesSchemaRelease, namedBy, requiredPlugins, type ComponentUse, type RequiredPlugin } from './_schema.js';
import { closest, createRule } from './types.js';

/** How Packer names each kind in its blocks and messages. */
export const KIND_WORD: Record<ComponentKind, string> = { builders: 'source', provisioners: 'provisioner', 'post-processors': 'post-processor', 'data-sources': 'data source' };

export default createRule(
  {
    id: 'unknown-component',
    description: 'Reports source, provisioner, post-processor and data types that no known plugin provides and no required_plugins entry could provide.',
    severity: 'warning',
    messages: {
      unknown: '{{word}} type "{{type}}" is not provided by Packer or by any plugin pkrlint knows, and no required_plugins entry is named like it{{guess}}',
      notInPlugin: '{{word}} type "{{type}}" is not provided by the plugin {{source}} (required_plugins entry "{{name}}"): Packer fails with "Unknown {{word}} type"{{guess}}',
      wrongKind: '"{{type}}" is a {{other}}, not a {{word}}: Packer fails with "Unknown {{word}} type"',
    },
  },
  (ctx) => {
    const uses = componentUses(ctx);
    if (!uses.length) return;
    const known = new Map(COMPONENT_KINDS.map((k) => [k, new Set(componentTypes(k))]));
    const { entries } = requiredPlugins(ctx);
    for (const use of uses) {
      if (known.get(use.kind)!.has(use.type) || providedByEntry(use, entries)) continue;
      const other = COMPONENT_KINDS.find((k) => k !== use.kind && known.get(k)!.has(use.type));
      const word = KIND_WORD[use.kind];
      if (other) {
        ctx.report({ messageId: 'wrongKind', data: { type: use.type, other: KIND_WORD[other], word }, file: use.file, start: use.start, end: use.end });
        continue;
      }
      const g = closest(use.type, [...known.get(use.kind)!]);
      const guess = g ? `; did you mean "${g}"?` : '';
      // An entry named like the type whose plugin pkrlint knows, and which has no such component.
      const entry = entries.find((e) => namedBy(e.name, use.type) && e.source !== undefined && pluginBySource(e.source));
      if (entry) {
        ctx.report({ messageId: 'notInPlugin', data: { word, type: use.type, source: pluginBySource(entry.source!)!.source, name: entry.name, guess }, file: use.file, start: use.start, end: use.end });
        continue;
      }
      ctx.report({ messageId: 'unknown', data: { word, type: use.type, guess }, file: use.file, start: use.start, end: use.end });
    }
  },
);

/**
 * Whether a required_plugins entry could provide the type: a plugin pkrlint has no schema of, installed under a local
 * name the type starts with, or a known plugin that has the type under that local name (`aws` for amazon: `aws-ebs`).
 */
function providedByEntry(use: ComponentUse, entries: RequiredPlugin[]): boolean {
  return entries.some((e) => {
    if (!namedBy(e.name, use.type)) return false;
    const plugin = e.source === undefined ? undefined : pluginBySource(e.source);
    // A plugin outside the schema, or a release of it older than the schema's, may have the type.
    if (!plugin || excludesSchemaRelease(e, plugin)) return true;
    const suffix = use.type.slice(e.name.length);
    return pluginComponents(plugin.source).some((c) => c.kind === use.kind && c.type === `${plugin.plugin}${suffix}`);
  });
}
