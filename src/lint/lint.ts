/** Runs the rules over a unit: target version, evaluation, severities from configuration, inline ignores. */
import { buildConfig } from '../packer/config.js';
import type { Environment } from '../packer/env.js';
import { Evaluator } from '../packer/eval.js';
import { effectiveBucket, hcpState } from '../packer/hcp.js';
import { fileLine, type SourceFile, type Unit } from '../packer/unit.js';
import { member } from '../syntax/json.js';
import { NEWEST_PACKER, resolveConstraints, resolveMinimum } from '../packer/version.js';
import { rules, ruleById } from '../rules/index.js';
import type { Fix, Report, Rule, RuleContext, Severity, Target } from '../rules/types.js';

export interface Diagnostic {
  ruleId: string;
  severity: Severity;
  message: string;
  file?: SourceFile;
  start?: number;
  end?: number;
  fix?: Fix;
}

export type SeveritySetting = Severity | 'off';

export interface LintOptions {
  env: Environment;
  /** From --packer-version. */
  packerVersion?: string;
  /** From the configuration file: used when the unit has no required_version. */
  defaultPackerVersion?: string;
  varFiles?: SourceFile[];
  vars?: Array<[string, string]>;
  severities?: Record<string, SeveritySetting>;
  /** Run only these rules (the rule tester, docs tests). */
  only?: string[];
}

/** Packer reads required_version without variables: only literal strings count, and every packer block's. */
function literalConstraints(cfg?: ReturnType<typeof buildConfig>) {
  return (cfg?.requiredVersions ?? []).flatMap((rv) => {
    const e = rv.attr.expr;
    const text = e.kind === 'template' && e.parts.every((p) => typeof p === 'string') ? e.parts.join('') : undefined;
    return text === undefined ? [] : [{ text, shown: JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text), where: fileLine(rv.file, rv.attr.start), file: rv.file, expr: e }];
  });
}

export function resolveTarget(opts: LintOptions, cfg?: ReturnType<typeof buildConfig>): Target {
  if (opts.packerVersion) return { version: opts.packerVersion, origin: '--packer-version' };
  const constraints = literalConstraints(cfg);
  const low = constraints.length ? resolveConstraints(constraints.map((c) => c.text)) : undefined;
  if (low?.ok) {
    const which = constraints.map((c) => `${c.shown} in ${c.where}`).join(' and ');
    return { version: low.version, origin: `required_version ${which}` };
  }
  if (opts.defaultPackerVersion) return { version: opts.defaultPackerVersion, origin: 'the configuration file' };
  return { version: NEWEST_PACKER, origin: 'the newest Packer release' };
}

/** A file's parse errors as `syntax` findings; the configuration file can change their severity, not turn them off. */
export function syntaxDiagnostics(f: SourceFile, severities: Record<string, SeveritySetting> = {}): Diagnostic[] {
  const severity = severities.syntax && severities.syntax !== 'off' ? severities.syntax : 'error';
  return f.syntaxErrors.map((e) => ({ ruleId: 'syntax', severity, message: e.message, file: f, start: e.start, end: e.end }));
}

/**
 * A required_version Packer rejects ("Invalid version constraint", e.g. a 20-digit number) or that no Packer version
 * meets ("Unsupported Packer Core version"), and a legacy min_packer_version Packer cannot read: packer stops on
 * them before anything else, so they are syntax findings and stop the unit's checks, as a parse error does.
 */
function versionProblem(unit: Unit, cfg: ReturnType<typeof buildConfig> | undefined, severities: Record<string, SeveritySetting>): Diagnostic | undefined {
  const severity = severities.syntax && severities.syntax !== 'off' ? severities.syntax : 'error';
  if (unit.kind === 'legacy') {
    const file = unit.files[0];
    const m = member(file.json?.root, 'min_packer_version');
    if (!m || m.value.kind !== 'string') return undefined;
    const v = m.value.value;
    const r = resolveMinimum(v);
    if (r.ok || r.reason === 'unreadable') return undefined;
    const shown = JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
    const message =
      r.reason === 'invalid'
        ? `min_packer_version ${shown} cannot be read by Packer (${r.problem}): packer validate and packer build fail ("min_version is invalid")`
        : `min_packer_version ${shown} asks for a version no Packer release has: packer validate and packer build fail ("This template requires Packer version … or higher")`;
    return { ruleId: 'syntax', severity, message, file, start: m.value.start, end: m.value.end };
  }
  const cs = literalConstraints(cfg);
  for (const c of cs) {
    const r = resolveConstraints([c.text]);
    if (!r.ok && r.reason === 'invalid') {
      return { ruleId: 'syntax', severity, message: `required_version ${c.shown} is not a valid version constraint: ${r.problem} (Packer: "Invalid version constraint")`, file: c.file, start: c.expr.start, end: c.expr.end };
    }
  }
  const all = cs.length ? resolveConstraints(cs.map((c) => c.text)) : undefined;
  if (!all || all.ok || all.reason !== 'unsatisfiable') return undefined;
  const which = cs.length > 1 ? `required_version ${cs.map((c) => `${c.shown} in ${c.where}`).join(' and ')} together allow` : `required_version ${cs[0].shown} allows`;
  return { ruleId: 'syntax', severity, message: `${which} no Packer version (${all.problem}): Packer fails with "Unsupported Packer Core version"`, file: cs[0].file, start: cs[0].expr.start, end: cs[0].expr.end };
}

export function lintUnit(unit: Unit, opts: LintOptions): Diagnostic[] {
  const severities = opts.severities ?? {};
  const out: Diagnostic[] = [];
  for (const f of unit.files) out.push(...syntaxDiagnostics(f, severities));
  // Rules read a tree; a file that did not parse gives a partial tree, and findings on it would be noise.
  if (unit.files.some((f) => f.syntaxErrors.length)) return out;

  const cfg = unit.kind === 'hcl' ? buildConfig(unit) : undefined;
  const badVersion = versionProblem(unit, cfg, severities);
  if (badVersion) return [...out, badVersion];
  const evaluator = cfg ? new Evaluator(cfg, opts.env, { varFiles: opts.varFiles, vars: opts.vars }) : undefined;
  const target = resolveTarget(opts, cfg);
  const hcl =
    cfg && evaluator
      ? {
          config: cfg,
          evaluator,
          hcp: hcpState(cfg, opts.env),
          bucket: effectiveBucket(cfg, opts.env, evaluator),
          ownBucket: effectiveBucket(cfg, opts.env, evaluator, { ignoreEnv: true }),
        }
      : undefined;
  const raw: Diagnostic[] = [];
  const active: Rule[] = rules.filter((r) => r.meta.id !== 'syntax' && r.meta.id !== 'unused-ignore' && (severities[r.meta.id] ?? r.meta.severity) !== 'off' && (!opts.only || opts.only.includes(r.meta.id)));
  for (const rule of active) {
    const ctx: RuleContext = {
      unit,
      env: opts.env,
      target,
      hcl,
      report: (r: Report) => raw.push(toDiagnostic(rule, r, severities)),
    };
    try {
      rule.check(ctx);
    } catch (e) {
      // A stack overflow comes from the input (a rule following thousands of locals that refer to each other): the
      // rule could not judge this configuration, which is said, and the run goes on. Anything else is a bug.
      if (!(e instanceof RangeError)) throw e;
      const where = unit.kind === 'hcl' ? `the configuration in ${unit.files[0]?.display ?? unit.id}` : unit.files[0]?.display ?? unit.id;
      raw.push({ ruleId: rule.meta.id, severity: 'warning', message: `${where} is nested too deeply for this rule to finish (${e.message}); it was not checked by ${rule.meta.id}` });
    }
  }
  const kept = applyIgnores(unit, raw, new Set(active.map((r) => r.meta.id)), severities, opts.only);
  return [...out, ...kept];
}

function toDiagnostic(rule: Rule, r: Report, severities: Record<string, SeveritySetting>): Diagnostic {
  const configured = severities[rule.meta.id];
  // A configured severity applies to every finding of the rule, including its milder variants.
  const severity: Severity = configured && configured !== 'off' ? configured : r.severity ?? rule.meta.severity;
  return { ruleId: rule.meta.id, severity, message: r.message, file: r.file, start: r.start, end: r.end, fix: r.fix };
}

interface Ignore {
  file: SourceFile;
  rules: string[];
  /** Offsets the ignore covers; undefined for the whole file. */
  start?: number;
  end?: number;
  /** Line the ignore covers when it trails code. */
  line?: number;
  commentStart: number;
  commentEnd: number;
  used: Set<string>;
}

const IGNORE = /^(?:#|\/\/)\s*pkrlint-ignore(-file)?:\s*([^]*?)\s*(?:--[^]*)?$/;

export function parseIgnores(file: SourceFile): Ignore[] {
  if (!file.hcl) return [];
  const out: Ignore[] = [];
  for (const c of file.hcl.comments) {
    const m = IGNORE.exec(c.text.trim());
    if (!m) continue;
    const ids = m[2].split(',').map((s) => s.trim()).filter(Boolean);
    const base = { file, rules: ids, commentStart: c.start, commentEnd: c.end, used: new Set<string>() };
    if (m[1]) {
      out.push(base);
      continue;
    }
    const pos = file.lines.position(c.start);
    const before = file.lines.lineText(pos.line).slice(0, pos.column - 1);
    if (before.trim() !== '') {
      out.push({ ...base, line: pos.line });
      continue;
    }
    const scope = ownLineScope(file, c.end);
    // An ignore with nothing after it in its own block covers nothing (and unused-ignore says so).
    out.push(scope ? { ...base, ...scope } : { ...base, start: c.end, end: c.end });
  }
  return out;
}

/**
 * What an ignore on a line of its own covers: the next statement of the same body, whole; inside an attribute's
 * value (a labels map, a channel list), the next line of code.
 */
function ownLineScope(file: SourceFile, offset: number): { start: number; end: number } | { line: number } | undefined {
  let body = file.hcl!.body;
  for (;;) {
    const inside = body.statements.find((s) => s.start < offset && offset < s.end);
    if (!inside) break;
    if (inside.kind === 'attribute') {
      for (let line = file.lines.position(offset).line + 1; line <= file.lines.lineCount; line++) {
        const t = file.lines.lineText(line).trim();
        if (t !== '' && !t.startsWith('#') && !t.startsWith('//')) return { line };
      }
      return undefined;
    }
    body = inside.body;
  }
  const next = body.statements.find((s) => s.start >= offset);
  return next && { start: next.start, end: next.end };
}

function covers(ig: Ignore, d: Diagnostic): boolean {
  if (d.file !== ig.file || d.start === undefined) return false;
  if (ig.line !== undefined) return d.file.lines.position(d.start).line === ig.line;
  if (ig.start === undefined) return true;
  return d.start >= ig.start && d.start < ig.end!;
}

function applyIgnores(unit: Unit, diags: Diagnostic[], ran: Set<string>, severities: Record<string, SeveritySetting>, only?: string[]): Diagnostic[] {
  const ignores = unit.files.flatMap(parseIgnores);
  const kept = diags.filter((d) => {
    const rule = ruleById.get(d.ruleId);
    if (rule && !rule.meta.suppressible) return true;
    let suppressed = false;
    for (const ig of ignores) {
      if ((ig.rules.length === 0 || ig.rules.includes(d.ruleId)) && covers(ig, d)) {
        ig.used.add(d.ruleId);
        suppressed = true;
      }
    }
    return !suppressed;
  });
  const unusedSetting = severities['unused-ignore'] ?? ruleById.get('unused-ignore')!.meta.severity;
  if (unusedSetting === 'off' || (only && !only.includes('unused-ignore'))) return kept;
  for (const ig of ignores) {
    const names = ig.rules.length ? ig.rules : ['(all rules)'];
    for (const id of names) {
      if (id === '(all rules)' ? ig.used.size > 0 : ig.used.has(id)) continue;
      let message: string;
      if (id !== '(all rules)' && !ruleById.has(id)) message = `'${id}' is not a pkrlint rule; this ignore has no effect`;
      else if (id === 'syntax') message = `'syntax' cannot be suppressed; this ignore has no effect`;
      else if (id !== '(all rules)' && !ran.has(id) && !only) continue; // the rule is off: nothing to judge
      else message = `this ignore of ${id === '(all rules)' ? 'all rules' : `'${id}'`} suppressed nothing`;
      kept.push({ ruleId: 'unused-ignore', severity: unusedSetting, message, file: ig.file, start: ig.commentStart, end: ig.commentEnd });
    }
  }
  return kept;
}
