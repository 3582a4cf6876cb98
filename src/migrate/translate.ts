import { FEATURES, type Feature } from '../packer/version.js';
import { call, list, outChildren, ref, simplify, str, template, type OutBinaryOp, type OutExpr, type OutTemplatePart } from '../hcl/model.js';
import { MAX_PAREN_DEPTH, parseTemplate, structure, TemplateSyntaxError, usesPluginData, type Arg, type Command, type Pipeline, type TemplateNode } from './gotemplate.js';
import type { ReportLevel } from './report.js';
import { type Version } from './version.js';

/** Where a JSON string value ends up; it decides what `build_name`, `env` and the secret functions become. */
export type Place = 'variable' | 'local' | 'builder' | 'provisioner' | 'post-processor' | 'override' | 'other';

export interface Scope {
  place: Place;
  /** The build name and type as literals, for builder fields and override bodies (where `source.*` is not evaluated). */
  buildName?: string;
  buildType?: string;
  target: Version;
  /** Whether the target has a version-gated feature (and records that the output uses it). */
  allows(feature: Feature): boolean;
  /** `var.x`, or `local.x` when the variable became a local; undefined when no such variable exists. */
  userRef(name: string): OutExpr | undefined;
  /** A reference to a variable whose default is `env(name)`, declared on first use. */
  envRef(name: string): OutExpr;
  /** `local.timestamp`, declared on first use. */
  timestampRef(): OutExpr;
  note(level: ReportLevel, message: string): void;
  /** The value belongs to a sensitive variable: notes do not quote it (`<sensitive>`). */
  sensitive?: boolean;
}

class Untranslatable extends Error {}

/** The Go type of a translated value: what `if` tests and what comparisons accept. `mixed`: `and`/`or` of several types. */
type GoType = 'string' | 'bool' | 'int' | 'float' | 'mixed';

interface Typed {
  expr: OutExpr;
  type: GoType;
  /** The value's Go truth as an HCL condition, when it is not the generic one (`and`, `or`). */
  truth?: OutExpr;
}

/** A scope inside a translated `{{with}}`: `{{.}}` is the value the `with` tested. */
interface Cx extends Scope {
  dot?: Typed;
  /**
   * Inside a `with`/`range` (or a block declaring `$` variables) kept as text: `.` and `$x` no longer mean the
   * plugin's data, so actions reading them are kept as text too (the block's note covers them).
   */
  lost?: boolean;
}

/**
 * A scope with some members replaced; the others are read through from `base` (its prototype), so that a scope whose
 * methods live on a class keeps them.
 */
function extend(base: Cx, own: Partial<Cx>): Cx {
  return Object.assign(Object.create(base) as Cx, own);
}

/** Translates a JSON string value (text with Go template actions) to an HCL expression. */
export function translateString(value: string, scope: Scope): OutExpr {
  let segs;
  try {
    segs = parseTemplate(value);
  } catch (e) {
    if (!(e instanceof TemplateSyntaxError)) throw e;
    scope.note('review', `template syntax error (${scope.sensitive ? 'not shown: the value is sensitive' : e.message}); the value is kept as literal text`);
    return str(goLiteral(value));
  }
  const nodes = structure(segs);
  if (nodes) {
    // Notes count only if the translation is kept (it is not when it nests too deep to print).
    const notes: [ReportLevel, string][] = [];
    const e = simplify(template(nodesParts(nodes, extend(scope, { note: (level, message) => notes.push([level, message]) }))));
    if (nestsDeeper(e, MAX_EXPR_DEPTH)) {
      scope.note('review', `the translated control actions nest more than ${MAX_EXPR_DEPTH} deep; the value is kept as literal text`);
      return str(goLiteral(value));
    }
    for (const [level, message] of notes) scope.note(level, message);
    return e;
  }
  const controls = segs.filter((s) => s.kind === 'control');
  scope.note(
    'review',
    `${controls.length} template control action${controls.length === 1 ? '' : 's'} (${quote(controls[0].source, scope)}…): ${scope.sensitive ? 'no HCL2 translation' : 'the text uses `define`/`block`, or its actions do not pair up as Go templates require (`if`…`end`, `else if` only in `if`)'}; kept as literal text`,
  );
  const lost = extend(scope, { lost: true });
  return simplify(template(segs.flatMap((s) => (s.kind === 'control' ? [goLiteral(s.source)] : nodesParts([s], lost)))));
}

/**
 * Text that the plugin's own template rendering (which still runs on HCL2 values) turns back into `text`, without
 * calling functions such as `user` that fail there: a Go template action printing a quoted string.
 */
export function goLiteral(text: string): string {
  return `{{${JSON.stringify(text)}}}`;
}

/** How deep a translated value may nest (conditionals of `else if` chains in nested blocks): the printer recurses per level. */
const MAX_EXPR_DEPTH = 4 * MAX_PAREN_DEPTH;

/** Whether an expression nests deeper than `limit` (an explicit stack: this is the guard against deep recursion). */
function nestsDeeper(e: OutExpr, limit: number): boolean {
  const stack: [OutExpr, number][] = [[e, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [x, d] = top;
    if (d > limit) return true;
    // (A loop, not a spread: a value may hold thousands of parts.)
    for (const c of outChildren(x)) stack.push([c, d + 1]);
  }
  return false;
}

/** Notes about a sensitive value say what is wrong, never what the value is. */
function quote(source: string, scope: Scope): string {
  return scope.sensitive ? '<sensitive>' : `\`${source}\``;
}

function nodesParts(nodes: TemplateNode[], cx: Cx): OutTemplatePart[] {
  const parts: OutTemplatePart[] = [];
  for (const n of nodes) {
    if (n.kind === 'text') parts.push(n.text);
    else if (n.kind === 'comment') continue;
    else if (n.kind === 'leaf') {
      cx.note('review', `template control action ${quote(n.seg.source, cx)} has no HCL2 translation; kept as literal text`);
      parts.push(goLiteral(n.seg.source));
    } else if (n.kind === 'block') for (const p of blockParts(n, cx)) parts.push(p);
    else if (!cx.dot && usesPluginData(n.pipeline)) {
      // Placeholders such as {{ .HTTPIP }} are filled in by the plugin at build time: they stay as text (unless a
      // `with`/`range` around them was kept as literal text, which changes what `.` is).
      parts.push(cx.lost ? goLiteral(n.source) : n.source);
    } else {
      try {
        parts.push(pipeline(n.pipeline, cx));
      } catch (e) {
        if (!(e instanceof Untranslatable)) throw e;
        cx.note('review', `${quote(n.source, cx)}: ${cx.sensitive ? 'has no HCL2 translation (details not shown: the value is sensitive)' : e.message}; kept as literal text`);
        parts.push(goLiteral(n.source));
      }
    }
  }
  return parts;
}

type Block = TemplateNode & { kind: 'block' };

/**
 * An `if`/`with` block as an HCL conditional expression (Go's truth of each condition spelled out); a block whose
 * conditions all read plugin data stays as text for the plugin (its bodies translated); anything else keeps its
 * control actions as literal text with a review note, and its bodies translated.
 */
function blockParts(b: Block, cx: Cx): OutTemplatePart[] {
  const branches = b.otherwise ? [...b.branches, b.otherwise] : b.branches;
  if (!cx.dot && !cx.lost && b.branches.every((br) => br.seg.pipeline && usesPluginData(br.seg.pipeline))) {
    return [...branches.flatMap((br) => [br.seg.source, ...nodesParts(br.body, cx)]), b.end.source];
  }
  // Notes raised by the conditions count only if the whole block translates.
  const notes: [ReportLevel, string][] = [];
  const quiet = extend(cx, { note: (level, message) => notes.push([level, message]) });
  let conds: OutExpr[];
  let dot: Typed | undefined;
  try {
    conds = b.branches.map((br, i) => {
      if (i === MAX_PAREN_DEPTH) throw new Untranslatable(`more than ${MAX_PAREN_DEPTH} \`else if\` branches are not translated`);
      if (!br.seg.pipeline) throw new Untranslatable(`\`${br.seg.elseIf ? 'else if' : br.seg.keyword}\` needs a pipeline this translator reads`);
      if (!cx.dot && usesPluginData(br.seg.pipeline)) throw new Untranslatable("some conditions read the plugin's data (filled in at build time) and others do not");
      const v = typedPipeline(br.seg.pipeline, quiet);
      if (i > 0) return truth(v);
      if (b.keyword === 'range') throw new Untranslatable(`\`range\` over a ${v.type === 'mixed' ? 'non-list' : v.type} value is an error in Go templates`);
      if (b.keyword === 'with') {
        if (v.type === 'mixed') throw new Untranslatable('`with` over `and`/`or` of values of different types has no HCL2 translation');
        if (calls(v.expr, 'uuidv4')) throw new Untranslatable('`with` over `uuid` would draw two different UUIDs in HCL2');
        dot = v;
      }
      return truth(v);
    });
  } catch (e) {
    if (!(e instanceof Untranslatable)) throw e;
    const why = cx.sensitive ? 'has no HCL2 translation (details not shown: the value is sensitive)' : e.message;
    cx.note('review', `template control block ${quote(b.branches[0].seg.source, cx)}…${quote(b.end.source, cx)}: ${why}; its control actions are kept as literal text`);
    const inner: Cx = b.keyword !== 'if' || b.branches.some((br) => br.seg.pipeline?.declares) ? extend(cx, { lost: true }) : cx;
    const parts: OutTemplatePart[] = [];
    for (const br of branches) {
      parts.push(goLiteral(br.seg.source));
      for (const p of nodesParts(br.body, inner)) parts.push(p);
    }
    parts.push(goLiteral(b.end.source));
    return parts;
  }
  for (const [level, message] of notes) cx.note(level, message);
  let acc: OutExpr = b.otherwise ? bodyExpr(b.otherwise.body, cx) : str('');
  for (let i = b.branches.length - 1; i >= 0; i--) acc = { kind: 'conditional', cond: conds[i], then: bodyExpr(b.branches[i].body, i === 0 && dot ? extend(cx, { dot }) : cx), else: acc };
  return [acc];
}

function bodyExpr(nodes: TemplateNode[], cx: Cx): OutExpr {
  return simplify(template(nodesParts(nodes, cx)));
}

/** Whether an expression calls a function (anywhere inside). */
function calls(e: OutExpr, name: string): boolean {
  return (e.kind === 'call' && e.name === name) || outChildren(e).some((c) => calls(c, name));
}

/**
 * Go's truth (text/template's IsTrue) as an HCL condition: a string is true when not empty (so "false" and "0" are
 * true), a number when not zero, a bool is itself; `and`/`or` carry their own.
 */
function truth(v: Typed): OutExpr {
  if (v.truth) return v.truth;
  switch (v.type) {
    case 'bool':
      return v.expr;
    case 'string':
      return bin('!=', v.expr, str(''));
    default:
      return bin('!=', v.expr, { kind: 'number', raw: '0' });
  }
}

const bin = (op: OutBinaryOp, left: OutExpr, right: OutExpr): OutExpr => ({ kind: 'binary', op, left, right });

const NEGATED: Record<OutBinaryOp, OutBinaryOp> = { '==': '!=', '!=': '==', '<': '>=', '>=': '<', '>': '<=', '<=': '>', '&&': '||', '||': '&&' };

/** The negation of a condition, without `!` (whose spacing Packer's formatter changes between versions). */
function negate(e: OutExpr): OutExpr {
  if (e.kind === 'bool') return { kind: 'bool', value: !e.value };
  if (e.kind === 'binary') {
    if (e.op === '&&' || e.op === '||') return bin(NEGATED[e.op], negate(e.left), negate(e.right));
    return bin(NEGATED[e.op], e.left, e.right);
  }
  if (e.kind === 'conditional') return { kind: 'conditional', cond: e.cond, then: negate(e.then), else: negate(e.else) };
  return bin('==', e, { kind: 'bool', value: false });
}

/** The Go type of a number literal, as text/template reads it (idealConstant). */
function numberType(raw: string): GoType {
  if (/^[+-]?0[xX]/.test(raw)) return /[.pP]/.test(raw) ? 'float' : 'int';
  return /[.eE]/.test(raw) ? 'float' : 'int';
}

function typedPipeline(p: Pipeline, cx: Cx): Typed {
  if (p.declares) throw new Untranslatable('template variables have no HCL2 translation');
  let acc: Typed | undefined;
  for (const c of p.commands) acc = typedCommand(c, acc, cx);
  return acc!;
}

function pipeline(p: Pipeline, cx: Cx): OutExpr {
  return value(typedPipeline(p, cx));
}

/** A typed value where a value is printed or passed on; `and`/`or` of several types have no single HCL2 type. */
function value(t: Typed): OutExpr {
  if (t.type === 'mixed') throw new Untranslatable('`and`/`or` of values of different types has no HCL2 translation');
  return t.expr;
}

function literalString(a: Arg | undefined, fn: string): string {
  if (a?.kind !== 'string') throw new Untranslatable(`\`${fn}\` needs a literal string argument here`);
  return a.value;
}

function typedOperand(a: Arg, cx: Cx): Typed {
  switch (a.kind) {
    case 'string':
      return { expr: str(a.value), type: 'string' };
    case 'number': {
      const raw = hclNumber(a.raw);
      if (raw === undefined) throw new Untranslatable(`number ${a.raw} has no HCL2 equivalent`);
      return { expr: { kind: 'number', raw }, type: numberType(a.raw) };
    }
    case 'bool':
      return { expr: { kind: 'bool', value: a.value }, type: 'bool' };
    case 'pipeline':
      return typedPipeline(a.pipeline, cx);
    case 'ident':
      return typedCommand({ args: [a] }, undefined, cx);
    case 'field':
      if (cx.dot && a.text === '.') return cx.dot;
      throw new Untranslatable(cx.dot ? `\`${a.text}\` reads a field of a string value, an error in Go templates` : 'unsupported operand');
    default:
      throw new Untranslatable('unsupported operand');
  }
}

function operand(a: Arg, cx: Cx): OutExpr {
  return value(typedOperand(a, cx));
}

/** The comparison and logic functions of Go templates. */
const LOGIC = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'and', 'or', 'not']);

/**
 * `eq`, `ne`, `lt`, `le`, `gt`, `ge`, `and`, `or`, `not` with Go's semantics: comparisons of values of different
 * types (a variable, always a string, against a number) are errors in Go and are not translated; strings are
 * ordered byte by byte in Go, which HCL2 says with sort() (HCL2's `<` only compares numbers); `and`/`or` return one of
 * their arguments, not a bool.
 */
function logic(fn: string, args: Typed[]): Typed {
  const sameType = (what: string) => {
    const t = args[0].type;
    if (t === 'mixed' || args.some((a) => a.type !== t)) throw new Untranslatable(`\`${fn}\` of ${what} of different types is an error in Go templates`);
    return t;
  };
  const count = (n: number) => {
    if (args.length !== n) throw new Untranslatable(`\`${fn}\` takes ${n} argument${n === 1 ? '' : 's'}`);
  };
  if (args.length > MAX_PAREN_DEPTH) throw new Untranslatable(`\`${fn}\` with more than ${MAX_PAREN_DEPTH} arguments is not translated`);
  const [a, b] = args.map((x) => x.expr);
  switch (fn) {
    case 'not':
      count(1);
      return { expr: negate(truth(args[0])), type: 'bool' };
    case 'and':
    case 'or': {
      if (args.length === 0) throw new Untranslatable(`\`${fn}\` needs an argument`);
      const t = args.every((x) => x.type === args[0].type) ? args[0].type : 'mixed';
      let expr = args[args.length - 1].expr;
      let cond = truth(args[args.length - 1]);
      for (let i = args.length - 2; i >= 0; i--) {
        const c = truth(args[i]);
        expr = t === 'mixed' ? expr : { kind: 'conditional', cond: c, then: fn === 'and' ? expr : args[i].expr, else: fn === 'and' ? args[i].expr : expr };
        cond = bin(fn === 'and' ? '&&' : '||', c, cond);
      }
      return { expr: t === 'mixed' ? str('') : expr, type: t, truth: cond };
    }
    case 'eq': {
      if (args.length < 2) throw new Untranslatable('`eq` needs two arguments or more');
      sameType('arguments');
      return { expr: args.slice(2).reduce((acc, x) => bin('||', acc, bin('==', a, x.expr)), bin('==', a, b)), type: 'bool' };
    }
    case 'ne':
      count(2);
      sameType('arguments');
      return { expr: bin('!=', a, b), type: 'bool' };
    default: {
      count(2);
      const t = sameType('arguments');
      if (t === 'bool') throw new Untranslatable(`\`${fn}\` of bools is an error in Go templates`);
      const op = ({ lt: '<', le: '<=', gt: '>', ge: '>=' } as const)[fn as 'lt' | 'le' | 'gt' | 'ge'];
      if (t !== 'string') return { expr: bin(op, a, b), type: 'bool' };
      // Strings: x <= y exactly when x sorts first (sort() orders bytes, as Go's string comparison does).
      const [lo, hi] = op === '<' || op === '<=' ? [a, b] : [b, a];
      const first = bin('==', { kind: 'index', target: call('sort', list([lo, hi])), key: { kind: 'number', raw: '0' } }, lo);
      return { expr: op === '<' || op === '>' ? bin('&&', bin('!=', lo, hi), first) : first, type: 'bool' };
    }
  }
}

/**
 * A Go number literal (hex, octal, binary, `_` separators, `.5`, a leading `+`) as an HCL number literal; undefined
 * for what HCL cannot write exactly (hex floats, imaginary numbers, integers beyond 2^53 written in another base).
 */
export function hclNumber(raw: string): string | undefined {
  const m = /^([+-]?)(.*)$/.exec(raw.replace(/_/g, ''))!;
  const sign = m[1] === '-' ? '-' : '';
  const body = m[2];
  let int: bigint | undefined;
  if (/^0[xX][0-9a-fA-F]+$/.test(body) || /^0[bB][01]+$/.test(body) || /^0[oO][0-7]+$/.test(body)) int = BigInt(body);
  else if (/^0[0-7]+$/.test(body)) int = BigInt('0o' + body.slice(1)); // a leading 0 is octal in Go
  else if (/^[0-9]+$/.test(body)) return sign + body.replace(/^0+(?=\d)/, '');
  if (int !== undefined) return sign + int.toString();
  const f = /^([0-9]*)(?:\.([0-9]*))?([eE][+-]?[0-9]+)?$/.exec(body);
  if (!f || (f[1] === '' && !f[2])) return undefined;
  const whole = f[1].replace(/^0+(?=\d)/, '') || '0';
  return sign + whole + (f[2] ? `.${f[2]}` : '') + (f[3] ?? '');
}

function typedCommand(c: Command, piped: Typed | undefined, cx: Cx): Typed {
  const [head, ...rest] = c.args;
  if (head.kind !== 'ident') {
    if (rest.length === 0 && piped === undefined) return typedOperand(head, cx);
    throw new Untranslatable('a value cannot be called');
  }
  if (LOGIC.has(head.name)) return logic(head.name, [...rest.map((a) => typedOperand(a, cx)), ...(piped ? [piped] : [])]);
  // Every other function returns a string.
  return { expr: command(head.name, rest, piped && value(piped), cx), type: 'string' };
}

function command(fn: string, rest: Arg[], piped: OutExpr | undefined, scope: Cx): OutExpr {
  const args = (): OutExpr[] => {
    const out = rest.map((a) => operand(a, scope));
    if (piped) out.push(piped);
    return out;
  };
  const arity = (n: number): OutExpr[] => {
    const a = args();
    if (a.length !== n) throw new Untranslatable(`\`${fn}\` takes ${n} argument${n === 1 ? '' : 's'}`);
    return a;
  };
  const only = (place: Place[], what: string) => {
    if (!place.includes(scope.place)) throw new Untranslatable(`${what} is not available in this part of the template`);
  };
  switch (fn) {
    case 'user': {
      if (piped) throw new Untranslatable('`user` takes a literal name');
      const name = literalString(rest[0], fn);
      const r = scope.userRef(name);
      if (!r) throw new Untranslatable(`variable "${name}" is not declared in "variables"`);
      return r;
    }
    case 'env': {
      if (piped) throw new Untranslatable('`env` takes a literal name');
      const name = literalString(rest[0], fn);
      return scope.place === 'variable' ? call('env', str(name)) : scope.envRef(name);
    }
    case 'template_dir':
      arity(0);
      return ref('path', 'root');
    case 'pwd':
      arity(0);
      return ref('path', 'cwd');
    case 'uuid':
      arity(0);
      return call('uuidv4');
    case 'packer_version':
      arity(0);
      return ref('packer', 'version');
    case 'build_name':
    case 'build_type': {
      arity(0);
      const literal = fn === 'build_name' ? scope.buildName : scope.buildType;
      if (literal !== undefined) return str(literal);
      only(['provisioner', 'post-processor'], `\`${fn}\``);
      return ref('source', fn === 'build_name' ? 'name' : 'type');
    }
    case 'build': {
      only(['provisioner', 'post-processor', 'override'], '`build`');
      const key = literalString(rest[0], fn);
      if (rest.length !== 1 || piped) throw new Untranslatable('`build` takes one literal name');
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Untranslatable(`build variable "${key}" is not a valid name`);
      return ref('build', key);
    }
    case 'timestamp':
      arity(0);
      scope.note('review', '`{{timestamp}}` (Unix seconds) becomes local.timestamp, a 14-digit UTC date (YYYYMMDDhhmmss): HCL2 has no epoch function');
      return scope.timestampRef();
    case 'isotime':
    case 'strftime': {
      const a = args();
      if (a.length === 0 && fn === 'isotime') return call('timestamp');
      if (a.length !== 1 || a[0].kind !== 'template' || a[0].parts.length !== 1 || typeof a[0].parts[0] !== 'string')
        throw new Untranslatable(`\`${fn}\` needs one literal format`);
      const layout = a[0].parts[0];
      const parts = fn === 'isotime' ? goLayoutParts(layout) : strftimeParts(layout);
      if (parts !== undefined) {
        // Packer 1.6.6's formatdate drops a quoted literal at the end of the spec: trailing text goes outside the call.
        if (parts.spec === '') return str(parts.suffix);
        const date = call('formatdate', str(parts.spec), call('timestamp'));
        return parts.suffix ? template([date, parts.suffix]) : date;
      }
      const legacy = fn === 'isotime' ? 'legacy_isotime' : 'legacy_strftime';
      const feature = fn === 'isotime' ? 'legacy-isotime' : 'legacy-strftime';
      if (!scope.allows(feature)) throw new Untranslatable(`format "${layout}" has no formatdate equivalent and ${legacy} needs Packer ${FEATURES[feature].since}`);
      scope.note('review', `format ${scope.sensitive ? '<sensitive>' : `"${layout}"`} has no exact formatdate equivalent: uses ${legacy}`);
      return call(legacy, str(layout));
    }
    case 'lower':
    case 'upper':
      return call(fn, ...arity(1));
    case 'replace_all': {
      const [o, n, s] = arity(3);
      checkReplacePattern(o);
      return call('replace', s, o, n);
    }
    case 'replace': {
      const [o, n, count, s] = arity(4);
      if (count.kind !== 'number' || Number(count.raw) !== -1) throw new Untranslatable('`replace` with a count other than -1 has no HCL2 equivalent');
      checkReplacePattern(o);
      return call('replace', s, o, n);
    }
    case 'split': {
      const [s, sep, n] = arity(3);
      if (n.kind !== 'number') throw new Untranslatable('`split` needs a literal index');
      return { kind: 'index', target: call('split', sep, s), key: n };
    }
    case 'consul_key':
    case 'vault':
    case 'aws_secretsmanager':
    case 'aws_secretsmanager_raw': {
      const a = args();
      const n = fn === 'vault' ? 2 : fn === 'consul_key' || fn === 'aws_secretsmanager_raw' ? 1 : a.length === 1 ? 1 : 2;
      if (a.length !== n) throw new Untranslatable(`\`${fn}\` takes ${n} argument${n === 1 ? '' : 's'}`);
      if (fn === 'aws_secretsmanager_raw' && !scope.allows('aws-secretsmanager-raw'))
        throw new Untranslatable(`aws_secretsmanager_raw does not exist before Packer ${FEATURES['aws-secretsmanager-raw'].since}`);
      return call(fn, ...a);
    }
    default:
      throw new Untranslatable(`function \`${fn}\` has no HCL2 translation`);
  }
}

/** HCL2's replace() treats a pattern wrapped in slashes as a regular expression; Go's did not. */
function checkReplacePattern(o: OutExpr): void {
  if (o.kind === 'template' && o.parts.length === 1 && typeof o.parts[0] === 'string' && /^\/.*\/$/.test(o.parts[0]) && o.parts[0].length > 1)
    throw new Untranslatable('a pattern wrapped in "/" would be a regular expression in HCL2');
}

/** formatdate() literal text: letters are quoted with single quotes, a quote is doubled. */
function literalSpec(text: string): string {
  let out = '';
  for (const m of text.matchAll(/[A-Za-z']+|[^A-Za-z']+/g)) out += /[A-Za-z']/.test(m[0][0]) ? `'${m[0].replace(/'/g, "''")}'` : m[0];
  return out;
}

/** Go reference-time layout chunks, longest first where they share a prefix; times are UTC, so zones are constants. */
const GO_CHUNKS: [string, string | { lit: string }][] = [
  ['January', 'MMMM'], ['Jan', 'MMM'], ['Monday', 'EEEE'], ['Mon', 'EEE'], ['MST', { lit: 'UTC' }],
  ['2006', 'YYYY'], ['-07:00:00', { lit: '+00:00:00' }], ['-070000', { lit: '+000000' }], ['-07:00', { lit: '+00:00' }],
  ['-0700', { lit: '+0000' }], ['-07', { lit: '+00' }], ['Z07:00:00', { lit: 'Z' }], ['Z070000', { lit: 'Z' }],
  ['Z07:00', { lit: 'Z' }], ['Z0700', { lit: 'Z' }], ['Z07', { lit: 'Z' }],
  ['01', 'MM'], ['02', 'DD'], ['03', 'HH'], ['04', 'mm'], ['05', 'ss'], ['06', 'YY'], ['15', 'hh'],
  ['PM', 'AA'], ['pm', 'aa'], ['1', 'M'], ['2', 'D'], ['3', 'H'], ['4', 'm'], ['5', 's'],
];

/** A formatdate() spec and the literal text that follows the last date element. */
export interface DateFormat {
  spec: string;
  suffix: string;
}

/** A Go time layout as a formatdate() spec, or undefined when some element has no exact equivalent. */
export function goLayoutToFormatdate(layout: string): string | undefined {
  const p = goLayoutParts(layout);
  return p && p.spec + literalSpec(p.suffix);
}

/** A Go time layout as a formatdate() spec and trailing literal text, or undefined (see goLayoutToFormatdate). */
export function goLayoutParts(layout: string): DateFormat | undefined {
  let out = '';
  let lit = '';
  let i = 0;
  outer: while (i < layout.length) {
    const rest = layout.slice(i);
    // Elements without an equivalent: space-padded day, day of year, fractional seconds.
    if (/^(_2|__2|002)/.test(rest) || /^[.,][09]+(?![0-9])/.test(rest)) return undefined;
    for (const [chunk, spec] of GO_CHUNKS) {
      if (rest.startsWith(chunk)) {
        // Go only reads "Jan"/"Mon" when not followed by a lower-case letter (January, Monday handled above).
        if (typeof spec === 'string') {
          out += literalSpec(lit) + spec;
          lit = '';
        } else lit += spec.lit;
        i += chunk.length;
        continue outer;
      }
    }
    lit += layout[i++];
  }
  return { spec: out, suffix: lit };
}

const STRFTIME: Record<string, string | { lit: string }> = {
  a: 'EEE', A: 'EEEE', b: 'MMM', B: 'MMMM', d: 'DD', H: 'hh', I: 'HH', m: 'MM', M: 'mm', p: 'AA', S: 'ss',
  y: 'YY', Y: 'YYYY', Z: { lit: 'UTC' }, '%': { lit: '%' },
};

/** A strftime format as a formatdate() spec, or undefined when some directive has no exact equivalent. */
export function strftimeToFormatdate(format: string): string | undefined {
  const p = strftimeParts(format);
  return p && p.spec + literalSpec(p.suffix);
}

/** A strftime format as a formatdate() spec and trailing literal text, or undefined (see strftimeToFormatdate). */
export function strftimeParts(format: string): DateFormat | undefined {
  let out = '';
  let lit = '';
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== '%') {
      lit += format[i];
      continue;
    }
    const spec = STRFTIME[format[++i]];
    if (spec === undefined) return undefined;
    if (typeof spec === 'string') {
      out += literalSpec(lit) + spec;
      lit = '';
    } else lit += spec.lit;
  }
  return { spec: out, suffix: lit };
}
