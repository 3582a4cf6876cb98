import { attr, block, commentOf, isIdentifier, list, type OutExpr, type OutItem, type OutObjectEntry } from '../hcl/model.js';
import type { JsonMember, JsonNode } from '../syntax/json.js';
import type { Migration, ScopeFor } from './context.js';
import type { ArgumentRewrite } from './rewrites.js';
import type { Spec } from './schema.js';
import { translateString, type Scope } from './translate.js';

/** A JSON value as an HCL expression; strings go through the Go template translator. */
export function jsonToExpr(node: JsonNode, scope: Scope): OutExpr {
  switch (node.kind) {
    case 'string':
      return translateString(node.value, scope);
    case 'number':
      return { kind: 'number', raw: node.raw };
    case 'boolean':
      return { kind: 'bool', value: node.value };
    case 'null':
      return { kind: 'null' };
    case 'array':
      return list(node.items.map((i) => jsonToExpr(i, scope)));
    case 'object':
      return objectExpr(node.members, (m) => ({ key: m.key, value: jsonToExpr(m.value, scope) }));
  }
}

/** An object expression from JSON members; comment keys become comments on the next entry. */
export function objectExpr(members: JsonMember[], entry: (m: JsonMember) => { key: string; value: OutExpr }): OutExpr {
  const entries: OutObjectEntry[] = [];
  let comments: string[] = [];
  for (const m of lastOfEachKey(members)) {
    if (isCommentKey(m)) {
      for (const line of commentLines(m)) comments.push(line);
      continue;
    }
    entries.push({ ...entry(m), comments: comments.length ? comments : undefined });
    comments = [];
  }
  // Comment keys after the last entry (or in an object of comments only) stay as comments before the `}`.
  return comments.length ? { kind: 'object', entries, trailing: comments } : { kind: 'object', entries };
}

/** Go's JSON decoding keeps the last of duplicate keys; HCL rejects a redefined attribute. */
export function lastOfEachKey(members: JsonMember[]): JsonMember[] {
  const last = new Map<string, JsonMember>();
  for (const m of members) last.set(m.key, m);
  return members.filter((m) => last.get(m.key) === m);
}

/** `_comment`-style keys (any key starting with `_` whose value is text) are comments in legacy templates. */
export function isCommentKey(m: JsonMember): boolean {
  return m.key.startsWith('_') && (m.value.kind === 'string' || (m.value.kind === 'array' && m.value.items.every((i) => i.kind === 'string')));
}

export function commentLines(m: JsonMember): string[] {
  const texts = m.value.kind === 'string' ? [m.value.value] : m.value.kind === 'array' ? m.value.items.map((i) => (i.kind === 'string' ? i.value : '')) : [];
  const lines = texts.flatMap((t) => t.split(/\r?\n/)).map((l) => l.trimEnd());
  // Keys other than `_comment` keep their name, which often says what the text is (`_author`, `_note`).
  if (m.key !== '_comment' && lines.length) lines[0] = `${m.key}: ${lines[0]}`;
  return lines;
}

export interface BodyOptions {
  /** Keys handled by the caller (type, name, only, …). */
  skip: ReadonlySet<string>;
  /** The component's schema; undefined when the component is unknown (nested objects are then decided by shape). */
  spec: Spec | undefined;
  /** Keys the JSON accepts but the component's HCL2 spec rejects. */
  jsonOnly?: string[];
  /** Core arguments valid in the block besides the component's own (pause_before, keep_input_artifact, …). */
  core?: ReadonlySet<string>;
  /** Arguments of this component type written in another form (rewrites.ts). */
  rewrites?: ReadonlyMap<string, ArgumentRewrite>;
  what: string;
}

/** Converts the members of a component's JSON object into HCL body items, deciding blocks from the schema. */
/** Unknown component: a JSON object with nested objects/arrays is most likely a block, an array of objects blocks, else a map. */
function byShape(v: JsonNode): 'block' | 'blocks' | undefined {
  if (v.kind === 'object') return v.members.some((x) => x.value.kind === 'object' || x.value.kind === 'array') ? 'block' : undefined;
  return v.kind === 'array' && v.items.length > 0 && v.items.every((i) => i.kind === 'object') ? 'blocks' : undefined;
}

/**
 * Converts a component's members to body items; the notes raised about a member (its duplicate keys, the schema, the
 * translation of its value) are carried by the first item it becomes.
 */
export function convertMembers(m: Migration, members: JsonMember[], scopeFor: ScopeFor, opts: BodyOptions): OutItem[] {
  const items: OutItem[] = [];
  const kept = lastOfEachKey(members);
  // Without a schema, every nested object (or array of objects) is decided by its shape: one note names them all.
  const shaped = opts.spec
    ? []
    : kept.filter((x) => !opts.skip.has(x.key) && !opts.rewrites?.has(x.key) && !isCommentKey(x) && isIdentifier(x.key) && !opts.core?.has(x.key) && !opts.jsonOnly?.includes(x.key) && (x.value.kind === 'object' || byShape(x.value)));
  for (const mem of kept) {
    if (opts.skip.has(mem.key)) continue;
    const notes = m.notesOf(mem);
    const scope = scopeFor(notes);
    const rewrite = opts.rewrites?.get(mem.key);
    if (rewrite) {
      const written = rewrite(m, mem, kept, scope, notes, scopeFor);
      // The member's notes go to the first item it became; a member that became nothing leaves its TODOs where it stood.
      const first = written.find((i): i is Exclude<OutItem, { type: 'blank' }> => i.type !== 'blank');
      if (first) notes.on(first);
      else for (const t of notes.alone()) items.push(t);
      for (const item of written) items.push(item);
      continue;
    }
    if (isCommentKey(mem)) {
      items.push(notes.on(commentOf(commentLines(mem))));
      continue;
    }
    if (!isIdentifier(mem.key)) {
      items.push(notes.on(m.todo(`${opts.what}: "${mem.key}" cannot be an HCL2 argument name; not carried over (value: ${m.json(mem.value)})`, mem.keyStart)));
      continue;
    }
    if (opts.jsonOnly?.includes(mem.key)) {
      items.push(notes.on(m.todo(`${opts.what}: "${mem.key}" is accepted in JSON but not by the plugin's HCL2 schema; not carried over (value: ${m.json(mem.value)})`, mem.value)));
      continue;
    }
    const spec = opts.spec?.[mem.key];
    if (opts.spec && !spec && !opts.core?.has(mem.key)) {
      notes.add('review', `${opts.what}: "${mem.key}" is not an argument in the plugin's schema`, mem.keyStart);
    }
    const v = mem.value;
    const objects = v.kind === 'array' && v.items.length > 0 && v.items.every((i) => i.kind === 'object');
    let asBlocks: 'block' | 'blocks' | undefined;
    let nested: Spec | undefined;
    if (spec?.kind === 'block' || spec?.kind === 'block-list') {
      nested = spec.nested;
      if (v.kind === 'object') asBlocks = 'block';
      else if (objects) asBlocks = 'blocks';
      if (spec.kind === 'block' && objects && v.kind === 'array' && v.items.length > 1)
        notes.add('review', `${opts.what}: "${mem.key}" is a single block in the schema but the JSON gives ${v.items.length}`, mem.keyStart);
    } else if (!spec && !opts.spec && !opts.core?.has(mem.key)) {
      asBlocks = byShape(v);
      if (shaped[0] === mem) {
        const decided = shaped.map((x) => `"${x.key}" ${byShape(x.value) === 'block' ? 'a block' : byShape(x.value) === 'blocks' ? 'blocks' : 'an attribute'}`);
        notes.add('review', `${opts.what}: no plugin schema is known, so ${shaped.length === 1 ? 'this was' : 'these were'} decided by shape: ${decided.join(', ')}`, mem.keyStart);
      }
    }
    if (asBlocks) {
      const objs = v.kind === 'object' ? [v] : v.kind === 'array' ? v.items : [];
      // (One block per array element, pushed one by one: no spread of a long array.) The notes go to the first.
      objs.forEach((o, i) => {
        const b = block(mem.key, [], o.kind === 'object' ? convertMembers(m, o.members, scopeFor, { skip: new Set(), spec: nested, what: `${opts.what} ${mem.key}` }) : []);
        items.push(i === 0 ? notes.on(b) : b);
      });
    } else items.push(notes.on(attr(mem.key, jsonToExpr(v, scope))));
  }
  return items;
}
