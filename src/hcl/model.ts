/**
 * A small document model for writing HCL. Expressions are structured so that escaping happens in one place
 * (the printer): a string template holds literal text and interpolated expressions, never pre-escaped text.
 */
export type Expr =
  | { kind: 'template'; parts: TemplatePart[] }
  | { kind: 'ref'; path: string[] } // var.x, source.name, path.root, local.timestamp
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'index'; target: Expr; key: Expr }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'object'; entries: ObjectEntry[]; /** Comment lines after the last entry. */ trailing?: string[] }
  | { kind: 'number'; raw: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

/** Literal text (unescaped) or an interpolated expression. */
export type TemplatePart = string | Expr;

export interface ObjectEntry {
  key: string;
  value: Expr;
  comments?: string[];
}

export interface Attribute {
  type: 'attribute';
  name: string;
  value: Expr;
}

export interface Block {
  type: 'block';
  name: string;
  labels: string[];
  body: Body;
}

/** One or more `#` comment lines (text without the leading `# `). */
export interface Comment {
  type: 'comment';
  lines: string[];
}

export interface Blank {
  type: 'blank';
}

export type Item = Attribute | Block | Comment | Blank;

export interface Body {
  items: Item[];
}

export const str = (text: string): Expr => ({ kind: 'template', parts: [text] });
export const ref = (...path: string[]): Expr => ({ kind: 'ref', path });
export const call = (name: string, ...args: Expr[]): Expr => ({ kind: 'call', name, args });
export const list = (items: Expr[]): Expr => ({ kind: 'list', items });
export const attr = (name: string, value: Expr): Attribute => ({ type: 'attribute', name, value });
export const block = (name: string, labels: string[], items: Item[] = []): Block => ({ type: 'block', name, labels, body: { items } });
export const comment = (...lines: string[]): Comment => ({ type: 'comment', lines });
/** A comment of any number of lines (spreading a long array into comment() would overflow the call stack). */
export const commentOf = (lines: string[]): Comment => ({ type: 'comment', lines });
export const blank = (): Blank => ({ type: 'blank' });

/** Flattens a template: adjacent literal parts are merged, a template that is one interpolation stays a template. */
export function template(parts: TemplatePart[]): Expr {
  const out: TemplatePart[] = [];
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
export function simplify(e: Expr): Expr {
  if (e.kind === 'template' && e.parts.length === 1 && typeof e.parts[0] !== 'string') return e.parts[0];
  return e;
}

export function isIdentifier(s: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s);
}
