import { FEATURES, type Feature } from '../packer/version.js';
import { call, ref, simplify, str, template, type OutExpr, type OutTemplatePart } from '../hcl/model.js';
import { parseTemplate, TemplateSyntaxError, usesPluginData, type Arg, type Command, type Pipeline } from './gotemplate.js';
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

/** Translates a JSON string value (text with Go template actions) to an HCL expression. */
export function translateString(value: string, scope: Scope): OutExpr {
  // Notes about a sensitive value say what is wrong, never what the value is.
  const quote = (source: string) => (scope.sensitive ? '<sensitive>' : `\`${source}\``);
  let segs;
  try {
    segs = parseTemplate(value);
  } catch (e) {
    if (!(e instanceof TemplateSyntaxError)) throw e;
    scope.note('review', `template syntax error (${scope.sensitive ? 'not shown: the value is sensitive' : e.message}); the value is kept as literal text`);
    return str(goLiteral(value));
  }
  const parts: OutTemplatePart[] = [];
  for (const s of segs) {
    if (s.kind === 'text') parts.push(s.text);
    else if (s.kind === 'comment') continue;
    else if (s.kind === 'control') {
      scope.note('review', `template control action ${quote(s.source)} has no HCL2 translation; kept as literal text`);
      parts.push(goLiteral(s.source));
    } else if (usesPluginData(s.pipeline)) {
      // Placeholders such as {{ .HTTPIP }} are filled in by the plugin at build time: they stay as text.
      parts.push(s.source);
    } else {
      try {
        parts.push(pipeline(s.pipeline, scope));
      } catch (e) {
        if (!(e instanceof Untranslatable)) throw e;
        scope.note('review', `${quote(s.source)}: ${scope.sensitive ? 'has no HCL2 translation (details not shown: the value is sensitive)' : e.message}; kept as literal text`);
        parts.push(goLiteral(s.source));
      }
    }
  }
  return simplify(template(parts));
}

/**
 * Text that the plugin's own template rendering (which still runs on HCL2 values) turns back into `text`, without
 * calling functions such as `user` that fail there: a Go template action printing a quoted string.
 */
export function goLiteral(text: string): string {
  return `{{${JSON.stringify(text)}}}`;
}

function pipeline(p: Pipeline, scope: Scope): OutExpr {
  if (p.declares) throw new Untranslatable('template variables have no HCL2 translation');
  let acc: OutExpr | undefined;
  for (const c of p.commands) acc = command(c, acc, scope);
  return acc!;
}

function literalString(a: Arg | undefined, fn: string): string {
  if (a?.kind !== 'string') throw new Untranslatable(`\`${fn}\` needs a literal string argument here`);
  return a.value;
}

function operand(a: Arg, scope: Scope): OutExpr {
  switch (a.kind) {
    case 'string':
      return str(a.value);
    case 'number': {
      const raw = hclNumber(a.raw);
      if (raw === undefined) throw new Untranslatable(`number ${a.raw} has no HCL2 equivalent`);
      return { kind: 'number', raw };
    }
    case 'bool':
      return { kind: 'bool', value: a.value };
    case 'pipeline':
      return pipeline(a.pipeline, scope);
    case 'ident':
      return command({ args: [a] }, undefined, scope);
    default:
      throw new Untranslatable('unsupported operand');
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

function command(c: Command, piped: OutExpr | undefined, scope: Scope): OutExpr {
  const [head, ...rest] = c.args;
  if (head.kind !== 'ident') {
    if (rest.length === 0 && piped === undefined) return operand(head, scope);
    throw new Untranslatable('a value cannot be called');
  }
  const fn = head.name;
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
