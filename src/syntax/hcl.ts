/**
 * HCL native syntax through tree-sitter. The entry of the reader: parseHcl and the model's helpers. The parts, by
 * concern: hcl-tree.ts (parser, tree copy), hcl-convert.ts (model conversion), hcl-errors.ts (error messages),
 * hcl-model.ts (types), hcl-limits.ts (parser limits).
 */
import type { Edit, ParseState, Tree } from 'web-tree-sitter';
import { Converter } from './hcl-convert.js';
import { damagedRanges, firstError, SyntaxErrors } from './hcl-errors.js';
import { beyondParser, parseDeadline } from './hcl-limits.js';
import type { Attribute, Block, Body, Comment, Expr, HclFile, SyntaxIssue } from './hcl-model.js';
import { copyTree, getParser, type Node, type Reuse } from './hcl-tree.js';
import { LineIndex } from './text.js';

export type { Attribute, Block, Body, Comment, Expr, HclFile, Label, ObjectItem, Spanned, Statement, SyntaxIssue, TraversalStep } from './hcl-model.js';

// tree-sitter-hcl does not know exponent notation (1e10, 2.5E-3), which HCL accepts. Numbers are re-read from the
// original text, so the parser is given a copy where each exponent is overwritten by digits of the same length.
const EXPONENT = /(?<![A-Za-z0-9_.-])(\d+(?:\.\d+)?)([eE][+-]?)(\d+)(?![A-Za-z0-9_.])/g;
function maskExponents(text: string): string {
  if (!/\d[eE]/.test(text)) return text;
  return text.replace(EXPONENT, (_m, mant: string, e: string, exp: string) => mant + '0'.repeat(e.length) + exp);
}

// Nor does it know the `%%{` escape (a literal `%{`), which it reads as the start of a directive. Template text is
// re-read from the original too, so the parser is shown `%%_` instead.
function maskEscapes(text: string): string {
  return text.includes('%%{') ? text.replace(/%%\{/g, '%%_') : text;
}

/** The text of a document: parsed whole, unless an earlier parse can be reused (parsingWith, IncrementalHcl). */
export function parseHcl(text: string): HclFile {
  const known = reuse?.(text);
  if (known) return known;
  return parseTree(text).file;
}

/** What parseHcl may reuse while `f` runs: the documents an editor has open, parsed as they changed. */
let reuse: ((text: string) => HclFile | undefined) | undefined;
export function parsingWith<T>(parsed: ReadonlyMap<string, HclFile>, f: () => T): T {
  const before = reuse;
  reuse = (text) => parsed.get(text);
  try {
    return f();
  } finally {
    reuse = before;
  }
}

/** The text tree-sitter is given, and the tree it made of it: what the next parse of the same document starts from. */
interface Previous {
  masked: string;
  tree: Tree;
  /** The copy of the tree, whose unchanged parts the next copy takes (hcl-tree.ts, Reuse). */
  root: Node;
}

/**
 * Parses `text`; with `previous` (whose tree it takes over), tree-sitter reparses only what changed, told by one
 * edit: the span between the common start and the common end of the two texts given to the parser (the masks below
 * may change characters next to an edit, so the edit is read from them, not from the editor's changes). Returns the
 * new tree when `keep` is set (the caller deletes it); otherwise every tree is deleted here.
 */
function parseTree(text: string, previous?: Previous, keep = false): { file: HclFile; kept?: Previous } {
  const lines = new LineIndex(text);
  // Hardening (docs/security.md): what tree-sitter-hcl cannot read is refused before parsing, and a parse that
  // error recovery makes super-linear is stopped.
  const refused = beyondParser(text);
  const whole = [{ start: 0, end: Math.max(1, text.length) }];
  if (refused) {
    previous?.tree.delete();
    return { file: { text, lines, body: { start: 0, end: 0, statements: [] }, comments: [], errors: [refused], damaged: whole } };
  }
  const masked = maskEscapes(maskExponents(text));
  const deadline = parseDeadline(masked.length);
  // Returning true cancels the parse (web-tree-sitter's type says void, its documentation and code say boolean).
  const progressCallback = deadline.expired as unknown as (state: ParseState) => void;
  const edit = previous && editBetween(previous.masked, masked);
  if (previous && edit) previous.tree.edit(edit);
  let tree: Tree | null;
  let reuse: Reuse | undefined;
  try {
    tree = getParser().parse(masked, previous?.tree ?? null, { progressCallback });
    if (tree && previous && edit) {
      reuse = { root: previous.root, start: edit.startIndex, oldEnd: edit.oldEndIndex, newEnd: edit.newEndIndex, changed: previous.tree.getChangedRanges(tree) };
    }
  } finally {
    // WebAssembly memory is not garbage-collected: a tree must be freed by hand.
    previous?.tree.delete();
  }
  if (!tree) {
    // A cancelled parse would be resumed by the next call: start afresh.
    getParser().reset();
    return { file: { text, lines, body: { start: 0, end: 0, statements: [] }, comments: [], errors: [deadline.issue(text)], damaged: whole } };
  }
  let root: Node;
  const commentNodes: Node[] = [];
  try {
    root = copyTree(tree, commentNodes, reuse);
  } catch (e) {
    tree.delete();
    throw e;
  }
  if (!keep) tree.delete();
  return { file: convert(text, lines, root, commentNodes), kept: keep ? { masked, tree, root } : undefined };
}

/** The one edit that turns `before` into `after`, for tree-sitter: offsets and points in UTF-16 code units. */
function editBetween(before: string, after: string): Edit {
  const n = Math.min(before.length, after.length);
  let start = 0;
  while (start < n && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < n - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  const point = (t: string, offset: number) => {
    let row = 0;
    for (let i = t.indexOf('\n'); i >= 0 && i < offset; i = t.indexOf('\n', i + 1)) row++;
    return { row, column: offset - (t.lastIndexOf('\n', offset - 1) + 1) };
  };
  const oldEnd = before.length - tail;
  const newEnd = after.length - tail;
  return { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd, startPosition: point(before, start), oldEndPosition: point(before, oldEnd), newEndPosition: point(after, newEnd) };
}

/**
 * One document as an editor changes it: each parse reuses the tree of the one before (tree-sitter's edit and
 * reparse), with the same result as parseHcl. Holds a tree in WebAssembly memory: call delete() when done.
 */
export class IncrementalHcl {
  private previous: Previous | undefined;
  private last: HclFile | undefined;

  parse(text: string): HclFile {
    if (this.last?.text === text) return this.last;
    const previous = this.previous;
    this.previous = undefined;
    const { file, kept } = parseTree(text, previous, true);
    this.previous = kept;
    this.last = file;
    return file;
  }

  delete(): void {
    this.previous?.tree.delete();
    this.previous = undefined;
    this.last = undefined;
  }
}

function convert(text: string, lines: LineIndex, root: Node, commentNodes: Node[]): HclFile {
  const comments: Comment[] = commentNodes.map((c) => ({ start: c.startIndex, end: c.endIndex, text: text.slice(c.startIndex, c.endIndex) }));
  const errors: SyntaxIssue[] = [];
  const conv = new Converter(text, lines, errors);
  const bodyNode = root.namedChildren.find((c) => c.type === 'body');
  let body: Body = { start: 0, end: 0, statements: [] };
  let tooDeep = false;
  try {
    if (bodyNode) body = conv.body(bodyNode);
  } catch (e) {
    // Thousands of nested brackets exhaust the stack of the recursive conversion: say so instead of crashing.
    if (!(e instanceof RangeError)) throw e;
    errors.push({ message: 'expressions are nested too deeply for pkrlint to read', start: 0, end: Math.min(1, text.length) });
    tooDeep = true;
  }
  const report = new SyntaxErrors(text, lines, errors);
  if (root.hasError) report.collectErrors(root);
  else report.strictness(body, root);
  comments.sort((a, b) => a.start - b.start);
  if (errors.length === 0) return { text, lines, body, comments, errors };
  const whole = [{ start: 0, end: Math.max(1, text.length) }];
  return { text, lines, body, comments, errors: firstError(errors), damaged: tooDeep ? whole : damagedRanges(root, body, errors) };
}

/** All expressions nested in an expression, including itself, depth first. */
export function walkExpr(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  switch (e.kind) {
    case 'template':
      for (const p of e.parts) if (typeof p !== 'string') walkExpr(p, visit);
      break;
    case 'call':
      for (const a of e.args) walkExpr(a, visit);
      break;
    case 'tuple':
      for (const a of e.items) walkExpr(a, visit);
      break;
    case 'object':
      for (const it of e.items) {
        walkExpr(it.key, visit);
        walkExpr(it.value, visit);
      }
      break;
    case 'other':
      for (const c of e.children) walkExpr(c, visit);
      break;
  }
}

export function attributes(body: Body): Attribute[] {
  return body.statements.filter((s): s is Attribute => s.kind === 'attribute');
}

export function blocks(body: Body, type?: string): Block[] {
  return body.statements.filter((s): s is Block => s.kind === 'block' && (type === undefined || s.type === type));
}

export function attribute(body: Body, name: string): Attribute | undefined {
  return attributes(body).find((a) => a.name === name);
}

/** A key of an object constructor expression as text, when it is a plain identifier or a literal string. */
export function objectKey(key: Expr): string | undefined {
  if (key.kind === 'traversal' && key.steps.length === 0) return key.root;
  if (key.kind === 'literal' && key.value !== null) return String(key.value);
  if (key.kind === 'template' && key.parts.every((p) => typeof p === 'string')) return key.parts.join('');
  return undefined;
}

