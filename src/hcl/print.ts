import { isIdentifier, type OutBody, type OutExpr, type OutItem, type OutObjectEntry, type OutTemplatePart } from './model.js';

/** Lists whose one-line form is longer than this are written one item per line. */
const MAX_INLINE = 100;

interface Line {
  depth: number;
  lead: string;
  /** `= value` part of a single-line assignment; aligned across consecutive lines, as hclwrite does. */
  assign?: string;
  /** The items, entries and notes this line is the line of (Printed.lineOf). */
  nodes?: object[];
}

/** Characters that act on a terminal or break lines: C0 controls, DEL, C1 controls, line separators, bidi controls. */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

/** Escapes literal template text: quotes, backslashes, control characters, and `${` / `%{` sequences. */
export function escapeLiteral(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if ((c === '$' || c === '%') && next === '{') out += c + c;
    else if (c === '\\') out += '\\\\';
    else if (c === '"') out += '\\"';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (UNSAFE.test(c)) out += '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0');
    else out += c;
  }
  return out;
}

/**
 * Text as it may reach a terminal (in a report, or in a comment of an output file someone will `cat`): control
 * characters (C0 with newline and tab, DEL, C1), line and paragraph separators and bidirectional overrides are written
 * as visible escapes (`\x1b`, `\n`, `\u202e`), so that a template or file name cannot move the cursor, retitle the
 * window, clear the screen or forge report lines.
 */
export function visible(text: string): string {
  return text.replace(UNSAFE_ALL, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    if (named[c]) return named[c];
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** A block label: a quoted string without interpolation. */
export function quoteLabel(text: string): string {
  return '"' + escapeLiteral(text) + '"';
}

/** Words that cannot stand bare as an object key (`{ for … }` starts a for expression; literals are values). */
const KEY_WORDS = new Set(['for', 'in', 'if', 'null', 'true', 'false']);

/** An object key: bare when it is an identifier (HCL reads a bare key as a literal string), else quoted. */
export function objectKey(text: string): string {
  return isIdentifier(text) && !KEY_WORDS.has(text) ? text : quoteLabel(text);
}

function templateText(parts: OutTemplatePart[]): string {
  let out = '';
  parts.forEach((p, i) => {
    if (typeof p === 'string') {
      const nextIsInterp = i + 1 < parts.length && typeof parts[i + 1] !== 'string';
      // A literal `$` or `%` right before an interpolation would fuse with it into an escape: write it as an interpolated string.
      // (Scanned from the end: the regular expression /[$%]+$/ takes quadratic time on a long run of `$`.)
      let cut = p.length;
      if (nextIsInterp) while (cut > 0 && (p[cut - 1] === '$' || p[cut - 1] === '%')) cut--;
      out += escapeLiteral(p.slice(0, cut));
      if (cut < p.length) out += '${"' + p.slice(cut) + '"}';
    } else out += '${' + inline(p) + '}';
  });
  return '"' + out + '"';
}

/** The one-line form of an expression. */
export function inline(e: OutExpr): string {
  switch (e.kind) {
    case 'template':
      return templateText(e.parts);
    case 'ref':
      return e.path.join('.');
    case 'call':
      return `${e.name}(${e.args.map(inline).join(', ')})`;
    case 'index':
      return `${inline(e.target)}[${inline(e.key)}]`;
    case 'list':
      return `[${e.items.map(inline).join(', ')}]`;
    case 'object':
      return e.entries.length === 0 ? '{}' : `{ ${e.entries.map((en) => `${objectKey(en.key)} = ${inline(en.value)}`).join(', ')} }`;
    case 'number':
      return e.raw;
    case 'bool':
      return String(e.value);
    case 'null':
      return 'null';
    case 'binary':
      return `${operand(e.left, e.op)} ${e.op} ${operand(e.right, e.op)}`;
    case 'conditional':
      return `${operand(e.cond, '?')} ? ${operand(e.then, '?')} : ${operand(e.else, '?')}`;
  }
}

const PRECEDENCE: Record<string, number> = { '?': 0, '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '<=': 4, '>': 4, '>=': 4 };

/** An operand of an operator: parenthesised unless it binds tighter (a chain of the same `&&` or `||` stays flat). */
function operand(e: OutExpr, op: string): string {
  const tighter = e.kind === 'binary' && (PRECEDENCE[e.op] > PRECEDENCE[op] || (e.op === op && (op === '&&' || op === '||')));
  return e.kind === 'conditional' || (e.kind === 'binary' && !tighter) ? `(${inline(e)})` : inline(e);
}

/**
 * A comment line: `#`, then the text after a space. Control characters are made visible: a line break in the text
 * (a JSON key, a message quoting template text) would otherwise end the comment and turn the rest into HCL.
 */
function commentLine(text: string): string {
  return text === '' ? '#' : `# ${text.split('\t').map(visible).join('\t')}`;
}

function needsLines(e: OutExpr): boolean {
  if (e.kind === 'object') return e.entries.length > 0 || !!e.trailing?.length;
  if (e.kind === 'list') return e.items.some((i) => i.kind === 'object' || i.kind === 'list' && needsLines(i)) || inline(e).length > MAX_INLINE;
  return false;
}

class Printer {
  readonly lines: Line[] = [];

  body(b: OutBody, depth: number): void {
    for (const item of b.items) this.item(item, depth);
  }

  item(item: OutItem, depth: number): void {
    if (item.type === 'blank') {
      this.lines.push({ depth: 0, lead: '' });
      return;
    }
    const notes = item.notes ?? [];
    const commented = notes.filter((n) => n.comment !== undefined);
    commented.forEach((n, i) => this.lines.push({ depth, lead: commentLine(n.comment!), nodes: i === 0 ? commented : undefined }));
    const own = this.lines.length;
    this.itself(item, depth);
    const plain = notes.filter((n) => n.comment === undefined);
    // The notes without a comment are about the item: its first line (when it has one).
    if (plain.length && own < this.lines.length) this.lines[own].nodes = [...(this.lines[own].nodes ?? []), ...plain];
  }

  /** An item's own lines, without its notes. */
  itself(item: Exclude<OutItem, { type: 'blank' }>, depth: number): void {
    switch (item.type) {
      case 'comment':
        item.lines.forEach((l, i) => this.lines.push({ depth, lead: commentLine(l), nodes: i === 0 ? [item] : undefined }));
        return;
      case 'attribute':
        this.assignment(item.name, item.value, depth, item);
        return;
      case 'block': {
        const head = [item.name, ...item.labels.map(quoteLabel)].join(' ');
        if (item.body.items.length === 0) {
          this.lines.push({ depth, lead: `${head} {}`, nodes: [item] });
          return;
        }
        this.lines.push({ depth, lead: `${head} {`, nodes: [item] });
        this.body(item.body, depth + 1);
        this.lines.push({ depth, lead: '}' });
      }
    }
  }

  assignment(lead: string, value: OutExpr, depth: number, node: object): void {
    if (!needsLines(value)) {
      this.lines.push({ depth, lead, assign: `= ${inline(value)}`, nodes: [node] });
      return;
    }
    this.lines.push({ depth, lead: `${lead} = ${value.kind === 'object' ? '{' : '['}`, nodes: [node] });
    this.multi(value, depth + 1);
    this.lines.push({ depth, lead: value.kind === 'object' ? '}' : ']' });
  }

  /** The inner lines of a multi-line object or list. */
  multi(value: OutExpr, depth: number): void {
    if (value.kind === 'object') {
      for (const en of value.entries) this.entry(en, depth);
      for (const c of value.trailing ?? []) this.lines.push({ depth, lead: commentLine(c) });
    } else if (value.kind === 'list') {
      for (const item of value.items) {
        if (needsLines(item)) {
          this.lines.push({ depth, lead: item.kind === 'object' ? '{' : '[' });
          this.multi(item, depth + 1);
          this.lines.push({ depth, lead: (item.kind === 'object' ? '}' : ']') + ',' });
        } else this.lines.push({ depth, lead: inline(item) + ',' });
      }
    }
  }

  entry(en: OutObjectEntry, depth: number): void {
    for (const c of en.comments ?? []) this.lines.push({ depth, lead: commentLine(c) });
    this.assignment(objectKey(en.key), en.value, depth, en);
  }
}

export interface Printed {
  text: string;
  /** 1-based output line of each attribute, block, comment, object entry and note (see OutNote). */
  lineOf: Map<object, number>;
}

/** Prints a body in the canonical style of `packer fmt` (hclwrite): 2-space indent, `=` aligned in runs. */
export function printBody(body: OutBody): Printed {
  const p = new Printer();
  p.body(body, 0);
  const lines = p.lines;
  // Align `=` across runs of consecutive single-line assignments; any other line ends a run.
  let i = 0;
  while (i < lines.length) {
    if (lines[i].assign === undefined) {
      i++;
      continue;
    }
    let j = i;
    let width = 0;
    while (j < lines.length && lines[j].assign !== undefined) {
      width = Math.max(width, columns(lines[j].lead));
      j++;
    }
    for (let k = i; k < j; k++) lines[k].lead = lines[k].lead + ' '.repeat(width - columns(lines[k].lead));
    i = j;
  }
  const lineOf = new Map<object, number>();
  const out = lines.map((l, n) => {
    for (const node of l.nodes ?? []) lineOf.set(node, n + 1);
    const text = l.assign !== undefined ? `${l.lead} ${l.assign}` : l.lead;
    return text === '' ? '' : '  '.repeat(l.depth) + text;
  });
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return { text: out.join('\n') + '\n', lineOf };
}

/** hclwrite counts columns in characters (Unicode code points) for alignment. */
function columns(s: string): number {
  return [...s].length;
}
