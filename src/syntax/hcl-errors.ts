/** Error messages: tree-sitter's ERROR and MISSING nodes, and what HCL forbids but the grammar accepts, in words a person can act on. */
import { deepestAt, NodeText, type Node } from './hcl-tree.js';
import type { Attribute, Body, Spanned, SyntaxIssue } from './hcl-model.js';

export class SyntaxErrors extends NodeText {
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
 * After the first parse error tree-sitter's recovery produces follow-on errors that only confuse; like most
 * compilers we report the error detected first in the text, at the place that explains it (for an unclosed
 * block, where it opens). Among errors detected at the same place, the innermost construct wins.
 */
export function firstError(errors: SyntaxIssue[]): SyntaxIssue[] {
  if (errors.length <= 1) return errors;
  const best = [...errors].sort((a, b) => (a.detectedAt ?? a.start) - (b.detectedAt ?? b.start) || b.start - a.start)[0];
  return [best];
}

/**
 * The ranges error recovery may have made wrong (HclFile.damaged): for each ERROR and MISSING node of the tree, the
 * nearest block around it, or the node itself at the top level; for an error the grammar does not see (an attribute
 * defined twice, two arguments on a line), the innermost block of the model around it. Iterative: the tree may be
 * as deep as the input is long.
 */
export function damagedRanges(root: Node, body: Body, errors: SyntaxIssue[]): Spanned[] {
  const out: Spanned[] = [];
  const work: Node[] = [root];
  // The nearest block above a node, remembered for every node passed on the way: linear however deep the tree.
  const blockAbove = new Map<Node, Node | null>();
  const nearestBlock = (n: Node): Node | null => {
    const path: Node[] = [];
    let p = n.parent;
    let found: Node | null = null;
    for (; p; p = p.parent) {
      if (p.type === 'block') {
        found = p;
        break;
      }
      const known = blockAbove.get(p);
      if (known !== undefined) {
        found = known;
        break;
      }
      path.push(p);
    }
    for (const q of path) blockAbove.set(q, found);
    return found;
  };
  while (work.length) {
    const n = work.pop()!;
    if (n.isMissing || n.type === 'ERROR') {
      const p = nearestBlock(n);
      out.push({ start: Math.min(n.startIndex, p?.startIndex ?? n.startIndex), end: Math.max(n.endIndex, p?.endIndex ?? n.endIndex, n.startIndex + 1) });
    } else if (n.hasError) {
      for (const c of n.children) work.push(c);
    }
  }
  for (const e of errors) {
    let around: Spanned = e;
    if (!root.hasError) {
      for (let b: Body | undefined = body; b; ) {
        const s = statementAt(b, e.start);
        if (!s || s.kind !== 'block') break;
        around = s;
        b = s.body;
      }
    }
    out.push({ start: around.start, end: Math.max(around.end, around.start + 1) });
  }
  return mergeRanges(out);
}

/** The statement of a body (in order, disjoint) containing an offset, by binary search. */
function statementAt(b: Body, offset: number) {
  let lo = 0;
  let hi = b.statements.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (b.statements[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  const s = b.statements[lo];
  return s && s.start <= offset ? s : undefined;
}

/** Ranges sorted by start, the overlapping and touching ones merged. */
export function mergeRanges(ranges: Spanned[]): Spanned[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: Spanned[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}

/** Whether [start, end) (a point when empty) meets one of the merged, sorted ranges: a binary search. */
export function meetsAny(ranges: readonly Spanned[], start: number, end: number): boolean {
  let lo = 0;
  let hi = ranges.length;
  // The first range ending after `start`.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].end <= start) lo = mid + 1;
    else hi = mid;
  }
  const r = ranges[lo];
  return r !== undefined && r.start < Math.max(end, start + 1);
}
