import { attr, block, list, str, type OutBlock, type OutExpr, type OutItem } from '../hcl/model.js';
import { member, type JsonNode } from '../syntax/json.js';
import { convertMembers, jsonToExpr, objectExpr, type BodyOptions } from './body.js';
import { fixComponent } from './fixers.js';
import { useComponent, type SourceRef, type Used } from './builders.js';
import type { Migration, Notes } from './context.js';
import { argumentRewrites, REWRITES } from './rewrites.js';
import type { ArgSpec, ComponentKind } from './schema.js';

/** Sources by JSON builder name (the first of a duplicated name), built once per template's list of sources. */
const byJsonName = new WeakMap<SourceRef[], Map<string, SourceRef>>();

/** The source a JSON builder name refers to: a lookup, not a scan (a template may have thousands of builders and names). */
function sourceNamed(sources: SourceRef[], jsonName: string): SourceRef | undefined {
  let index = byJsonName.get(sources);
  if (!index) {
    index = new Map();
    for (const s of sources) if (!index.has(s.jsonName)) index.set(s.jsonName, s);
    byJsonName.set(sources, index);
  }
  return index.get(jsonName);
}

/** `only`/`except` name JSON builders; HCL2 matches `type.name`, so every entry is rewritten to its source. */
export function filterExpr(m: Migration, node: JsonNode, sources: SourceRef[], key: string, notes: Notes): OutExpr {
  if (node.kind !== 'array') {
    notes.add('review', `"${key}" is not a list of builder names; copied as is`, node);
    return jsonToExpr(node, m.scope('other', node, notes));
  }
  return list(
    node.items.map((i) => {
      if (i.kind !== 'string') {
        notes.add('review', `"${key}" entry is not a string`, i);
        return jsonToExpr(i, m.scope('other', i, notes));
      }
      const s = sourceNamed(sources, i.value);
      if (!s) {
        notes.add('review', `"${key}" names "${i.value}", which is no builder of this template; copied as is`, i);
        return str(i.value);
      }
      return str(`${s.type}.${s.name}`);
    }),
  );
}

function overrideExpr(m: Migration, node: JsonNode, sources: SourceRef[], notes: Notes): OutExpr {
  if (node.kind !== 'object') {
    notes.add('review', '"override" is not an object; copied as is', node);
    return jsonToExpr(node, m.scope('other', node, notes));
  }
  return objectExpr(node.members, (mem) => {
    const s = sourceNamed(sources, mem.key);
    if (!s) notes.add('review', `"override" names "${mem.key}", which is no builder of this template; kept under that key`, mem.keyStart);
    // Packer does not evaluate source.* inside override bodies: the build name and type are written as literals.
    const scope = m.scope('override', mem.value, notes, { buildName: s?.jsonName ?? mem.key, buildType: s?.type });
    return { key: s ? s.name : mem.key, value: jsonToExpr(mem.value, scope) };
  });
}

/** A provisioner or post-processor object as a block of the given name. */
export function convertComponent(
  m: Migration,
  node: JsonNode,
  kind: Exclude<ComponentKind, 'builders'>,
  blockName: string,
  sources: SourceRef[],
  used: Used,
  what: string,
): OutItem[] {
  if (node.kind === 'string') {
    const { problem } = useComponent(used, kind, node.value, node);
    const notes = m.notesOf();
    if (problem) notes.add('review', problem, node);
    return [notes.on(block(blockName, [node.value]))];
  }
  if (node.kind !== 'object') return [m.todo(`${what} is not an object; not converted`, node)];
  const typeNode = member(node, 'type')?.value;
  if (typeNode?.kind !== 'string') return [m.todo(`${what} has no "type"; not converted`, node)];
  const fixed = fixComponent(m, kind, node, typeNode.value, `${what} "${typeNode.value}"`);
  const type = fixed.type;
  const { spec, jsonOnly, problem } = useComponent(used, kind, type, typeNode);
  const rules = REWRITES[kind];
  const scopeFor = (notes: Notes) => m.scope(rules.place, node, notes);
  // A component whose own schema has an `override` argument (the vagrant post-processor) keeps it as an argument.
  const ownOverride = !rules.override && spec?.override !== undefined;
  const skip = ownOverride ? new Set([...rules.handled].filter((k) => k !== 'override')) : rules.handled;
  const head: OutItem[] = [];
  for (const key of ['only', 'except']) {
    const f = member(node, key);
    if (!f) continue;
    const notes = m.notesOf();
    head.push(notes.on(attr(key, filterExpr(m, f.value, sources, key, notes))));
  }
  const opts: BodyOptions = { skip, spec, jsonOnly, core: rules.core, rewrites: argumentRewrites(kind, type), what: `${what} "${type}"` };
  const body = [...head, ...convertMembers(m, fixed.node.members, scopeFor, { ...opts, rewrites: fixed.rewrites(opts) })];
  const ov = member(node, 'override');
  if (ov && ownOverride) reviewOwnOverride(m, body, ov.value, `${what} "${type}"`, spec?.override);
  if (ov && !ownOverride) {
    if (rules.override) {
      const notes = m.notesOf();
      body.push(notes.on(attr('override', overrideExpr(m, ov.value, sources, notes))));
    } else body.push(m.todo(`post-processor "${type}" has an "override", which post-processors do not support; not carried over`, ov.keyStart));
  }
  const notes = m.notesOf();
  if (problem) notes.add('review', problem, typeNode);
  for (const n of fixed.blockNotes) notes.add(n.level, n.message, n.at);
  return [notes.on(block(blockName, [type], body))];
}

/**
 * The vagrant post-processor's own `override` (per-provider settings) is `map(string)` in the plugin's HCL2 schema, so
 * Packer rejects per-provider objects there ("Incorrect attribute value type"): the argument is carried over as the
 * JSON had it, with a review that says so (pkrlint check reports it as argument-type).
 */
function reviewOwnOverride(m: Migration, body: OutItem[], value: JsonNode, what: string, arg: ArgSpec | undefined): void {
  if (arg?.kind !== 'attr' || arg.type !== 'map(string)' || value.kind !== 'object' || !value.members.some((x) => x.value.kind === 'object' || x.value.kind === 'array')) return;
  const item = body.find((i): i is Extract<OutItem, { type: 'attribute' }> => i.type === 'attribute' && i.name === 'override');
  if (!item) return;
  const notes = m.notesOf();
  notes.add('review', `${what}: "override" is a map of strings in the plugin's HCL2 schema, so Packer rejects per-provider settings here ("Incorrect attribute value type"); set them in the post-processor itself, or build each provider separately`, value);
  notes.on(item);
}

export function convertProvisioners(m: Migration, provisioners: JsonNode | undefined, sources: SourceRef[], used: Used): OutItem[] {
  if (provisioners?.kind !== 'array') return [];
  const items = provisioners.items.flatMap((p, i) => convertComponent(m, p, 'provisioners', 'provisioner', sources, used, `provisioner #${i + 1}`));
  const n = provisioners.items.length;
  if (n) m.add('converted', `${n} provisioner${n === 1 ? '' : 's'}`, provisioners);
  return items;
}

/** Top-level post-processors: an object or a string is a chain of one (`post-processor`), an array is a chain (`post-processors`). */
export function convertPostProcessors(m: Migration, pps: JsonNode | undefined, sources: SourceRef[], used: Used): OutItem[] {
  if (pps?.kind !== 'array') return [];
  let chains = 0;
  const items = pps.items.flatMap((pp, i): OutItem[] => {
    if (pp.kind === 'array') {
      chains++;
      const inner = pp.items.flatMap((q, j) => convertComponent(m, q, 'post-processors', 'post-processor', sources, used, `post-processor #${i + 1}.${j + 1}`));
      const chain: OutBlock = block('post-processors', [], inner);
      return [chain];
    }
    chains++;
    return convertComponent(m, pp, 'post-processors', 'post-processor', sources, used, `post-processor #${i + 1}`);
  });
  if (chains) m.add('converted', `${chains} post-processor chain${chains === 1 ? '' : 's'}`, pps);
  return items;
}
