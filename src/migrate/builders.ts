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

export function useComponent(used: Used, kind: ComponentKind, type: string, at: JsonNode): void {
  const key = `${kind}:${type}`;
  if (!used.has(key)) used.set(key, { kind, type, at });
}

/** Looks up a component's schema; reports when the type is unknown. */
export function componentSpec(_m: Migration, kind: ComponentKind, type: string, at: JsonNode): { spec: Spec | undefined; jsonOnly: string[] } {
  const l = lookupComponent(kind, type);
  if (l.found === 'schema') return { spec: l.component.spec, jsonOnly: l.component.jsonOnly };
  return { spec: undefined, jsonOnly: [] };
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
    useComponent(used, 'builders', type, typeNode);
    const { spec, jsonOnly } = componentSpec(m, 'builders', type, typeNode);
    const scope = m.scope('builder', b, { buildName: jsonName, buildType: type });
    const body = convertMembers(m, b.members, scope, { skip: new Set(['type', 'name']), spec, jsonOnly, what: `builder "${jsonName}"` });
    if (items.length) items.push(blank());
    items.push(...m.emit([block('source', [type, name], body)]));
  });
  if (sources.length) m.add('converted', `${sources.length} builder${sources.length === 1 ? '' : 's'} to source blocks: ${sources.map((s) => `${s.type}.${s.name}`).join(', ')}`, builders);
  return { sources, items };
}
