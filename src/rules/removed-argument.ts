import { escapeLiteral, objectKey as hclKey, quoteLabel } from '../hcl/print.js';
import { lookupComponent } from '../packer/components.js';
import { resolveConstraints } from '../packer/version.js';
import { ESXI, FIXERS, OPAQUE, removedArgument, type ComponentKind, type Edit, type Plain, type Value, type View } from '../packer/removed.js';
import type { SourceFile } from '../packer/unit.js';
import { objectKey, type Attribute, type Block, type Body, type Expr } from '../syntax/hcl.js';
import { lineSpan, renameArguments } from './_fixes.js';
import { createRule, type Fix, type TextEdit } from './types.js';

/** A component block: its kind, its type, and where it is. */
interface Component {
  file: SourceFile;
  block: Block;
  kind: ComponentKind;
  type: string;
}

function components(files: readonly SourceFile[]): Component[] {
  const out: Component[] = [];
  const add = (file: SourceFile, block: Block, kind: ComponentKind) => {
    const label = block.labels[0]?.value;
    // `build { source "source.T.N" { … } }` adds arguments to the top-level source T.N.
    if (label) out.push({ file, block, kind, type: block.type === 'source' ? label.replace(/^source\./, '').split('.')[0] : label });
  };
  for (const file of files) {
    if (!file.hcl || (file.kind !== 'hcl' && file.kind !== 'hcl-json')) continue;
    for (const s of file.hcl.body.statements) {
      if (s.kind !== 'block') continue;
      if (s.type === 'source') add(file, s, 'builders');
      if (s.type !== 'build') continue;
      for (const b of s.body.statements) {
        if (b.kind !== 'block') continue;
        if (b.type === 'source' && b.labels[0]?.value.includes('.')) add(file, b, 'builders');
        if (b.type === 'provisioner' || b.type === 'error-cleanup-provisioner') add(file, b, 'provisioners');
        if (b.type === 'post-processor') add(file, b, 'post-processors');
        if (b.type === 'post-processors') for (const p of b.body.statements) if (p.kind === 'block' && p.type === 'post-processor') add(file, p, 'post-processors');
      }
    }
  }
  return out;
}

/** An expression's value when it is written as a literal; OPAQUE otherwise. */
function valueOf(e: Expr): Value {
  if (e.kind === 'literal') return e.value;
  if (e.kind === 'template' && e.parts.every((p) => typeof p === 'string')) return e.parts.join('');
  if (e.kind === 'tuple') {
    const items = e.items.map(valueOf);
    return items.includes(OPAQUE) ? OPAQUE : (items as Plain[]);
  }
  if (e.kind === 'object') {
    const o: Record<string, Plain> = {};
    for (const it of e.items) {
      const k = objectKey(it.key);
      const v = valueOf(it.value);
      if (k === undefined || v === OPAQUE) return OPAQUE;
      Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return o;
  }
  return OPAQUE;
}

/** A plain value as HCL source. */
function hclText(v: Plain): string {
  if (typeof v === 'string') return quoteLabel(v);
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `[${v.map(hclText).join(', ')}]`;
  return `{ ${Object.entries(v)
    .map(([k, x]) => `${hclKey(k)} = ${hclText(x)}`)
    .join(', ')} }`;
}

/** One argument while the rewrites run: the original attribute it still is, or the one whose line it takes. */
interface Slot {
  key: string;
  value: Value;
  /** The original attribute, while its expression is unchanged. */
  attr?: Attribute;
  /** The original attribute whose line a new expression takes. */
  anchor?: Attribute;
  /** New expression text (when not the attribute's own). */
  text?: string;
  /** A new nested block (its full text), inserted before `before` when given. */
  block?: { before?: Block };
}

/**
 * The text edits that apply every rewrite to one component block, or undefined when a rewrite has no mechanical
 * form in HCL text (a type rename, a merge into a map, a list that is an attribute where blocks are expected).
 */
function fixBlock(c: Component, edits: Edit[]): TextEdit[] | undefined {
  const { file, block } = c;
  const body: Body = block.body;
  const text = file.text;
  let slots: Slot[] = body.statements.filter((s): s is Attribute => s.kind === 'attribute').map((a) => ({ key: a.name, value: valueOf(a.expr), attr: a }));
  const find = (key: string) => slots.find((s) => s.key === key);
  const source = (s: Slot) => s.text ?? (s.attr ? text.slice(s.attr.expr.start, s.attr.expr.end) : '');
  const anchorOf = (s: Slot | undefined) => s?.attr ?? s?.anchor;
  const put = (slot: Slot, at: Slot | undefined, drop: string[]) => {
    const i = at ? slots.indexOf(at) : -1;
    slots = slots.map((s, j) => (j === i ? slot : s)).filter((s) => s === slot || (!drop.includes(s.key) && s.key !== slot.key));
    if (i < 0) slots.push(slot);
  };
  for (const e of edits) {
    switch (e.op) {
      case 'rename': {
        const s = find(e.from)!;
        put({ ...s, key: e.to }, s, [e.from]);
        break;
      }
      case 'delete':
        slots = slots.filter((s) => s.key !== e.key);
        break;
      case 'set':
      case 'join': {
        const at = find(e.key) ?? e.from.map(find).find((s) => s);
        let t: string;
        if (e.op === 'set') t = hclText(e.value);
        else {
          const pieces = e.pieces.map((p) => {
            if (typeof p === 'string') return escapeLiteral(p);
            const s = find(p.key)!;
            const x = s.attr?.expr;
            // A quoted template is inlined; any other expression is interpolated.
            return x && !s.text && x.kind === 'template' && !x.heredoc ? text.slice(x.start + 1, x.end - 1) : `\${${source(s)}}`;
          });
          t = `"${pieces.join('')}"`;
        }
        put({ key: e.key, value: e.op === 'set' ? e.value : OPAQUE, anchor: anchorOf(at), text: t }, at, e.from);
        break;
      }
      case 'wrap': {
        const s = find(e.from)!;
        put({ key: e.to, value: s.value === OPAQUE ? OPAQUE : [s.value], anchor: anchorOf(s), text: `[${source(s)}]` }, s, [e.from]);
        break;
      }
      case 'gather': {
        if (e.mode !== 'prepend' || find(e.key)) return undefined;
        const entries = e.entries.map(([name, key]) => ({ name, slot: find(key)! }));
        const before = body.statements.find((s): s is Block => s.kind === 'block' && s.type === e.key);
        const width = Math.max(...entries.map((x) => x.name.length));
        const inner = entries.map((x) => `  ${x.name.padEnd(width)} = ${source(x.slot)}`);
        const blockSlot: Slot = { key: e.key, value: OPAQUE, anchor: before ? undefined : anchorOf(entries[0].slot), text: [`${e.key} {`, ...inner, '}'].join('\n'), block: { before } };
        put(blockSlot, before ? undefined : entries[0].slot, entries.map((x) => x.slot.key));
        break;
      }
      case 'type':
      case 'review':
        return undefined;
    }
  }
  // The differences to the original body, as text edits.
  const kept = new Set<Attribute>();
  for (const s of slots) {
    const a = anchorOf(s);
    if (a) kept.add(a);
  }
  const originals = body.statements.filter((s): s is Attribute => s.kind === 'attribute');
  const removed = new Set(originals.filter((a) => !kept.has(a)));
  const renames = new Map<Attribute, string>();
  const out: TextEdit[] = [];
  const indentOf = (offset: number) => /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', offset - 1) + 1))![0];
  const closing = text.lastIndexOf('\n', block.end - 1) + 1;
  const inside = originals[0] ? indentOf(originals[0].start) : `${indentOf(block.start)}  `;
  for (const s of slots) {
    const a = anchorOf(s);
    if (s.block) {
      const indented = s.text!.split('\n').map((l) => inside + l).join('\n') + '\n';
      if (a) {
        const span = lineSpan(text, a.start, a.end);
        out.push({ file, start: span.start, end: span.end, text: indented });
      } else {
        const at = s.block.before ? text.lastIndexOf('\n', s.block.before.start - 1) + 1 : closing;
        out.push({ file, start: at, end: at, text: indented });
      }
      continue;
    }
    if (!a) {
      out.push({ file, start: closing, end: closing, text: `${inside}${s.key} = ${s.text}\n` });
      continue;
    }
    if (s.key !== a.name) renames.set(a, s.key);
    if (s.text !== undefined) out.push({ file, start: a.expr.start, end: a.expr.end, text: s.text });
  }
  const blockAnchors = new Set(slots.filter((s) => s.block).map(anchorOf));
  for (const a of removed) {
    const span = lineSpan(text, a.start, a.end);
    out.push({ file, start: span.start, end: span.end, text: '' });
  }
  out.push(...renameArguments(file, body, renames, new Set([...removed, ...[...blockAnchors].filter((a): a is Attribute => !!a)])));
  return out;
}

/**
 * Whether `packer { required_plugins }` pins the vmware plugin below v2 (whose releases still have the remote ESXi
 * options): its version constraint admits no release from ESXI.removedIn on.
 */
function vmwarePinnedBeforeEsxiRemoval(files: readonly SourceFile[]): boolean {
  for (const file of files)
    for (const p of file.hcl?.body.statements ?? []) {
      if (p.kind !== 'block' || p.type !== 'packer') continue;
      for (const r of p.body.statements) {
        if (r.kind !== 'block' || r.type !== 'required_plugins') continue;
        for (const a of r.body.statements) {
          if (a.kind !== 'attribute') continue;
          const v = valueOf(a.expr);
          if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
          const { source, version } = v;
          if (typeof source !== 'string' || typeof version !== 'string' || !/\/vmware$/.test(source)) continue;
          const allowed = resolveConstraints([version, `>= ${ESXI.removedIn.slice(1)}`]);
          if (!allowed.ok && allowed.reason === 'unsatisfiable') return true;
        }
      }
    }
  return false;
}

function viewOf(c: Component): View {
  const attrs = c.block.body.statements.filter((s): s is Attribute => s.kind === 'attribute');
  return {
    kind: c.kind,
    type: c.type,
    get: (key) => {
      const a = attrs.find((x) => x.name === key);
      return a ? valueOf(a.expr) : undefined;
    },
    keys: () => attrs.map((a) => a.name),
  };
}

export default createRule(
  {
    id: 'removed-argument',
    description: 'Reports an argument that the component had and removed, and says what replaced it.',
    severity: 'warning',
    fixable: true,
    messages: {
      replaced: '{{type}} no longer has "{{name}}": use {{replacement}} (what packer fix {{fixer}} does for JSON templates)',
      dropped: '{{type}} no longer has "{{name}}", and nothing replaces it: {{why}}; delete it',
      esxi: '"{{name}}" is a remote ESXi option of {{type}}: vmware plugin {{removedIn}} removed ESX support with no replacement (it points to vsphere-iso); {{lastWith}} is the last release that has it (pin it in required_plugins to keep building on ESXi)',
    },
  },
  (ctx) => {
    if (!ctx.hcl) return;
    const esxiKept = vmwarePinnedBeforeEsxiRemoval(ctx.unit.files);
    for (const c of components(ctx.unit.files)) {
      const l = lookupComponent(c.kind, c.type);
      const schema = l.found === 'schema' ? l.component.spec : undefined;
      const fixed = new Set<string>();
      for (const a of c.block.body.statements) {
        if (a.kind !== 'attribute') continue;
        const removal = removedArgument(c.kind, c.type, a.name);
        if (!removal) continue;
        const range = { file: c.file, start: a.nameStart, end: a.nameEnd };
        if ('esxi' in removal) {
          if (esxiKept) continue;
          ctx.report({ ...range, messageId: 'esxi', data: { name: a.name, type: c.type, removedIn: ESXI.removedIn, lastWith: ESXI.lastWith } });
          continue;
        }
        // An argument the current plugin still has (under the same name) is not removed there.
        if (schema?.[a.name]) continue;
        const { fixer, replacement } = removal;
        // One fix per rewrite and block: the fixer's edits for every argument it rewrites there, with the later rewrites they lead to.
        let fix: Fix | undefined;
        if (!fixed.has(fixer.name) && c.file.kind === 'hcl') {
          fixed.add(fixer.name);
          const rewrite = rewriteFrom(c, fixer.name);
          // A value built from expressions may already hold what is added (a "sha256:" prefix, "none"): offered, not applied.
          if (rewrite?.edits.length) fix = { description: `Rewrite as packer fix ${fixer.name} does`, edits: rewrite.edits, ...(rewrite.unsure ? { suggestion: true } : {}) };
        }
        const nothing = /^nothing: (.*)$/.exec(replacement);
        if (nothing) ctx.report({ ...range, messageId: 'dropped', data: { type: c.type, name: a.name, why: nothing[1] }, fix });
        else ctx.report({ ...range, messageId: 'replaced', data: { type: c.type, name: a.name, replacement, fixer: fixer.name }, fix });
      }
    }
  },
);

/**
 * The text edits of one fixer on a block, followed by those of the later fixers that rewrite what it wrote (iso_md5
 * becomes iso_checksum + iso_checksum_type, which the checksum fixer folds): the edits run on a view that follows them.
 */
function rewriteFrom(c: Component, name: string): { edits: TextEdit[]; unsure: boolean } | undefined {
  const view = viewOf(c);
  const state = new Map<string, Value>(view.keys().map((k) => [k, view.get(k)!]));
  const live: View = { kind: c.kind, type: c.type, get: (k) => state.get(k), keys: () => [...state.keys()] };
  const all: Edit[] = [];
  const touched = new Set<string>();
  const start = FIXERS.findIndex((f) => f.name === name);
  for (const f of FIXERS.slice(start)) {
    if (!f.applies(c.kind, c.type)) continue;
    const edits = f.rewrite(live);
    // The first fixer always; a later one only where it rewrites an argument an earlier edit wrote.
    if (f.name !== name && !edits.some((e) => 'from' in e && [e.from].flat().some((k) => touched.has(k)))) continue;
    for (const e of edits) {
      all.push(e);
      simulate(state, e, touched);
    }
  }
  const edits = fixBlock(c, all);
  return edits && { edits, unsure: all.some((e) => e.op === 'join') };
}

/** The values after one edit (for the fixers that read them next), and the arguments it wrote. */
function simulate(state: Map<string, Value>, e: Edit, touched: Set<string>): void {
  switch (e.op) {
    case 'rename':
      state.set(e.to, state.get(e.from)!);
      state.delete(e.from);
      touched.add(e.to);
      return;
    case 'delete':
      state.delete(e.key);
      return;
    case 'set':
    case 'join':
      for (const k of e.from) state.delete(k);
      state.set(e.key, e.op === 'set' ? e.value : OPAQUE);
      touched.add(e.key);
      return;
    case 'wrap':
      state.set(e.to, OPAQUE);
      state.delete(e.from);
      touched.add(e.to);
      return;
    case 'gather':
      for (const [, k] of e.entries) state.delete(k);
      state.set(e.key, OPAQUE);
      touched.add(e.key);
      return;
    case 'type':
    case 'review':
      return;
  }
}
