/** tree-sitter-hcl's nodes turned into the reader's model (hcl-model.ts); syntax the model cannot hold is reported. */
import { NodeText, type Node } from './hcl-tree.js';
import type { Attribute, Block, Body, Expr, Label, Statement, TraversalStep } from './hcl-model.js';
import { MAX_BLOCK_DEPTH, MAX_EXPRESSION_DEPTH } from './text.js';

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

export class Converter extends NodeText {
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
      case 'collection_value': {
        const k = node.firstNamedChild;
        return k ? this.expr(k, depth) : { kind: 'other', children: [], start, end };
      }
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
      const last = parts[parts.length - 1];
      if (typeof last === 'string') parts[parts.length - 1] = last + lit;
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
