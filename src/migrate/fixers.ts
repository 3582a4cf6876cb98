/**
 * packer fix's rewrites (src/packer/removed.ts) applied to one component of a legacy JSON template before it is
 * converted: the JSON object is rewritten member by member (unchanged members keep their identity), and every
 * rewrite is reported as `converted` at the JSON place it came from, tied to the output line it ends up on.
 */
import type { OutItem } from '../hcl/model.js';
import { FIXERS, isEsxiOption, esxiMessage, POWERSHELL_ESCAPED, type ComponentKind, type Edit, type Fixer, type Plain, type Value, type View, OPAQUE } from '../packer/removed.js';
import { plainValue, type JsonMember, type JsonNode } from '../syntax/json.js';
import { convertMembers, lastOfEachKey, type BodyOptions } from './body.js';
import type { Migration } from './context.js';
import type { ArgumentRewrite } from './rewrites.js';
import type { ReportLevel } from './report.js';

type JsonObject = Extract<JsonNode, { kind: 'object' }>;

interface Note {
  level: ReportLevel;
  message: string;
  at: number;
}

export interface FixedComponent {
  /** The component with every rewrite applied. */
  node: JsonObject;
  /** Its type after renames. */
  type: string;
  /** Notes about the component as a whole (removed arguments, a renamed type): to be deferred before its block. */
  blockNotes: Note[];
  /** Rewrites of single arguments, for convertMembers: each reports its notes and converts the argument as usual. */
  rewrites: (opts: BodyOptions) => ReadonlyMap<string, ArgumentRewrite>;
}

/** A plain value as a JSON node placed at `at` (for line numbers and the sensitive-value check). */
function toNode(v: Plain, at: { start: number; end: number }): JsonNode {
  const { start, end } = at;
  if (v === null) return { kind: 'null', start, end };
  if (typeof v === 'string') return { kind: 'string', start, end, value: v };
  if (typeof v === 'number') return { kind: 'number', start, end, value: v, raw: String(v) };
  if (typeof v === 'boolean') return { kind: 'boolean', start, end, value: v };
  if (Array.isArray(v)) return { kind: 'array', start, end, items: v.map((x) => toNode(x, at)) };
  return { kind: 'object', start, end, members: Object.entries(v).map(([key, x]) => ({ key, keyStart: start, keyEnd: start, value: toNode(x, at) })) };
}

/** A value as text in a string built from pieces (JSON values are always known; an unknown one is empty). */
function text(v: Value | undefined): string {
  return typeof v === 'string' ? v : v === undefined || v === OPAQUE ? '' : JSON.stringify(v);
}

/** Runs the fixers over one component (`what` names it in messages, e.g. `builder "web"`). */
export function fixComponent(m: Migration, kind: ComponentKind, node: JsonObject, type: string, what: string): FixedComponent {
  let members = lastOfEachKey(node.members);
  const original = members;
  let current = type;
  const notes = new Map<string, Note[]>();
  const blockNotes: Note[] = [];
  const get = (key: string) => members.find((x) => x.key === key);
  const note = (key: string, level: ReportLevel, message: string, at: number) => {
    const list = notes.get(key);
    if (list) list.push({ level, message, at });
    else notes.set(key, [{ level, message, at }]);
  };
  const view: View = {
    kind,
    get type() {
      return current;
    },
    get: (key) => {
      const x = get(key);
      return x ? (plainValue(x.value) as Plain) : undefined;
    },
    keys: () => members.map((x) => x.key),
  };
  /** Puts a member where `anchor` stands (or at the end), removing the others named in `drop`. */
  const place = (member: JsonMember, anchor: JsonMember | undefined, drop: string[]) => {
    const at = anchor ? members.indexOf(anchor) : -1;
    const next = members.map((x, i) => (i === at ? member : x)).filter((x) => x === member || (!drop.includes(x.key) && x.key !== member.key));
    if (at < 0) next.push(member);
    members = next;
  };
  const moveNotes = (from: string, to: string) => {
    const list = notes.get(from);
    if (!list) return;
    notes.delete(from);
    for (const n of list) note(to, n.level, n.message, n.at);
  };

  const apply = (e: Edit, fixer: Fixer) => {
    const by = fixer.packerFix ? `(packer fix ${fixer.name})` : `(${fixer.name})`;
    switch (e.op) {
      case 'rename': {
        const old = get(e.from)!;
        const replaced = e.to !== e.from ? get(e.to) : undefined;
        place({ ...old, key: e.to }, old, [e.from]);
        moveNotes(e.from, e.to);
        note(e.to, 'converted', `${what}: "${e.from}" renamed to "${e.to}"${replaced ? ` (replacing the "${e.to}" that was set: ${m.json(replaced.value)})` : ''} ${by}`, old.keyStart);
        return;
      }
      case 'delete': {
        const old = get(e.key)!;
        members = members.filter((x) => x !== old);
        notes.delete(e.key);
        blockNotes.push({ level: 'converted', message: `${what}: "${e.key}" removed (it was ${m.json(old.value)}): ${e.why} ${by}`, at: old.keyStart });
        return;
      }
      case 'set':
      case 'join': {
        const from = e.from.filter((k) => get(k));
        const was = [...new Set([e.key, ...from])].flatMap((k) => {
          const x = get(k);
          return x ? [`"${k}" (${m.json(x.value)})`] : [];
        });
        const anchor = get(e.key) ?? get(from[0]);
        const value = e.op === 'set' ? e.value : e.pieces.map((p) => (typeof p === 'string' ? p : text(view.get(p.key)))).join('');
        const at = anchor?.value ?? node;
        const member: JsonMember = { key: e.key, keyStart: anchor?.keyStart ?? node.start, keyEnd: anchor?.keyEnd ?? node.start, value: toNode(value, at) };
        place(member, anchor, from);
        for (const k of from) if (k !== e.key) moveNotes(k, e.key);
        const head = was.length === 0 ? `"${e.key}" set to` : from.length === 1 && from[0] === e.key ? `${was[0]} rewritten to` : `${was.join(' and ')} folded into "${e.key}":`;
        note(e.key, 'converted', `${what}: ${head} ${m.json(member.value)} ${by}`, member.keyStart);
        return;
      }
      case 'wrap': {
        const old = get(e.from)!;
        const member: JsonMember = { ...old, key: e.to, value: { kind: 'array', start: old.value.start, end: old.value.end, items: [old.value] } };
        place(member, old, [e.from]);
        moveNotes(e.from, e.to);
        note(e.to, 'converted', `${what}: "${e.from}" is now the list "${e.to}" ${by}`, old.keyStart);
        return;
      }
      case 'gather': {
        const sources = e.entries.map(([name, key]) => ({ name, member: get(key)! }));
        const obj: JsonNode = { kind: 'object', start: sources[0].member.keyStart, end: sources[0].member.value.end, members: sources.map((s) => ({ ...s.member, key: s.name })) };
        const existing = get(e.key);
        let value: JsonNode = obj;
        if (existing?.value.kind === 'array' && e.mode === 'prepend') value = { ...existing.value, items: [obj, ...existing.value.items] };
        else if (existing?.value.kind === 'object' && e.mode === 'merge') {
          const names = new Set(e.entries.map(([name]) => name));
          const replaced = existing.value.members.filter((x) => names.has(x.key));
          if (replaced.length) note(e.key, 'converted', `${what}: "${e.key}" entries replaced by the moved ones: ${replaced.map((x) => `"${x.key}" (${m.json(x.value)})`).join(', ')} ${by}`, replaced[0].keyStart);
          value = { ...existing.value, members: [...existing.value.members.filter((x) => !names.has(x.key)), ...obj.members] };
        } else if (existing) {
          note(e.key, 'review', `${what}: "${e.key}" is not ${e.mode === 'prepend' ? 'a list' : 'an object'}, so ${sources.map((s) => `"${s.member.key}"`).join(', ')} could not be moved into it ${by}`, existing.keyStart);
          return;
        }
        const anchor = existing ?? sources[0].member;
        place({ key: e.key, keyStart: anchor.keyStart, keyEnd: anchor.keyEnd, value }, anchor, sources.map((s) => s.member.key));
        const moved = sources.map((s) => `"${s.member.key}"`).join(', ');
        note(e.key, 'converted', `${what}: ${moved} moved into ${e.mode === 'prepend' ? `the first item of "${e.key}"` : `"${e.key}"`} ${by}`, sources[0].member.keyStart);
        return;
      }
      case 'type': {
        const t = get('type');
        blockNotes.push({ level: 'converted', message: `${what}: type "${current}" renamed to "${e.to}" ${by}`, at: t?.value.start ?? node.start });
        current = e.to;
        return;
      }
      case 'review': {
        const x = get(e.key);
        if (x) note(e.key, 'review', `${what}: ${e.message}`, x.keyStart);
        else blockNotes.push({ level: 'review', message: `${what}: ${e.message}`, at: node.start });
        return;
      }
    }
  };

  for (const fixer of FIXERS) {
    if (!fixer.applies(kind, current)) continue;
    const edits = fixer.rewrite(view);
    if (edits.length === 0 || (fixer.needs && !m.allows(fixer.needs))) continue;
    for (const e of edits) apply(e, fixer);
  }

  // Left alone on purpose, but said: remote ESXi options, and PowerShell escapes that packer fix would remove.
  // Arguments whose review says why they stay: not also "not an argument in the plugin's schema".
  const explained = new Set<string>();
  for (const [key, list] of notes) if (list.some((n) => n.level === 'review')) explained.add(key);
  for (const x of members) {
    if (isEsxiOption(kind, current, x.key)) {
      explained.add(x.key);
      note(x.key, 'review', esxiMessage(current, x.key), x.keyStart);
    }
    if (kind === 'provisioners' && current === POWERSHELL_ESCAPED.type && (POWERSHELL_ESCAPED.keys as readonly string[]).includes(x.key)) {
      const texts = x.value.kind === 'string' ? [x.value.value] : x.value.kind === 'array' ? x.value.items.flatMap((i) => (i.kind === 'string' ? [i.value] : [])) : [];
      if (texts.some((t) => POWERSHELL_ESCAPED.pattern.test(t)))
        note(x.key, 'review', `${what}: ${POWERSHELL_ESCAPED.message(x.key)}`, x.keyStart);
    }
  }
  // A note whose argument is gone belongs to the component.
  for (const [key, list] of notes)
    if (!get(key)) {
      blockNotes.push(...list);
      notes.delete(key);
    }

  const fixedNode: JsonObject = members === original ? node : { ...node, members };
  return {
    node: fixedNode,
    type: current,
    blockNotes,
    rewrites: (opts) => {
      const map = new Map<string, ArgumentRewrite>(opts.rewrites ?? []);
      for (const [key, list] of notes)
        map.set(key, (mig, mem, _members, scope, memberNotes): OutItem[] => {
          // The rewrite's own notes go with the member's (to the first item it becomes).
          for (const n of list) memberNotes.add(n.level, n.message, n.at);
          const core = explained.has(key) ? new Set([...(opts.core ?? []), key]) : opts.core;
          return convertMembers(mig, [mem], () => scope, { ...opts, core, rewrites: undefined });
        });
      return map;
    },
  };
}
