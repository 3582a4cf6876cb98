import { block, blank, type Item } from '../hcl/model.js';
import { member, type JsonNode } from '../syntax/json.js';
import { convertMembers } from './body.js';
import { Names, sanitizeName, type Migration } from './context.js';
import { lookupComponent, type ComponentKind, type Spec } from './schema.js';

export interface SourceRef {
  /** The builder's JSON build name: its `name`, or its `type` when unnamed. */
  jsonName: string;
  type: string;
  name: string;
}

/** The components a template uses, for required_plugins. */
export type Used = Map<string, { kind: ComponentKind; type: string; at: JsonNode }>;

export interface ComponentUse {
  spec: Spec | undefined;
  jsonOnly: string[];
  /** Why its plugin cannot be declared in required_plugins: said once, at the first use of the type. */
  problem?: string;
}

/** Records a component for required_plugins and looks up its schema. */
export function useComponent(used: Used, kind: ComponentKind, type: string, at: JsonNode): ComponentUse {
  const key = `${kind}:${type}`;
  const first = !used.has(key);
  if (first) used.set(key, { kind, type, at });
  const l = lookupComponent(kind, type);
  if (l.found === 'schema') return { spec: l.component.spec, jsonOnly: l.component.jsonOnly };
  if (!first) return { spec: undefined, jsonOnly: [] };
  const label = `${kind.replace(/s$/, '')} "${type}"`;
  let problem: string;
  if (l.found === 'bundled' && l.source) {
    const renamed = l.currentName ? `; the plugin names it "${l.currentName}"` : '';
    problem = `${label} comes from ${l.source}, whose schema is unknown to pkrlint${renamed}: add that plugin to required_plugins with a version`;
  } else problem = `${label} is not a known component: add its plugin to required_plugins by hand`;
  return { spec: undefined, jsonOnly: [], problem };
}

export function convertBuilders(m: Migration, builders: JsonNode | undefined, used: Used): { sources: SourceRef[]; items: Item[] } {
  const sources: SourceRef[] = [];
  const items: Item[] = [];
  if (builders?.kind !== 'array') return { sources, items };
  const names = new Names();
  builders.items.forEach((b, idx) => {
    if (b.kind !== 'object') {
      items.push(m.todo(`builder #${idx + 1} is not an object; not converted`, b));
      return;
    }
    const typeNode = member(b, 'type')?.value;
    const nameNode = member(b, 'name')?.value;
    if (typeNode?.kind !== 'string') {
      items.push(m.todo(`builder #${idx + 1} has no "type"; not converted`, b));
      return;
    }
    const type = typeNode.value;
    const jsonName = nameNode?.kind === 'string' ? nameNode.value : type;
    const name = names.take(sanitizeName(jsonName));
    if (name !== jsonName) m.add('renamed', `builder "${jsonName}" is now source "${type}.${name}": source.name (formerly {{build_name}}) and HCP Packer component names change with it`, nameNode ?? typeNode);
    sources.push({ jsonName, type, name });
    const { spec, jsonOnly, problem } = useComponent(used, 'builders', type, typeNode);
    const scope = m.scope('builder', b, { buildName: jsonName, buildType: type });
    const body = convertMembers(m, b.members, scope, { skip: new Set(['type', 'name']), spec, jsonOnly, what: `builder "${jsonName}"` });
    if (items.length) items.push(blank());
    if (problem) m.defer('review', problem, typeNode);
    items.push(...m.emit([block('source', [type, name], body)]));
  });
  if (sources.length) m.add('converted', `${sources.length} builder${sources.length === 1 ? '' : 's'} to source blocks: ${sources.map((s) => `${s.type}.${s.name}`).join(', ')}`, builders);
  return { sources, items };
}
