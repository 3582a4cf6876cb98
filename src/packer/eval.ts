/**
 * Static evaluation: a value is known (with where it came from) or unknown — never guessed. Only what can be
 * computed without running anything is known: literals, templates over known parts, var.* and local.* that resolve
 * to known values, and a handful of pure string functions.
 */
import { attribute, parseHcl, type Expr } from '../syntax/hcl.js';
import type { Config, VariableDecl } from './config.js';
import type { Environment } from './env.js';
import { fileLine, type SourceFile } from './unit.js';

export type Plain = string | number | boolean | null | Plain[] | { [k: string]: Plain };

/**
 * `sensitive`: the value comes, in whole or in part, from a variable declared `sensitive = true` (whatever set it:
 * default, variable file, --var, PKR_VAR_) or from an environment variable whose name says it holds a secret
 * (GITHUB_TOKEN, DB_PASSWORD…). Messages show such a value as `<sensitive>`, as Packer does.
 */
export type Value = { known: true; value: Plain; origin?: string; sensitive?: true } | { known: false };

export const UNKNOWN: Value = { known: false };

/** How many evaluations may be nested (expressions inside expressions, locals referring to locals). */
export const MAX_EVAL_DEPTH = 400;
/**
 * The longest string a value may be, and the most characters one configuration's evaluation may produce: past
 * them a value is unknown (locals that double a string 40 times, replace() over a whole file, are not computed).
 */
export const MAX_VALUE_LENGTH = 1024 * 1024;
export const MAX_EVAL_OUTPUT = 16 * 1024 * 1024;

export function known(value: Plain, origin?: string, sensitive?: boolean): Value {
  const v: Value = origin ? { known: true, value, origin } : { known: true, value };
  if (sensitive) v.sensitive = true;
  return v;
}

/** Environment variable names that hold secrets by convention; a value read from one is sensitive. */
export const SECRET_NAME = /token|secret|passw|pwd|api_?key|private|credential|auth|cookie|session/i;

/** A value as messages show it: quoted, or `<sensitive>` (as Packer shows sensitive values). */
export function shown(v: Value, text: string): string {
  return v.known && v.sensitive ? '<sensitive>' : JSON.stringify(text);
}

/** Whether the variable is declared `sensitive = true`. */
function isSensitive(decl: VariableDecl): boolean {
  const a = decl.block.type === 'variable' ? attribute(decl.block.body, 'sensitive') : undefined;
  return a?.expr.kind === 'literal' && a.expr.value === true;
}

export interface VarSource {
  expr?: Expr;
  text?: string;
  origin: string;
  /** Set from an environment variable whose name says it is a secret. */
  secret?: boolean;
}

function isLiteralType(decl: VariableDecl): boolean {
  const t = decl.block.type === 'variable' ? attribute(decl.block.body, 'type')?.expr : undefined;
  return !t || (t.kind === 'traversal' && t.steps.length === 0 && (t.root === 'string' || t.root === 'number'));
}

/** HCL's conversion of a primitive to string. */
function toStr(v: Plain): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

/** Evaluates expressions of one configuration, with variable values assembled from every source Packer reads. */
export class Evaluator {
  private readonly varValues = new Map<string, VarSource>();
  private readonly localCache = new Map<string, Value>();
  private readonly varCache = new Map<string, Value>();
  private readonly inProgress = new Set<string>();
  /** Nested evaluations in progress: a chain of thousands of locals must not exhaust the call stack. */
  private depth = 0;
  /** Characters of string values produced so far (MAX_EVAL_OUTPUT). */
  private produced = 0;

  constructor(
    readonly cfg: Config,
    readonly env: Environment,
    extra: { varFiles?: SourceFile[]; vars?: Array<[string, string]> } = {},
  ) {
    // Precedence, lowest first: defaults, PKR_VAR_*, variable files, -var.
    for (const [name, decl] of cfg.variables) {
      if (decl.default) this.varValues.set(name, { expr: decl.default.expr, origin: `the default at ${fileLine(decl.file, decl.default.start)}` });
    }
    for (const [k, v] of env.withPrefix('PKR_VAR_')) {
      this.varValues.set(k.slice('PKR_VAR_'.length), { text: v.value, origin: `${k} in ${v.origin}`, secret: SECRET_NAME.test(k) });
    }
    // Set by a CI expression (`${{ vars.X }}`): the variable's value is unknown, not its default.
    for (const [k, v] of env.entries()) if (v.unknown && k.startsWith('PKR_VAR_')) this.varValues.set(k.slice('PKR_VAR_'.length), { origin: `${k} in ${v.origin}` });
    // Packer reads every HCL variable file (auto ones in lexical order, then -var-file ones in the order given)
    // before every JSON one, in the same order: a JSON file wins over an HCL file whatever their names.
    const all = [...cfg.autoVarFiles, ...(extra.varFiles ?? [])];
    const ordered = [...all.filter((f) => f.kind === 'pkrvars-hcl'), ...all.filter((f) => f.kind !== 'pkrvars-hcl')];
    for (const f of ordered) {
      for (const s of f.hcl?.body.statements ?? []) {
        if (s.kind === 'attribute') this.varValues.set(s.name, { expr: s.expr, origin: fileLine(f, s.start) });
      }
    }
    for (const [k, v] of extra.vars ?? []) this.varValues.set(k, { text: v, origin: `--var ${k}` });
  }

  variable(name: string): Value {
    let v = this.varCache.get(name);
    if (!v) {
      v = this.variableValue(name);
      this.varCache.set(name, v);
    }
    return v;
  }

  private variableValue(name: string): Value {
    const decl = this.cfg.variables.get(name);
    if (!decl) return UNKNOWN;
    const src = this.varValues.get(name);
    if (!src) return UNKNOWN;
    const sensitive = isSensitive(decl) || src.secret;
    if (src.text !== undefined) {
      // Packer keeps a command-line or PKR_VAR_ value as a literal only for string, number and untyped variables;
      // for any other type the text is an HCL expression (`{a = "b"}`, `["x"]`).
      if (isLiteralType(decl)) return src.text.length > MAX_VALUE_LENGTH ? UNKNOWN : known(src.text, `var.${name} (${src.origin})`, sensitive);
      const parsed = parseHcl(`v = ${src.text}\n`);
      const attr = parsed.body.statements[0];
      if (parsed.errors.length || parsed.body.statements.length !== 1 || attr.kind !== 'attribute') return UNKNOWN;
      const v = this.eval(attr.expr, { allowVars: false });
      return v.known ? known(v.value, `var.${name} (${src.origin})`, sensitive || v.sensitive) : UNKNOWN;
    }
    if (!src.expr) return UNKNOWN;
    // Defaults and variable files cannot reference other variables; env() is allowed in defaults.
    const v = this.eval(src.expr, { allowVars: false });
    return v.known ? known(v.value, `var.${name} (${src.origin})`, sensitive || v.sensitive) : UNKNOWN;
  }

  local(name: string): Value {
    const cached = this.localCache.get(name);
    if (cached) return cached;
    const decl = this.cfg.locals.get(name);
    if (!decl || this.inProgress.has(name)) return UNKNOWN;
    this.inProgress.add(name);
    const v = this.eval(decl.attr.expr);
    this.inProgress.delete(name);
    const out = v.known ? known(v.value, v.origin ?? `local.${name} (${fileLine(decl.file, decl.attr.start)})`, v.sensitive) : UNKNOWN;
    this.localCache.set(name, out);
    return out;
  }

  eval(e: Expr, opts: { allowVars?: boolean } = {}): Value {
    // Past this depth (a chain of locals, each referring to the next) the value is unknown, never guessed.
    if (this.depth >= MAX_EVAL_DEPTH) return UNKNOWN;
    this.depth++;
    try {
      return this.evalExpr(e, opts);
    } finally {
      this.depth--;
    }
  }

  private evalExpr(e: Expr, opts: { allowVars?: boolean }): Value {
    const allowVars = opts.allowVars ?? true;
    switch (e.kind) {
      case 'literal':
        return known(e.value);
      case 'template': {
        if (e.hasDirective) return UNKNOWN;
        // A template that is exactly one interpolation keeps the value's type, as in HCL.
        if (e.parts.length === 1 && typeof e.parts[0] !== 'string') return this.eval(e.parts[0], opts);
        let s = '';
        const origins: string[] = [];
        let sensitive = false;
        for (const p of e.parts) {
          if (typeof p === 'string') {
            s += p;
            continue;
          }
          const v = this.eval(p, opts);
          if (!v.known) return UNKNOWN;
          const str = toStr(v.value);
          if (str === undefined) return UNKNOWN;
          s += str;
          if (s.length > MAX_VALUE_LENGTH) return UNKNOWN;
          if (v.origin) origins.push(v.origin);
          sensitive ||= !!v.sensitive;
        }
        return this.text(s, origins.length ? origins.join(', ') : undefined, sensitive);
      }
      case 'traversal': {
        if (e.splat) return UNKNOWN;
        let base: Value;
        let steps = e.steps;
        if (e.root === 'var' && allowVars && typeof steps[0]?.name === 'string') {
          base = this.variable(steps[0].name);
          steps = steps.slice(1);
        } else if (e.root === 'local' && allowVars && typeof steps[0]?.name === 'string') {
          base = this.local(steps[0].name);
          steps = steps.slice(1);
        } else {
          return UNKNOWN;
        }
        for (const st of steps) {
          if (!base.known) return UNKNOWN;
          const cur = base.value;
          if (Array.isArray(cur) && typeof st.name === 'number' && st.name < cur.length) base = known(cur[st.name], base.origin, base.sensitive);
          else if (cur && typeof cur === 'object' && !Array.isArray(cur) && Object.hasOwn(cur, String(st.name))) base = known(cur[String(st.name)], base.origin, base.sensitive);
          else return UNKNOWN;
        }
        return base;
      }
      case 'tuple': {
        const out: Plain[] = [];
        let sensitive = false;
        for (const it of e.items) {
          const v = this.eval(it, opts);
          if (!v.known) return UNKNOWN;
          out.push(v.value);
          sensitive ||= !!v.sensitive;
        }
        return known(out, undefined, sensitive);
      }
      case 'object': {
        const out: { [k: string]: Plain } = {};
        let sensitive = false;
        for (const it of e.items) {
          const k = it.key.kind === 'traversal' && it.key.steps.length === 0 ? known(it.key.root) : this.eval(it.key, opts);
          const v = this.eval(it.value, opts);
          if (!k.known || !v.known) return UNKNOWN;
          const ks = toStr(k.value);
          if (ks === undefined) return UNKNOWN;
          // defineProperty: a key named __proto__ is data.
          Object.defineProperty(out, ks, { value: v.value, enumerable: true, writable: true, configurable: true });
          sensitive ||= !!k.sensitive || !!v.sensitive;
        }
        return known(out, undefined, sensitive);
      }
      case 'call':
        return this.call(e.name, e.args, opts);
      default:
        return UNKNOWN;
    }
  }

  /** A computed string, or unknown when it is too long or the configuration has produced too much already. */
  private text(s: string, origin: string | undefined, sensitive: boolean): Value {
    this.produced += s.length;
    if (s.length > MAX_VALUE_LENGTH || this.produced > MAX_EVAL_OUTPUT) return UNKNOWN;
    return known(s, origin, sensitive);
  }

  private call(name: string, args: Expr[], opts: { allowVars?: boolean }): Value {
    if (name === 'env') {
      // Only meaningful in variable defaults; elsewhere Packer rejects it, which a rule reports.
      const a = args[0] ? this.eval(args[0], opts) : UNKNOWN;
      if (!a.known || typeof a.value !== 'string') return UNKNOWN;
      const v = this.env.get(a.value);
      return v ? this.text(v.value, `${a.value} in ${v.origin}`, SECRET_NAME.test(a.value) || !!a.sensitive) : UNKNOWN;
    }
    const vals = args.map((a) => this.eval(a, opts));
    if (vals.some((v) => !v.known)) return UNKNOWN;
    const xs = vals.map((v) => (v as { value: Plain }).value);
    const origin = vals.map((v) => (v.known ? v.origin : undefined)).filter(Boolean).join(', ') || undefined;
    const sensitive = vals.some((v) => v.known && v.sensitive);
    const strs = xs.map(toStr);
    const allStr = strs.every((s) => s !== undefined);
    switch (name) {
      case 'lower':
        return allStr && strs.length === 1 ? this.text(strs[0].toLowerCase(), origin, sensitive) : UNKNOWN;
      case 'upper':
        return allStr && strs.length === 1 ? this.text(strs[0].toUpperCase(), origin, sensitive) : UNKNOWN;
      case 'trimspace':
        return allStr && strs.length === 1 ? this.text(strs[0].trim(), origin, sensitive) : UNKNOWN;
      case 'replace': {
        // A pattern in slashes is a regular expression in HCL; only plain substrings are evaluated.
        if (!allStr || strs.length !== 3 || /^\/.*\/$/.test(strs[1])) return UNKNOWN;
        const pieces = strs[0].split(strs[1]);
        // The result's length is known before it is built: one too long is not built.
        if (strs[0].length + (pieces.length - 1) * (strs[2].length - strs[1].length) > MAX_VALUE_LENGTH) return UNKNOWN;
        return this.text(pieces.join(strs[2]), origin, sensitive);
      }
      case 'join': {
        if (!(xs.length === 2 && typeof xs[0] === 'string' && Array.isArray(xs[1]) && xs[1].every((x) => toStr(x) !== undefined))) return UNKNOWN;
        const items = xs[1].map((x) => toStr(x)!);
        if (items.reduce((n, x) => n + x.length, 0) + Math.max(0, items.length - 1) * xs[0].length > MAX_VALUE_LENGTH) return UNKNOWN;
        return this.text(items.join(xs[0]), origin, sensitive);
      }
      default:
        return UNKNOWN;
    }
  }
}
