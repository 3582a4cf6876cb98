import { block, blank, type OutItem } from '../hcl/model.js';
import { member, type JsonNode } from '../syntax/json.js';
import { convertMembers, type BodyOptions } from './body.js';
import { fixComponent } from './fixers.js';
import { Names, type Migration, type Notes } from './context.js';
import { argumentRewrites, REWRITES } from './rewrites.js';
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

export function convertBuilders(m: Migration, builders: JsonNode | undefined, used: Used): { sources: SourceRef[]; items: OutItem[] } {
  const sources: SourceRef[] = [];
  const items: OutItem[] = [];
  if (builders?.kind !== 'array') return { sources, items };
  // Names are assigned up front: a builder whose name is already valid keeps it, whatever comes before it.
  const jsonNames = builders.items.map((b) => {
    if (b.kind !== 'object') return undefined;
    const t = member(b, 'type')?.value;
    const n = member(b, 'name')?.value;
    return t?.kind !== 'string' ? undefined : n?.kind === 'string' ? n.value : t.value;
  });
  const given = new Names().assign(jsonNames.filter((n): n is string => n !== undefined));
  const nameOf = new Map<number, string>();
  let next = 0;
  jsonNames.forEach((n, i) => n !== undefined && nameOf.set(i, given[next++]));
  const seen = new Map<string, JsonNode>();
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
    const jsonName = jsonNames[idx]!;
    // packer fix's rewrites first; a renamed type keeps the build's name (an unnamed builder was named after its old type).
    const fixed = fixComponent(m, 'builders', b, typeNode.value, `builder "${jsonName}"`);
    const type = fixed.type;
    const name = nameOf.get(idx)!;
    const earlier = seen.get(jsonName);
    const duplicate = earlier && `builder name "${jsonName}" is used by more than one builder (Packer rejects this JSON template): this one is now source "${type}.${name}", and only/except/override entries naming "${jsonName}" refer to the first`;
    if (!earlier) seen.set(jsonName, b);
    if (name !== jsonName) m.add('renamed', `builder "${jsonName}" is now source "${type}.${name}": source.name (formerly {{build_name}}) and HCP Packer component names change with it`, nameNode ?? typeNode);
    sources.push({ jsonName, type, name });
    const { spec, jsonOnly, problem } = useComponent(used, 'builders', type, typeNode);
    const rules = REWRITES.builders;
    const scopeFor = (notes: Notes) => m.scope(rules.place, b, notes, { buildName: jsonName, buildType: type });
    const opts: BodyOptions = { skip: rules.handled, spec, jsonOnly, core: rules.core, rewrites: argumentRewrites('builders', type), what: `builder "${jsonName}"` };
    const body = convertMembers(m, fixed.node.members, scopeFor, { ...opts, rewrites: fixed.rewrites(opts) });
    if (items.length) items.push(blank());
    const notes = m.notesOf();
    for (const n of fixed.blockNotes) notes.add(n.level, n.message, n.at);
    if (duplicate) notes.add('review', duplicate, nameNode ?? typeNode);
    if (problem) notes.add('review', problem, typeNode);
    items.push(notes.on(block('source', [type, name], body)));
  });
  if (sources.length) m.add('converted', `${sources.length} builder${sources.length === 1 ? '' : 's'} to source blocks: ${sources.map((s) => `${s.type}.${s.name}`).join(', ')}`, builders);
  return { sources, items };
}
