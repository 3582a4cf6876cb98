/**
 * HCL native syntax through tree-sitter. This is the only module that knows tree-sitter-hcl's node shapes: it turns
 * the concrete tree into a small typed model (bodies, attributes, blocks, expressions) with offsets into the text.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Language, Parser, type ParseState, type Tree, type TreeCursor } from 'web-tree-sitter';
import { LineIndex, MAX_BLOCK_DEPTH, MAX_EXPRESSION_DEPTH } from './text.js';

/**
 * The parser is tree-sitter compiled to WebAssembly (web-tree-sitter), so that installing pkrlint never needs a C
 * compiler. The bundle (dist/pkrlint.mjs) has both .wasm files beside it; compiled sources find them in
 * node_modules.
 */
function wasmFile(name: string, specifier: string): Uint8Array {
  try {
    return readFileSync(join(dirname(fileURLToPath(import.meta.url)), name));
  } catch {
    return readFileSync(createRequire(import.meta.url).resolve(specifier));
  }
}
// V8 recompiles hot WebAssembly functions with its optimizing tier in the background, and a process waits for that
// work before it exits: about 50 ms on every run of a small template, for no gain (the baseline compiler's code
// also parsed 500 templates faster, measured with `npm run bench`). Set before the module is compiled.
setFlagsFromString('--liftoff-only');
await Parser.init({ wasmBinary: wasmFile('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm') });
const HCL = await Language.load(wasmFile('tree-sitter-hcl.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm'));

/**
 * A plain copy of a tree-sitter node. node-tree-sitter builds a JS object for every child on every `children`
 * access, which cost four times the parse itself; one TreeCursor pass copies the tree into these instead.
 */
class Node {
  readonly children: Node[] = [];
  hasError = false;
  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly parent: Node | null,
  ) {}

  get namedChildren(): Node[] {
    return this.children.filter((c) => c.isNamed);
  }
  get firstNamedChild(): Node | null {
    return this.children.find((c) => c.isNamed) ?? null;
  }
  get namedChildCount(): number {
    let n = 0;
    for (const c of this.children) if (c.isNamed) n++;
    return n;
  }

  /** The deepest node that contains `offset`. */
  descendantForIndex(offset: number): Node {
    let n: Node = this;
    for (;;) {
      const next: Node | undefined = n.children.find((c) => c.startIndex <= offset && offset < c.endIndex);
      if (!next) return n;
      n = next;
    }
  }
}

/** Copies the tree; every comment node, wherever it stands (inside an object or a list too), goes to `comments`. */
function copyTree(tree: Tree, comments: Node[]): Node {
  const c = tree.walk();
  try {
    return copyWith(c, comments);
  } finally {
    c.delete();
  }
}

function copyWith(c: TreeCursor, comments: Node[]): Node {
  const root = new Node(c.nodeType, c.nodeIsNamed, c.nodeIsMissing, c.startIndex, c.endIndex, null);
  let cur = root;
  for (;;) {
    if (c.gotoFirstChild()) {
      const child = new Node(c.nodeType, c.nodeIsNamed, c.nodeIsMissing, c.startIndex, c.endIndex, cur);
      cur.children.push(child);
      if (child.type === 'comment') comments.push(child);
      cur = child;
      continue;
    }
    for (;;) {
      if (cur.type === 'ERROR' || cur.isMissing || cur.hasError) {
        cur.hasError = true;
        if (cur.parent) cur.parent.hasError = true;
      }
      if (c.gotoNextSibling()) {
        const parent = cur.parent!;
        const sib = new Node(c.nodeType, c.nodeIsNamed, c.nodeIsMissing, c.startIndex, c.endIndex, parent);
        parent.children.push(sib);
        if (sib.type === 'comment') comments.push(sib);
        cur = sib;
        break;
      }
      if (!c.gotoParent()) return root;
      cur = cur.parent!;
    }
  }
}

interface Spanned {
  start: number;
  end: number;
}

export type Expr =
  | (Spanned & { kind: 'literal'; value: string | number | boolean | null })
  /** A quoted string or heredoc; `parts` alternate literal text (already unescaped) and interpolated expressions. */
  | (Spanned & { kind: 'template'; parts: Array<string | Expr>; hasDirective: boolean; heredoc: boolean })
  /** `root.a.b[0]`; steps are attribute names or index keys; a splat makes the traversal `splat: true`. */
  | (Spanned & { kind: 'traversal'; root: string; steps: TraversalStep[]; splat: boolean })
  | (Spanned & { kind: 'call'; name: string; args: Expr[] })
  | (Spanned & { kind: 'tuple'; items: Expr[] })
  | (Spanned & { kind: 'object'; items: ObjectItem[] })
  /** Anything evaluation does not model (operators, conditionals, for expressions, splats on calls…). */
  | (Spanned & { kind: 'other'; children: Expr[] });

export interface TraversalStep extends Spanned {
  name: string | number;
}

export interface ObjectItem extends Spanned {
  key: Expr;
  value: Expr;
}

export interface Attribute extends Spanned {
  kind: 'attribute';
  name: string;
  nameStart: number;
  nameEnd: number;
  expr: Expr;
}

export interface Label extends Spanned {
  value: string;
}

export interface Block extends Spanned {
  kind: 'block';
  type: string;
  typeStart: number;
  typeEnd: number;
  labels: Label[];
  body: Body;
}

export type Statement = Attribute | Block;

export interface Body extends Spanned {
  statements: Statement[];
}

export interface Comment extends Spanned {
  text: string;
}

export interface SyntaxIssue extends Spanned {
  message: string;
  /** Where the parser noticed the problem, when that differs from where it is reported. */
  detectedAt?: number;
}

export interface HclFile {
  text: string;
  lines: LineIndex;
  body: Body;
  comments: Comment[];
  errors: SyntaxIssue[];
}

let parser: Parser | undefined;
function getParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(HCL);
  }
  return parser;
}

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

export function parseHcl(text: string): HclFile {
  const lines = new LineIndex(text);
  // Hardening (docs/security.md): what tree-sitter-hcl cannot read is refused before parsing, and a parse that
  // error recovery makes super-linear is stopped.
  const refused = beyondParser(text);
  if (refused) return { text, lines, body: { start: 0, end: 0, statements: [] }, comments: [], errors: [refused] };
  const masked = maskEscapes(maskExponents(text));
  const deadline = parseDeadline(masked.length);
  // Returning true cancels the parse (web-tree-sitter's type says void, its documentation and code say boolean).
  const progressCallback = deadline.expired as unknown as (state: ParseState) => void;
  const tree = getParser().parse(masked, null, { progressCallback });
  if (!tree) {
    // A cancelled parse would be resumed by the next call: start afresh.
    getParser().reset();
    return { text, lines, body: { start: 0, end: 0, statements: [] }, comments: [], errors: [deadline.issue(text)] };
  }
  const commentNodes: Node[] = [];
  let root: Node;
  try {
    root = copyTree(tree, commentNodes);
  } finally {
    // WebAssembly memory is not garbage-collected: a tree must be freed by hand.
    tree.delete();
  }
  const comments: Comment[] = commentNodes.map((c) => ({ start: c.startIndex, end: c.endIndex, text: text.slice(c.startIndex, c.endIndex) }));
  const errors: SyntaxIssue[] = [];
  const conv = new Converter(text, lines, errors);
  const bodyNode = root.namedChildren.find((c) => c.type === 'body');
  let body: Body = { start: 0, end: 0, statements: [] };
  try {
    if (bodyNode) body = conv.body(bodyNode);
  } catch (e) {
    // Thousands of nested brackets exhaust the stack of the recursive conversion: say so instead of crashing.
    if (!(e instanceof RangeError)) throw e;
    errors.push({ message: 'expressions are nested too deeply for pkrlint to read', start: 0, end: Math.min(1, text.length) });
  }
  if (root.hasError) conv.collectErrors(root);
  else conv.strictness(body, root);
  comments.sort((a, b) => a.start - b.start);
  return { text, lines, body, comments, errors: firstError(errors) };
}

/**
 * After the first parse error tree-sitter's recovery produces follow-on errors that only confuse; like most
 * compilers we report the error detected first in the text, at the place that explains it (for an unclosed
 * block, where it opens). Among errors detected at the same place, the innermost construct wins.
 */
function firstError(errors: SyntaxIssue[]): SyntaxIssue[] {
  if (errors.length <= 1) return errors;
  const best = [...errors].sort((a, b) => (a.detectedAt ?? a.start) - (b.detectedAt ?? b.start) || b.start - a.start)[0];
  return [best];
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Unescapes the literal part of a quoted template (HCL escapes plus `$${` and `%%{`). */
function unescapeQuoted(s: string): string {
  return s
    .replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (m, c: string) => {
      if (c.length > 1) return String.fromCodePoint(parseInt(c.slice(1), 16));
      return ESCAPES[c] ?? m;
    })
    .replace(/\$\$\{/g, '${')
    .replace(/%%\{/g, '%{');
}

function unescapeHeredoc(s: string): string {
  return s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

class Converter {
  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly errors: SyntaxIssue[],
  ) {}

  private slice(n: Node): string {
    return this.text.slice(n.startIndex, n.endIndex);
  }

  /** `depth`: blocks above this body; past MAX_BLOCK_DEPTH a body is accepted but not modelled (text.ts). */
  body(node: Node, depth = 0): Body {
    const statements: Statement[] = [];
    if (depth >= MAX_BLOCK_DEPTH) return { start: node.startIndex, end: node.endIndex, statements };
    for (const c of node.children) {
      if (c.type === 'attribute') statements.push(this.attribute(c));
      else if (c.type === 'block') statements.push(this.block(c, depth));
    }
    return { start: node.startIndex, end: node.endIndex, statements };
  }


  private attribute(node: Node): Attribute {
    const kids = node.children;
    const id = kids.find((c) => c.type === 'identifier');
    const exprNode = kids.find((c) => c.type === 'expression');
    return {
      kind: 'attribute',
      name: id ? this.slice(id) : '',
      nameStart: id?.startIndex ?? node.startIndex,
      nameEnd: id?.endIndex ?? node.startIndex,
      expr: exprNode ? this.expr(exprNode, 0) : { kind: 'other', children: [], start: node.endIndex, end: node.endIndex },
      start: node.startIndex,
      end: node.endIndex,
    };
  }

  private block(node: Node, depth: number): Block {
    const kids = node.children;
    const id = kids.find((c) => c.type === 'identifier');
    const labels: Label[] = [];
    let body: Body | undefined;
    for (const c of kids) {
      if (c.type === 'string_lit') {
        labels.push({ value: this.templateText(c), start: c.startIndex, end: c.endIndex });
      } else if (c.type === 'identifier' && c !== id) {
        labels.push({ value: this.slice(c), start: c.startIndex, end: c.endIndex });
      } else if (c.type === 'body') {
        body = this.body(c, depth + 1);
      }
    }
    const start = kids.find((c) => c.type === 'block_start');
    const empty = start ? start.endIndex : node.endIndex;
    return {
      kind: 'block',
      type: id ? this.slice(id) : '',
      typeStart: id?.startIndex ?? node.startIndex,
      typeEnd: id?.endIndex ?? node.startIndex,
      labels,
      body: body ?? { start: empty, end: empty, statements: [] },
      start: node.startIndex,
      end: node.endIndex,
    };
  }

  /** The literal text of a string_lit label (labels cannot contain interpolations). */
  private templateText(n: Node): string {
    const kids = n.children;
    const open = kids.find((c) => c.type === 'quoted_template_start');
    const close = kids.find((c) => c.type === 'quoted_template_end');
    const s = open ? open.endIndex : n.startIndex;
    const e = close && !close.isMissing ? close.startIndex : n.endIndex;
    return unescapeQuoted(this.text.slice(s, e));
  }

  /**
   * `depth`: composite expressions above this one. Past MAX_EXPRESSION_DEPTH an expression is accepted but opaque
   * (unknown to every rule), so that nothing after parsing recurses without bound (text.ts).
   */
  expr(node: Node, depth: number): Expr {
    const start = node.startIndex;
    const end = node.endIndex;
    if (depth >= MAX_EXPRESSION_DEPTH) return { kind: 'other', children: [], start, end };
    const sub = (n: Node) => this.expr(n, depth + 1);
    switch (node.type) {
      case 'expression': {
        if (node.namedChildCount === 1 && node.firstNamedChild!.type !== 'comment') return this.expr(node.firstNamedChild!, depth);
        const kids = node.namedChildren.filter((c) => c.type !== 'comment');
        if (kids.length === 1) return this.expr(kids[0], depth);
        if (kids.length > 1 && kids[0].type === 'variable_expr') return this.traversal(kids, start, end, depth);
        return { kind: 'other', children: kids.map(sub), start, end };
      }
      case 'literal_value': {
        const k = node.firstNamedChild;
        if (!k) return { kind: 'other', children: [], start, end };
        if (k.type === 'numeric_lit') {
          const raw = this.slice(k);
          // tree-sitter-hcl also takes Go's forms (0x10, 1_000); HCL numbers are decimal only.
          if (!/^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) this.errors.push({ message: `invalid number ${JSON.stringify(raw)}: HCL numbers are decimal, such as 16 or 1.5e3`, start: k.startIndex, end: k.endIndex });
          return { kind: 'literal', value: Number(raw), start, end };
        }
        if (k.type === 'bool_lit') return { kind: 'literal', value: this.slice(k) === 'true', start, end };
        if (k.type === 'null_lit') return { kind: 'literal', value: null, start, end };
        if (k.type === 'string_lit') return this.template(k, false, depth);
        return { kind: 'other', children: [], start, end };
      }
      case 'string_lit':
        return this.template(node, false, depth);
      case 'template_expr': {
        const k = node.firstNamedChild;
        if (!k) return { kind: 'other', children: [], start, end };
        return this.template(k, k.type === 'heredoc_template', depth);
      }
      case 'variable_expr':
        return this.traversal([node], start, end, depth);
      case 'collection_value':
        const k = node.firstNamedChild;
        return k ? this.expr(k, depth) : { kind: 'other', children: [], start, end };
      case 'tuple':
        return { kind: 'tuple', items: node.namedChildren.filter((c) => c.type === 'expression').map(sub), start, end };
      case 'object':
        return {
          kind: 'object',
          items: node.namedChildren
            .filter((c) => c.type === 'object_elem')
            .map((el) => {
              const [k, v] = el.namedChildren.filter((c) => c.type === 'expression');
              const key: Expr = k ? sub(k) : { kind: 'other', children: [], start: el.startIndex, end: el.startIndex };
              const value: Expr = v ? sub(v) : { kind: 'other', children: [], start: el.endIndex, end: el.endIndex };
              return { key, value, start: el.startIndex, end: el.endIndex };
            }),
          start,
          end,
        };
      case 'function_call': {
        const kids = node.children;
        const id = kids.find((c) => c.type === 'identifier');
        const args = kids.find((c) => c.type === 'function_arguments');
        return {
          kind: 'call',
          name: id ? this.slice(id) : '',
          args: args ? args.namedChildren.filter((c) => c.type === 'expression').map(sub) : [],
          start,
          end,
        };
      }
      default:
        return { kind: 'other', children: node.namedChildren.filter((c) => c.type !== 'comment').map(sub), start, end };
    }
  }

  private traversal(kids: Node[], start: number, end: number, depth: number): Expr {
    const sub = (n: Node) => this.expr(n, depth + 1);
    const root = this.slice(kids[0]);
    const steps: TraversalStep[] = [];
    let splat = false;
    for (const k of kids.slice(1)) {
      if (k.type === 'get_attr') {
        const id = k.namedChildren.find((c) => c.type === 'identifier');
        steps.push({ name: id ? this.slice(id) : '', start: k.startIndex, end: k.endIndex });
      } else if (k.type === 'index') {
        const inner = k.namedChildren.find((c) => c.type === 'expression');
        const e = inner ? sub(inner) : undefined;
        if (e && e.kind === 'literal' && (typeof e.value === 'number' || typeof e.value === 'string')) {
          steps.push({ name: e.value, start: k.startIndex, end: k.endIndex });
        } else if (e && e.kind === 'template' && e.parts.every((p) => typeof p === 'string')) {
          steps.push({ name: e.parts.join(''), start: k.startIndex, end: k.endIndex });
        } else {
          return { kind: 'other', children: kids.map(sub), start, end };
        }
      } else if (k.type === 'splat' || k.type === 'attr_splat' || k.type === 'full_splat') {
        splat = true;
      } else {
        return { kind: 'other', children: kids.map(sub), start, end };
      }
    }
    return { kind: 'traversal', root, steps, splat, start, end };
  }

  private template(node: Node, heredoc: boolean, depth: number): Expr {
    const parts: Array<string | Expr> = [];
    let hasDirective = false;
    const kids = node.children;
    // Literal text is whatever lies between delimiters and interpolations, taken from the source so that
    // whitespace the grammar leaves out of template_literal nodes is kept.
    let cursor = -1;
    let bodyEnd = node.endIndex;
    for (const c of kids) {
      if (c.type === 'quoted_template_start') cursor = c.endIndex;
      else if (c.type === 'quoted_template_end') bodyEnd = c.isMissing ? node.endIndex : c.startIndex;
      else if (c.type === 'heredoc_identifier' && cursor < 0) {
        // The body starts on the line after the opening identifier.
        const nl = this.text.indexOf('\n', c.endIndex);
        cursor = nl < 0 ? c.endIndex : nl + 1;
      } else if (c.type === 'heredoc_identifier') {
        bodyEnd = c.isMissing ? node.endIndex : this.lineStartOf(c.startIndex);
      }
    }
    if (cursor < 0) cursor = node.startIndex;
    const pushLiteral = (s: number, e: number) => {
      if (e <= s) return;
      const raw = this.text.slice(s, e);
      if (!heredoc && raw.includes('\n')) {
        // tree-sitter-hcl lets a quoted string run across lines; HCL does not, so the quote was never closed.
        const line = this.lines.position(node.startIndex).line;
        const eol = this.text.indexOf('\n', node.startIndex);
        this.errors.push({ message: `unterminated string started at line ${line}`, start: node.startIndex, end: eol < 0 ? node.endIndex : eol, detectedAt: node.startIndex });
      }
      const lit = heredoc ? unescapeHeredoc(raw) : unescapeQuoted(raw);
      if (typeof parts[parts.length - 1] === 'string') parts[parts.length - 1] += lit;
      else parts.push(lit);
    };
    for (const c of kids) {
      if (c.type === 'template_interpolation' || c.type === 'template_directive') {
        pushLiteral(cursor, c.startIndex);
        cursor = c.endIndex;
        if (c.type === 'template_directive') {
          hasDirective = true;
          parts.push({ kind: 'other', children: this.innerExprs(c, depth + 1), start: c.startIndex, end: c.endIndex });
        } else {
          const inner = c.namedChildren.find((x) => x.type === 'expression');
          parts.push(inner ? this.expr(inner, depth + 1) : { kind: 'other', children: [], start: c.startIndex, end: c.endIndex });
        }
      }
    }
    pushLiteral(cursor, bodyEnd);
    if (heredoc && /^<<-/.test(this.text.slice(node.startIndex, node.startIndex + 3))) {
      return { kind: 'template', parts: dedent(parts), hasDirective, heredoc, start: node.startIndex, end: node.endIndex };
    }
    return { kind: 'template', parts, hasDirective, heredoc, start: node.startIndex, end: node.endIndex };
  }

  private innerExprs(n: Node, depth: number): Expr[] {
    const out: Expr[] = [];
    // Iterative: a directive's own nodes may nest deeply before reaching an expression.
    const work = [...n.namedChildren].reverse();
    while (work.length) {
      const c = work.pop()!;
      if (c.type === 'expression') out.push(this.expr(c, depth));
      else work.push(...[...c.namedChildren].reverse());
    }
    return out;
  }

  private lineStartOf(offset: number): number {
    return this.lines.lineStart(this.lines.position(offset).line);
  }

  /** Turns tree-sitter's ERROR and MISSING nodes into messages a person can act on. */
  collectErrors(root: Node): void {
    this.missingEquals(root);
    // Iterative, in document order: the tree may be as deep as the input is long. Only the error detected first is
    // reported (firstError), and none is detected before its node starts: once nodes start after the earliest
    // detection so far, the rest cannot win, and a file with a hundred thousand errors costs no more than one.
    let best = Infinity;
    for (const e of this.errors) best = Math.min(best, e.detectedAt ?? e.start);
    const work: Node[] = [root];
    while (work.length) {
      const n = work.pop()!;
      if (n.startIndex > best) break;
      let e: SyntaxIssue | undefined;
      if (n.isMissing) e = this.missing(n);
      else if (n.type === 'ERROR') e = this.errorNode(n);
      else if (n.hasError) for (let i = n.children.length - 1; i >= 0; i--) work.push(n.children[i]);
      if (e) {
        this.errors.push(e);
        best = Math.min(best, e.detectedAt ?? e.start);
      }
    }
  }

  /** Where the line holding `offset` ends (its newline), or -1 on the last line: by the line index, not a scan. */
  private lineEndAt(offset: number): number {
    const line = this.lines.position(offset).line;
    return line < this.lines.lineCount ? this.lines.lineStart(line + 1) - 1 : -1;
  }

  /**
   * `name "value"` with the `=` left out sends tree-sitter's recovery several lines further before it gives up;
   * the line itself is the one to show.
   */
  private missingEquals(root: Node): void {
    const re = /^[ \t]*([A-Za-z_][\w-]*)[ \t]+("(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?|true|false|\[.*\])[ \t]*(?:#.*|\/\/.*)?$/;
    for (let line = 1; line <= this.lines.lineCount; line++) {
      const m = re.exec(this.lines.lineText(line));
      if (!m) continue;
      const start = this.lines.lineStart(line) + m[0].indexOf(m[1]);
      const at = deepestAt(root, start);
      if (at.type === 'comment' || at.parent?.type === 'heredoc_template' || at.type === 'template_literal') continue;
      this.errors.push({ message: `expected '=' after "${m[1]}"`, start, end: start + m[1].length, detectedAt: start });
      return;
    }
  }

  private describeOpen(n: Node | null): { what: string; line: number; start: number; headEnd: number } | undefined {
    for (let p = n; p; p = p.parent) {
      const line = this.lines.position(p.startIndex).line;
      const nl = this.lineEndAt(p.startIndex);
      const headEnd = nl < 0 ? p.endIndex : Math.min(p.endIndex, nl);
      const r = { line, start: p.startIndex, headEnd: Math.max(headEnd, p.startIndex + 1) };
      switch (p.type) {
        case 'block':
          return { what: 'block', ...r };
        case 'object':
          return { what: 'object', ...r };
        case 'tuple':
          return { what: 'list', ...r };
        case 'function_call':
          return { what: 'function call', ...r };
        case 'quoted_template':
        case 'string_lit':
          return { what: 'string', ...r };
        case 'heredoc_template':
          return { what: 'heredoc', ...r };
        case 'template_interpolation':
          return { what: 'interpolation', ...r };
      }
    }
    return undefined;
  }

  /**
   * The exact place of the problem inside an ERROR region, where one of a few common shapes shows it: a character
   * the grammar does not know (`$x` outside a string), a token after a complete argument on its line (`1e`, `a = 1 b`),
   * an interpolation that is never closed.
   */
  private pinpoint(n: Node): SyntaxIssue | undefined {
    const kids = n.children;
    let cursor = n.startIndex;
    for (const c of kids) {
      const gap = this.text.slice(cursor, c.startIndex);
      const bad = /[^\s]/.exec(gap);
      if (bad) {
        const at = cursor + bad.index;
        return { message: `unexpected character '${gap[bad.index]}'`, start: at, end: at + 1, detectedAt: at };
      }
      cursor = Math.max(cursor, c.endIndex);
    }
    for (let i = 1; i < kids.length; i++) {
      const prev = kids[i - 1];
      const c = kids[i];
      if ((prev.type === 'attribute' || prev.type === 'block') && c.endIndex > c.startIndex && this.lines.position(c.startIndex).line === this.lines.position(prev.endIndex).line) {
        const tok = this.text.slice(c.startIndex, c.endIndex).split('\n')[0];
        return { message: `unexpected '${tok.length > 20 ? tok.slice(0, 20) + '…' : tok}' after "${this.text.slice(prev.startIndex, prev.endIndex).split('\n')[0]}"`, start: c.startIndex, end: c.startIndex + tok.length, detectedAt: c.startIndex };
      }
    }
    const interp = kids.findIndex((c) => c.type === 'template_interpolation_start');
    if (interp >= 0 && !kids.slice(interp).some((c) => c.type === 'template_interpolation_end')) {
      const c = kids[interp];
      return { message: `unclosed interpolation '\${' started at line ${this.lines.position(c.startIndex).line}`, start: c.startIndex, end: c.endIndex, detectedAt: c.startIndex };
    }
    return undefined;
  }

  private missing(n: Node): SyntaxIssue {
    const open = this.describeOpen(n.parent);
    const at = n.startIndex;
    const token = n.type;
    const closes = ['}', ']', ')', 'block_end', 'object_end', 'tuple_end', 'quoted_template_end', 'heredoc_identifier', 'template_interpolation_end'];
    if (open && closes.includes(token)) {
      const message = open.what === 'string' || open.what === 'heredoc' ? `unterminated ${open.what} started at line ${open.line}` : `unclosed ${open.what} started at line ${open.line}`;
      return { message, start: open.start, end: open.headEnd, detectedAt: at };
    }
    const attr = n.parent?.type === 'variable_expr' && n.parent.parent?.parent?.type === 'attribute' ? n.parent.parent.parent : undefined;
    if (token === 'identifier' && attr) {
      const name = attr.children.find((c) => c.type === 'identifier');
      const eq = attr.children.find((c) => c.type === '=');
      const start = name?.startIndex ?? attr.startIndex;
      return { message: `expected a value after "${name ? this.slice(name) : ''} ="`, start, end: Math.max(start + 1, eq?.endIndex ?? start + 1), detectedAt: at };
    }
    const message = `missing ${/^[a-z_]+$/.test(token) ? token.replace(/_/g, ' ') : `'${token}'`}`;
    const end = Math.min(this.text.length, at + 1);
    return { message, start: Math.min(at, end), end: Math.max(end, at) };
  }

  private errorNode(n: Node): SyntaxIssue {
    const specific = this.pinpoint(n);
    if (specific) return specific;
    const text = this.slice(n);
    const first = n.children[0];
    const line = this.lines.position(n.startIndex).line;
    let message: string;
    const openBraces = (text.match(/\{/g) ?? []).length;
    const closeBraces = (text.match(/\}/g) ?? []).length;
    if (n.endIndex >= this.text.trimEnd().length && openBraces > closeBraces) {
      message = `unclosed block started at line ${line}`;
    } else if (first && first.type === 'identifier' && n.children[1] && n.children[1].type !== '=' && !/^\s*[{"]/.test(this.text.slice(first.endIndex, n.endIndex))) {
      message = `expected '=' or a block after '${this.slice(first)}'`;
    } else {
      const tok = text.trim().split(/\s+/)[0] ?? '';
      message = tok ? `unexpected '${tok.length > 20 ? tok.slice(0, 20) + '…' : tok}'` : 'unexpected input';
    }
    // Report at the first line of the erroneous region, which is where the reader must look.
    const lineEnd = this.lineEndAt(n.startIndex);
    const end = Math.max(n.startIndex + 1, Math.min(n.endIndex, lineEnd < 0 ? n.endIndex : lineEnd));
    return { message, start: n.startIndex, end: Math.min(end, this.text.length) };
  }

  /**
   * Checks HCL imposes that tree-sitter-hcl does not: a file is a body (tree-sitter-hcl also takes a lone object,
   * such as JSON written into a .pkr.hcl file), one argument or block per line.
   */
  strictness(body: Body, root?: Node): void {
    const notBody = root?.namedChildren.find((c) => c.type !== 'body' && c.type !== 'comment');
    if (notBody) {
      const json = notBody.type === 'object' ? ' (is this JSON? HCL in JSON syntax goes in a .pkr.json file)' : '';
      this.errors.push({ message: `expected an argument or a block, not ${notBody.type === 'object' ? 'an object' : 'an expression'}${json} (Packer: "Argument or block definition required")`, start: notBody.startIndex, end: notBody.startIndex + 1 });
      return;
    }
    let prevEnd = -1;
    let prevLine = -1;
    const seen = new Map<string, Attribute>();
    for (const s of body.statements) {
      if (s.kind === 'attribute') {
        const first = seen.get(s.name);
        if (first) this.errors.push({ message: `attribute "${s.name}" is already defined at line ${this.lines.position(first.start).line} (Packer: "Attribute redefined")`, start: s.nameStart, end: s.nameEnd });
        else seen.set(s.name, s);
      }
      const line = this.lines.position(s.start).line;
      if (prevEnd >= 0 && line === prevLine) {
        this.errors.push({ message: 'each argument or block must be on its own line', start: s.start, end: s.kind === 'attribute' ? s.nameEnd : s.typeEnd });
      }
      prevEnd = s.end;
      prevLine = this.lines.position(s.end).line;
      if (s.kind === 'block') this.strictness(s.body);
    }
  }
}

/**
 * tree-sitter-hcl keeps a stack of open strings, heredocs, interpolations and directives in its external scanner,
 * and tree-sitter stores it in at most 1024 bytes (TREE_SITTER_SERIALIZATION_BUFFER_SIZE), 127 entries and 127-byte
 * heredoc markers: past that the scanner silently loses its state, the parse is wrong, and its error recovery turns
 * quadratic (57 s for 400 KB of nested `"${`). Packer has no such limit. This linear scan follows the same contexts
 * and says where a file goes past what the parser can hold; such a file gets one finding and is not parsed.
 */
function beyondParser(text: string): SyntaxIssue | undefined {
  // Serialized: 4 bytes of count, then per context 4 bytes of type, 4 of marker length, the marker. Margin kept.
  const LIMIT_BYTES = 1000;
  const LIMIT_ENTRIES = 120;
  type Ctx = { k: 'code'; braces: number } | { k: 'str' } | { k: 'heredoc'; marker: string; indented: boolean };
  const stack: Ctx[] = [{ k: 'code', braces: 0 }];
  let bytes = 4;
  const n = text.length;
  const beyondParser = (at: number, why: string): SyntaxIssue => ({
    message: `${why}: more than pkrlint's HCL parser (tree-sitter-hcl) can hold, although Packer reads it; not checked`,
    start: at,
    end: Math.min(n, at + 1),
  });
  const push = (c: Ctx, at: number): SyntaxIssue | undefined => {
    stack.push(c);
    const marker = c.k === 'heredoc' ? c.marker.length : 0;
    bytes += 8 + marker;
    // The file's own level is not a scanner context; interpolations are (code contexts above the first).
    if (marker > 127) return beyondParser(at, `a heredoc marker of ${marker} characters`);
    if (stack.length - 1 > LIMIT_ENTRIES || bytes > LIMIT_BYTES) return beyondParser(at, `strings, heredocs and interpolations nested ${stack.length - 1} deep`);
    return undefined;
  };
  const pop = () => {
    const c = stack.pop()!;
    bytes -= 8 + (c.k === 'heredoc' ? c.marker.length : 0);
  };
  let i = 0;
  let lineStart = true;
  /** In template text: `$${` and `%%{` are escapes; `${` and `%{` open an interpolation or a directive. */
  const templateChar = (c: string): SyntaxIssue | undefined => {
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 3;
    else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      const bad = push({ k: 'code', braces: 0 }, i);
      if (bad) return bad;
      i += 2;
    } else i++;
    return undefined;
  };
  const heredocStart = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/y;
  while (i < n) {
    const top = stack[stack.length - 1];
    const c = text[i];
    if (top.k === 'code') {
      if (c === '#' || (c === '/' && text[i + 1] === '/')) {
        while (i < n && text[i] !== '\n') i++;
        continue;
      }
      if (c === '/' && text[i + 1] === '*') {
        const e = text.indexOf('*/', i + 2);
        i = e < 0 ? n : e + 2;
        continue;
      }
      if (c === '"') {
        const bad = push({ k: 'str' }, i);
        if (bad) return bad;
        i++;
        continue;
      }
      if (c === '<' && text[i + 1] === '<') {
        heredocStart.lastIndex = i;
        const m = heredocStart.exec(text);
        if (m) {
          const bad = push({ k: 'heredoc', marker: m[2], indented: m[1] === '-' }, i);
          if (bad) return bad;
          i += m[0].length;
          lineStart = true;
          continue;
        }
      }
      if (stack.length > 1) {
        if (c === '{') top.braces++;
        else if (c === '}') {
          if (top.braces === 0) pop();
          else top.braces--;
        }
      }
      i++;
      continue;
    }
    if (top.k === 'str') {
      // tree-sitter-hcl lets a quoted string run on across lines (an error reported later): so does this scan.
      if (c === '\\') i += 2;
      else if (c === '"') {
        pop();
        i++;
      } else {
        const bad = templateChar(c);
        if (bad) return bad;
      }
      continue;
    }
    // A heredoc: its closing marker stands alone on a line.
    if (lineStart) {
      const eol = text.indexOf('\n', i);
      const line = text.slice(i, eol < 0 ? n : eol).replace(/\r$/, '');
      if (line.trim() === top.marker) {
        pop();
        i = eol < 0 ? n : eol;
        lineStart = false;
        continue;
      }
    }
    lineStart = c === '\n';
    const bad = templateChar(c);
    if (bad) return bad;
  }
  return undefined;
}

/**
 * tree-sitter's error recovery costs time quadratic in the number of errors it meets (tree-sitter PR #5801 fixes it
 * upstream): 32 KB of `"}` takes seconds. A parse gets 250 ms plus 10 µs per character — some 25 times what a valid
 * file needs — after which it stops with a finding. The limit is on time, so it bounds the cost on any input; a
 * template a person wrote never comes near it.
 */
function parseDeadline(length: number): { expired: () => boolean; issue: (text: string) => SyntaxIssue } {
  const started = performance.now();
  const budget = 250 + length / 100;
  return {
    expired: () => performance.now() - started > budget,
    issue: (text) => ({
      message: `pkrlint gave up parsing this file after ${((performance.now() - started) / 1000).toFixed(1)} s: it has more syntax errors than its parser can untangle in reasonable time; check it with \`packer validate -syntax-only\``,
      start: 0,
      end: Math.min(1, text.length),
    }),
  };
}

/** The deepest node containing `offset`, found by binary search among each node's children (they are in order). */
function deepestAt(root: Node, offset: number): Node {
  let n = root;
  for (;;) {
    const kids = n.children;
    let lo = 0;
    let hi = kids.length - 1;
    let next: Node | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = kids[mid];
      if (c.endIndex <= offset) lo = mid + 1;
      else if (c.startIndex > offset) hi = mid - 1;
      else {
        next = c;
        break;
      }
    }
    if (!next || next.startIndex === next.endIndex) return n;
    n = next;
  }
}

/** `<<-` heredocs strip the common leading whitespace of their lines. */
function dedent(parts: Array<string | Expr>): Array<string | Expr> {
  const literal = parts.filter((p): p is string => typeof p === 'string').join('\u0000');
  const lines = literal.split('\n').filter((l) => l.trim().length > 0);
  // A loop, not Math.min(...lines): a heredoc of 100 000 lines would exceed the call's argument limit.
  let indent = Infinity;
  for (const l of lines) indent = Math.min(indent, /^[ \t]*/.exec(l)![0].length);
  if (!Number.isFinite(indent) || indent === 0) return parts;
  return parts.map((p, i) => {
    if (typeof p !== 'string') return p;
    const atLineStart = i === 0;
    return p.replace(new RegExp(`(${atLineStart ? '^|' : ''}\\n)[ \\t]{0,${indent}}`, 'g'), '$1');
  });
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
