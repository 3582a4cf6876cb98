/**
 * A small document model for writing HCL (the writer side; the reader's tree is src/syntax/hcl.ts). Its types carry
 * the prefix `Out` (OutBlock, OutExpr, …) so that a file holding one says which model it is. Expressions are structured so that escaping happens in one place
 * (the printer): a string template holds literal text and interpolated expressions, never pre-escaped text.
 */
export type OutExpr =
  | { kind: 'template'; parts: OutTemplatePart[] }
  | { kind: 'ref'; path: string[] } // var.x, source.name, path.root, local.timestamp
  | { kind: 'call'; name: string; args: OutExpr[] }
  | { kind: 'index'; target: OutExpr; key: OutExpr }
  | { kind: 'list'; items: OutExpr[] }
  | { kind: 'object'; entries: OutObjectEntry[]; /** Comment lines after the last entry. */ trailing?: string[] }
  | { kind: 'number'; raw: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'binary'; op: OutBinaryOp; left: OutExpr; right: OutExpr }
  | { kind: 'conditional'; cond: OutExpr; then: OutExpr; else: OutExpr };

/** Binary operators, by HCL precedence: `||` binds least. */
export type OutBinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=';

/** Literal text (unescaped) or an interpolated expression. */
export type OutTemplatePart = string | OutExpr;

export interface OutObjectEntry {
  key: string;
  value: OutExpr;
  comments?: string[];
}

/**
 * Something said about an item, carried by the item: one with a `comment` is written as a `#` comment line in front of
 * the item (all of an item's comment notes as one run of lines, in order). Printed.lineOf gives every note a line: the
 * first of those comment lines for a note with a comment, the item's own line for the others.
 */
export interface OutNote {
  comment?: string;
}

export interface OutAttribute {
  type: 'attribute';
  name: string;
  value: OutExpr;
  notes?: OutNote[];
}

export interface OutBlock {
  type: 'block';
  name: string;
  labels: string[];
  body: OutBody;
  notes?: OutNote[];
}

/** One or more `#` comment lines (text without the leading `# `); with no lines, only its notes are written. */
export interface OutComment {
  type: 'comment';
  lines: string[];
  notes?: OutNote[];
}

export interface OutBlank {
  type: 'blank';
}

export type OutItem = OutAttribute | OutBlock | OutComment | OutBlank;

export interface OutBody {
  items: OutItem[];
}

export const str = (text: string): OutExpr => ({ kind: 'template', parts: [text] });
export const ref = (...path: string[]): OutExpr => ({ kind: 'ref', path });
export const call = (name: string, ...args: OutExpr[]): OutExpr => ({ kind: 'call', name, args });
export const list = (items: OutExpr[]): OutExpr => ({ kind: 'list', items });
export const attr = (name: string, value: OutExpr): OutAttribute => ({ type: 'attribute', name, value });
export const block = (name: string, labels: string[], items: OutItem[] = []): OutBlock => ({ type: 'block', name, labels, body: { items } });
export const comment = (...lines: string[]): OutComment => ({ type: 'comment', lines });
/** A comment of any number of lines (spreading a long array into comment() would overflow the call stack). */
export const commentOf = (lines: string[]): OutComment => ({ type: 'comment', lines });
export const blank = (): OutBlank => ({ type: 'blank' });

/** Flattens a template: adjacent literal parts are merged, a template that is one interpolation stays a template. */
export function template(parts: OutTemplatePart[]): OutExpr {
  const out: OutTemplatePart[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      if (p === '') continue;
      if (typeof out[out.length - 1] === 'string') out[out.length - 1] = (out[out.length - 1] as string) + p;
      else out.push(p);
    } else if (p.kind === 'template') {
      for (const q of p.parts) out.push(q);
    } else out.push(p);
  }
  return { kind: 'template', parts: out };
}

/** A template made of a single interpolation is written as the bare expression (`var.x`, not `"${var.x}"`). */
export function simplify(e: OutExpr): OutExpr {
  if (e.kind === 'template' && e.parts.length === 1 && typeof e.parts[0] !== 'string') return e.parts[0];
  return e;
}

export function isIdentifier(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s);
}

/** The expressions directly inside `e` (every kind's children: the one place that lists them). */
export function outChildren(e: OutExpr): OutExpr[] {
  switch (e.kind) {
    case 'template':
      return e.parts.filter((p): p is OutExpr => typeof p !== 'string');
    case 'call':
      return e.args;
    case 'index':
      return [e.target, e.key];
    case 'list':
      return e.items;
    case 'object':
      return e.entries.map((en) => en.value);
    case 'binary':
      return [e.left, e.right];
    case 'conditional':
      return [e.cond, e.then, e.else];
    default:
      return [];
  }
}

/**
 * `e` with each child replaced by `f(child)`; a template's parts are rebuilt with template(), so that a child replaced
 * by a template is spliced in. Object entries are replaced in place.
 */
export function mapOutChildren(e: OutExpr, f: (child: OutExpr) => OutExpr): OutExpr {
  switch (e.kind) {
    case 'template':
      return e.parts.some((p) => typeof p !== 'string') ? template(e.parts.map((p) => (typeof p === 'string' ? p : f(p)))) : e;
    case 'call':
      return { ...e, args: e.args.map(f) };
    case 'index':
      return { ...e, target: f(e.target), key: f(e.key) };
    case 'list':
      return { ...e, items: e.items.map(f) };
    case 'object':
      for (const en of e.entries) en.value = f(en.value);
      return e;
    case 'binary':
      return { ...e, left: f(e.left), right: f(e.right) };
    case 'conditional':
      return { ...e, cond: f(e.cond), then: f(e.then), else: f(e.else) };
    default:
      return e;
  }
}

/**
 * Replaces every reference to `path` (e.g. `path.root`) in a body by `by(ref)`, in place, and returns how many were
 * replaced. Inside a string template a replacement that is itself a template is spliced in (`"${path.root}/x"` becomes
 * `"${path.root}/../x"`, not a nested string).
 */
export function replaceRefs(body: OutBody, path: readonly string[], by: (r: OutExpr) => OutExpr): number {
  let count = 0;
  const matches = (e: OutExpr) => e.kind === 'ref' && e.path.length === path.length && e.path.every((p, i) => p === path[i]);
  const expr = (e: OutExpr): OutExpr => {
    if (!matches(e)) return mapOutChildren(e, expr);
    count++;
    return by(e);
  };
  const items = (b: OutBody) => {
    for (const it of b.items) {
      if (it.type === 'attribute') it.value = expr(it.value);
      else if (it.type === 'block') items(it.body);
    }
  };
  items(body);
  return count;
}
