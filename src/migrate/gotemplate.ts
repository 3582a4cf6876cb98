/**
 * A tokenizer and parser for the Go text/template syntax that legacy Packer templates use inside JSON strings.
 * It covers what Packer's interpolation accepts: actions `{{ … }}` with trim markers, comments, pipelines with
 * `|`, parenthesised sub-pipelines, double-quoted, backtick and character literals, numbers, fields (`.HTTPIP`),
 * variables (`$x`) and control keywords (which the translator reports instead of converting).
 */

export type Arg =
  | { kind: 'ident'; name: string }
  | { kind: 'field'; text: string } // `.Field.Sub` or a lone `.`
  | { kind: 'variable'; text: string } // `$x`
  | { kind: 'string'; value: string }
  | { kind: 'number'; raw: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'nil' }
  | { kind: 'pipeline'; pipeline: Pipeline };

export interface Command {
  args: Arg[];
}

export interface Pipeline {
  /** `$x :=` or `$x =` declarations make the action untranslatable; kept for the message. */
  declares: boolean;
  commands: Command[];
}

export type Segment =
  | { kind: 'text'; text: string }
  | { kind: 'action'; pipeline: Pipeline; source: string; offset: number }
  /**
   * `{{if p}}`, `{{else}}`, `{{else if p}}`, `{{end}}`, `{{with p}}`, `{{range p}}`, … — `pipeline` is the parsed
   * pipeline after the keyword (after `else if`), undefined when there is none or it does not parse here.
   */
  | { kind: 'control'; keyword: string; elseIf?: boolean; pipeline?: Pipeline; source: string; offset: number }
  | { kind: 'comment'; source: string; offset: number };

export class TemplateSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

const CONTROL = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

type Tok =
  | { t: 'space' }
  | { t: 'ident'; v: string }
  | { t: 'field'; v: string }
  | { t: 'var'; v: string }
  | { t: 'string'; v: string }
  | { t: 'number'; v: string }
  | { t: '(' | ')' | '|' | ':=' | '=' | ',' };

function unquoteGo(body: string, offset: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\x07', b: '\b', f: '\f', v: '\v' };
    if (n in simple) out += simple[n];
    else if (n === 'x' || n === 'u' || n === 'U') {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) throw new TemplateSyntaxError(`bad escape \\${n}${hex}`, offset);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else if (n !== undefined && /[0-7]/.test(n)) {
      out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else throw new TemplateSyntaxError(`unknown escape sequence \\${n ?? ''}`, offset);
  }
  return out;
}

function lexAction(src: string, base: number): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const at = base + i;
    if (/\s/.test(c)) {
      while (i < src.length && /\s/.test(src[i])) i++;
      toks.push({ t: 'space' });
    } else if (c === '(' || c === ')' || c === '|' || c === ',') {
      toks.push({ t: c });
      i++;
    } else if (c === ':' && src[i + 1] === '=') {
      toks.push({ t: ':=' });
      i += 2;
    } else if (c === '=') {
      toks.push({ t: '=' });
      i++;
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end < 0) throw new TemplateSyntaxError('unterminated raw quoted string', at);
      toks.push({ t: 'string', v: src.slice(i + 1, end) });
      i = end + 1;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') j++;
        if (src[j] === '\n') throw new TemplateSyntaxError('unterminated quoted string', at);
        j++;
      }
      if (j >= src.length) throw new TemplateSyntaxError('unterminated quoted string', at);
      const v = unquoteGo(src.slice(i + 1, j), at);
      // A character constant is a number in Go templates.
      toks.push(c === '"' ? { t: 'string', v } : { t: 'number', v: String(v.codePointAt(0) ?? 0) });
      i = j + 1;
    } else if (c === '.' && !/[0-9]/.test(src[i + 1] ?? '')) {
      const m = /^(\.[A-Za-z_][A-Za-z0-9_]*)+|^\./.exec(src.slice(i))!;
      toks.push({ t: 'field', v: m[0] });
      i += m[0].length;
    } else if (c === '$') {
      const m = /^\$[A-Za-z0-9_]*/.exec(src.slice(i))!;
      toks.push({ t: 'var', v: m[0] });
      i += m[0].length;
    } else if (/[0-9+\-.]/.test(c)) {
      const m = /^[+-]?(0[xX][0-9a-fA-F_.]+([pP][+-]?[0-9]+)?|0[bBoO][0-9_]+|([0-9][0-9_]*\.?[0-9_]*|\.[0-9][0-9_]*)([eE][+-]?[0-9]+)?)i?/.exec(src.slice(i));
      if (!m || m[0] === '' || m[0] === '+' || m[0] === '-') throw new TemplateSyntaxError(`bad number syntax: ${src.slice(i, i + 8)}`, at);
      toks.push({ t: 'number', v: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      toks.push({ t: 'ident', v: m[0] });
      i += m[0].length;
    } else throw new TemplateSyntaxError(`unexpected "${c}" in command`, at);
  }
  return toks;
}

/**
 * How deep parentheses may nest in one action. The parser, the translator and the printer recurse once per level;
 * deeper actions (no real template comes close) are syntax errors, which the migration reports and keeps as text.
 */
export const MAX_PAREN_DEPTH = 100;

class ActionParser {
  private i = 0;
  private depth = 0;
  constructor(private readonly toks: Tok[], private readonly offset: number) {}

  private peek(): Tok | undefined {
    while (this.toks[this.i]?.t === 'space') this.i++;
    return this.toks[this.i];
  }

  pipeline(closing: ')' | undefined): Pipeline {
    let declares = false;
    const save = this.i;
    const first = this.peek();
    if (first?.t === 'var') {
      this.i++;
      const op = this.peek();
      if (op?.t === ':=' || op?.t === '=') {
        this.i++;
        declares = true;
      } else this.i = save;
    }
    const commands: Command[] = [];
    for (;;) {
      const args: Arg[] = [];
      for (;;) {
        const t = this.peek();
        if (!t || t.t === '|' || t.t === ')') break;
        this.i++;
        args.push(this.arg(t));
      }
      if (args.length === 0) throw new TemplateSyntaxError(commands.length ? 'missing command after |' : 'missing value for command', this.offset);
      commands.push({ args });
      const t = this.peek();
      if (t?.t === '|') {
        this.i++;
        continue;
      }
      if (t?.t === ')') {
        if (closing !== ')') throw new TemplateSyntaxError('unexpected right paren', this.offset);
        this.i++;
        return { declares, commands };
      }
      if (closing === ')') throw new TemplateSyntaxError('unclosed left paren', this.offset);
      return { declares, commands };
    }
  }

  private arg(t: Tok): Arg {
    switch (t.t) {
      case 'ident':
        if (t.v === 'true' || t.v === 'false') return { kind: 'bool', value: t.v === 'true' };
        if (t.v === 'nil') return { kind: 'nil' };
        return { kind: 'ident', name: t.v };
      case 'field':
        return { kind: 'field', text: t.v };
      case 'var':
        return { kind: 'variable', text: t.v };
      case 'string':
        return { kind: 'string', value: t.v };
      case 'number':
        return { kind: 'number', raw: t.v };
      case '(': {
        if (++this.depth > MAX_PAREN_DEPTH) throw new TemplateSyntaxError(`parentheses nested more than ${MAX_PAREN_DEPTH} deep`, this.offset);
        const pipeline = this.pipeline(')');
        this.depth--;
        return { kind: 'pipeline', pipeline };
      }
      default:
        throw new TemplateSyntaxError(`unexpected "${t.t}" in operand`, this.offset);
    }
  }

  done(): boolean {
    return this.peek() === undefined;
  }
}

/** A control action with the pipeline that follows its keyword (and `else if`), when there is one that parses. */
function control(keyword: string, toks: Tok[], source: string, offset: number): Segment & { kind: 'control' } {
  let rest = toks.slice(toks.findIndex((t) => t.t !== 'space') + 1);
  const next = rest.find((t) => t.t !== 'space');
  const elseIf = keyword === 'else' && next?.t === 'ident' && next.v === 'if';
  if (elseIf) rest = rest.slice(rest.indexOf(next) + 1);
  const seg: Segment & { kind: 'control' } = { kind: 'control', keyword, source, offset, ...(elseIf ? { elseIf } : {}) };
  if (!rest.some((t) => t.t !== 'space')) return seg;
  try {
    const p = new ActionParser(rest, offset);
    const pipeline = p.pipeline(undefined);
    if (p.done()) seg.pipeline = pipeline;
  } catch (e) {
    // Go accepts forms this parser does not (`range $i, $e := …`): such actions are reported, not translated.
    if (!(e instanceof TemplateSyntaxError)) throw e;
  }
  return seg;
}

/** Splits a string into text and `{{ … }}` actions. Throws TemplateSyntaxError on malformed actions. */
export function parseTemplate(text: string): Segment[] {
  const segs: Segment[] = [];
  let pos = 0;
  let trimNext = false;
  const pushText = (t: string) => {
    if (trimNext) t = t.replace(/^\s+/, '');
    trimNext = false;
    if (t !== '') segs.push({ kind: 'text', text: t });
  };
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open < 0) {
      pushText(text.slice(pos));
      break;
    }
    let before = text.slice(pos, open);
    let inner = open + 2;
    if (text[inner] === '-' && /\s/.test(text[inner + 1] ?? '')) {
      before = before.trimEnd(); // Not /\s+$/: quadratic on long runs of spaces that do not end the text.
      inner += 1;
    }
    pushText(before);
    // Find the closing delimiter outside quoted strings.
    let j = inner;
    let close = -1;
    while (j < text.length) {
      const c = text[j];
      if (c === '"' || c === "'") {
        j++;
        while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
        j++;
      } else if (c === '`') {
        const e = text.indexOf('`', j + 1);
        if (e < 0) throw new TemplateSyntaxError('unterminated raw quoted string', j);
        j = e + 1;
      } else if (text.startsWith('/*', j)) {
        const e = text.indexOf('*/', j + 2);
        if (e < 0) throw new TemplateSyntaxError('unclosed comment', j);
        j = e + 2;
      } else if (text.startsWith('}}', j)) {
        close = j;
        break;
      } else j++;
    }
    if (close < 0) throw new TemplateSyntaxError('unclosed action', open);
    let end = close;
    let trimAfter = false;
    if (text[close - 1] === '-' && /\s/.test(text[close - 2] ?? '') && close - 1 >= inner) {
      end = close - 1;
      trimAfter = true;
    }
    const body = text.slice(inner, end);
    const source = text.slice(open, close + 2);
    const trimmed = body.trim();
    if (trimmed.startsWith('/*')) {
      if (!trimmed.endsWith('*/')) throw new TemplateSyntaxError('comment ends before closing delimiter', open);
      segs.push({ kind: 'comment', source, offset: open });
    } else {
      const toks = lexAction(body, inner);
      const first = toks.find((t) => t.t !== 'space');
      if (!first) throw new TemplateSyntaxError('missing value for command', open);
      if (first.t === 'ident' && CONTROL.has(first.v)) segs.push(control(first.v, toks, source, open));
      else {
        const p = new ActionParser(toks, open);
        const pipeline = p.pipeline(undefined);
        if (!p.done()) throw new TemplateSyntaxError('unexpected token in action', open);
        segs.push({ kind: 'action', pipeline, source, offset: open });
      }
    }
    pos = close + 2;
    trimNext = trimAfter;
  }
  return segs;
}

/** Whether a pipeline reads the plugin's own data (`.HTTPIP`, `$x`): such actions are left for the plugin. */
export function usesPluginData(p: Pipeline): boolean {
  return p.commands.some((c) => c.args.some((a) => a.kind === 'field' || a.kind === 'variable' || (a.kind === 'pipeline' && usesPluginData(a.pipeline))));
}

/** The function names a pipeline calls. */
export function functionsOf(p: Pipeline): string[] {
  // Go calls an identifier in any operand position (a niladic call when it is not first).
  return p.commands.flatMap((c) => c.args.flatMap((a) => (a.kind === 'ident' ? [a.name] : a.kind === 'pipeline' ? functionsOf(a.pipeline) : [])));
}

export type ControlSegment = Segment & { kind: 'control' };

/** A branch of an `if`/`with`/`range` block: the action that opens it (its pipeline is the condition) and its body. */
export interface Branch {
  seg: ControlSegment;
  body: TemplateNode[];
}

/**
 * A string's segments with their control structure: `{{if}}`/`{{with}}`/`{{range}}` blocks with their `{{else if}}`
 * branches, `{{else}}` and `{{end}}`. Other control actions (`template`, `break`, `continue`) stay leaves.
 */
export type TemplateNode =
  | Exclude<Segment, { kind: 'control' }>
  | { kind: 'leaf'; seg: ControlSegment }
  | { kind: 'block'; keyword: 'if' | 'with' | 'range'; branches: Branch[]; otherwise?: Branch; end: ControlSegment };

/**
 * The control structure of a string's segments, or undefined when Go would not parse it (an `{{end}}` too many or
 * missing, `{{else}}` twice) or it uses what is never translated as a whole (`define`, `block`) or nests deeper than
 * MAX_PAREN_DEPTH blocks (the translator and printer recurse once per level).
 */
export function structure(segs: Segment[]): TemplateNode[] | undefined {
  const root: TemplateNode[] = [];
  type Open = { keyword: 'if' | 'with' | 'range'; branches: Branch[]; otherwise?: Branch; into: TemplateNode[] };
  const stack: Open[] = [];
  let body = root;
  for (const s of segs) {
    if (s.kind !== 'control') {
      body.push(s);
      continue;
    }
    const top = stack[stack.length - 1];
    switch (s.keyword) {
      case 'if':
      case 'with':
      case 'range': {
        if (stack.length >= MAX_PAREN_DEPTH) return undefined;
        const branch: Branch = { seg: s, body: [] };
        stack.push({ keyword: s.keyword, branches: [branch], into: body });
        body = branch.body;
        break;
      }
      case 'else': {
        // `else if` belongs to `if` alone in the Go of legacy Packer (`with`/`range` take it from Go 1.23 on).
        if (!top || top.otherwise || (s.pipeline && !s.elseIf) || (s.elseIf && top.keyword !== 'if')) return undefined;
        const branch: Branch = { seg: s, body: [] };
        if (s.elseIf) top.branches.push(branch);
        else top.otherwise = branch;
        body = branch.body;
        break;
      }
      case 'end': {
        if (!top) return undefined;
        stack.pop();
        top.into.push({ kind: 'block', keyword: top.keyword, branches: top.branches, ...(top.otherwise ? { otherwise: top.otherwise } : {}), end: s });
        body = top.into;
        break;
      }
      case 'define':
      case 'block':
        return undefined;
      default:
        body.push({ kind: 'leaf', seg: s });
    }
  }
  return stack.length ? undefined : root;
}

/** The names a pipeline reads with `user` and a literal name (in any nested pipeline). */
export function userNames(p: Pipeline): string[] {
  return p.commands.flatMap((c) => {
    const [head, name] = c.args;
    const own = head.kind === 'ident' && head.name === 'user' && name?.kind === 'string' ? [name.value] : [];
    return [...own, ...c.args.flatMap((a) => (a.kind === 'pipeline' ? userNames(a.pipeline) : []))];
  });
}
