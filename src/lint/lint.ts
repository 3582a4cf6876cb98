/** Runs the rules over a unit: target version, evaluation, severities from configuration, inline ignores. */
import { analyzeWith, literalConstraints, type AnalyzeOptions, type Damage } from '../packer/analysis.js';
import { buildConfig } from '../packer/config.js';
import { standaloneParts, type SourceFile, type Unit } from '../packer/unit.js';
import { member } from '../syntax/json.js';
import { clip } from '../syntax/text.js';
import { resolveConstraints, resolveMinimum } from '../packer/version.js';
import { rules, ruleById } from '../rules/index.js';
import { ignoreCommentFix } from '../rules/_fixes.js';
import { formatMessage, type Fix, type Report, type Rule, type RuleContext, type Severity } from '../rules/types.js';

export interface Diagnostic {
  ruleId: string;
  /** The rule's message id (its `messages` in src/rules); absent for findings the engine makes itself. */
  messageId?: string;
  severity: Severity;
  message: string;
  file?: SourceFile;
  start?: number;
  end?: number;
  fix?: Fix;
  /** The CI context whose environment caused the finding (src/ci/); absent for the local environment. */
  context?: string;
}

export type SeveritySetting = Severity | 'off';

export interface LintOptions extends AnalyzeOptions {
  severities?: Record<string, SeveritySetting>;
  /** Run only these rules (the rule tester, docs tests). */
  only?: string[];
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
    const shown = JSON.stringify(clip(v));
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
  // Files marked as built on their own are checked as configurations of their own.
  const parts = standaloneParts(unit);
  if (parts) return parts.flatMap((u) => lintUnit(u, opts));
  const severities = opts.severities ?? {};
  const out: Diagnostic[] = [];
  for (const f of unit.files) out.push(...syntaxDiagnostics(f, severities));

  const cfg = unit.kind === 'hcl' ? buildConfig(unit) : undefined;
  const analysis = analyzeWith(unit, cfg, opts);
  const damage = analysis.damage;
  // The version problems read the required_versions outside damaged places (analysis.hcl.config): those are real.
  const badVersion = versionProblem(unit, analysis.hcl?.config ?? cfg, severities);
  if (badVersion) return [...out, badVersion];
  // Every rule judges against the target: when a part that did not parse may set it, none can judge.
  if (analysis.target.uncertain) return out;
  const raw: Diagnostic[] = [];
  // A rule that is off by default runs when a severity is configured for it, or when it is asked for by name.
  const setting = (r: Rule) => severities[r.meta.id] ?? (r.meta.defaultOff && !opts.only?.includes(r.meta.id) ? 'off' : r.meta.severity);
  const active: Rule[] = rules.filter(
    (r) =>
      r.meta.id !== 'syntax' &&
      r.meta.id !== 'unused-ignore' &&
      // A rule about the whole unit cannot judge a unit of which a part did not parse.
      !(damage && r.meta.scope === 'unit') &&
      setting(r) !== 'off' &&
      (!opts.only || opts.only.includes(r.meta.id)),
  );
  for (const rule of active) {
    const ctx: RuleContext = { ...analysis, report: (r: Report) => raw.push(toDiagnostic(rule, r, severities)) };
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
  const judged = damage ? raw.filter((d) => !d.file || d.start === undefined || !damage.covers(d.file, d.start, d.end)) : raw;
  // A fix is computed from the whole unit (a block moved where no other is): none is offered for an incomplete one.
  if (damage) for (const d of judged) delete d.fix;
  const kept = applyIgnores(unit, judged, new Set(active.map((r) => r.meta.id)), severities, opts.only);
  return [...out, ...(damage ? kept.filter((d) => d.ruleId !== 'unused-ignore' || judgedIgnore(d, damage)) : kept)];
}

/**
 * Whether an unused-ignore finding of an incomplete unit stands: only for an ignore, in a file that parsed, whose
 * every id is no rule (or `syntax`). That an ignore of a rule suppressed nothing cannot be known: the finding it
 * suppresses may be one the missing part would have made (a skipped whole-unit rule, a value it declares).
 */
function judgedIgnore(d: Diagnostic, damage: Damage): boolean {
  if (!d.file || d.start === undefined || damage.isBroken(d.file)) return false;
  const ig = parseIgnores(d.file).find((i) => i.commentStart === d.start);
  return !!ig && ig.rules.length > 0 && ig.rules.every((id) => !ruleById.has(id) || id === 'syntax');
}

function toDiagnostic(rule: Rule, r: Report, severities: Record<string, SeveritySetting>): Diagnostic {
  const configured = severities[rule.meta.id];
  // A configured severity applies to every finding of the rule, including its milder variants.
  const severity: Severity = configured && configured !== 'off' ? configured : r.severity ?? rule.meta.severity;
  const message = formatMessage(rule.meta, r.messageId, r.data);
  return { ruleId: rule.meta.id, messageId: r.messageId, severity, message, file: r.file, start: r.start, end: r.end, fix: r.fix };
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

/**
 * `# pkrlint-ignore: a, b -- reason` or `// pkrlint-ignore-file: a`: whether it is one, and its rule ids. Parsed by
 * hand: the regular expression it replaces took time quadratic in a long comment (125 KB of spaces: 19 s).
 */
function ignoreDirective(comment: string): { file: boolean; ids: string[] } | undefined {
  let t = comment.trim();
  if (t.startsWith('#')) t = t.slice(1);
  else if (t.startsWith('//')) t = t.slice(2);
  else return undefined;
  t = t.trimStart();
  const file = t.startsWith('pkrlint-ignore-file:');
  if (!file && !t.startsWith('pkrlint-ignore:')) return undefined;
  let rest = t.slice(t.indexOf(':') + 1);
  const reason = rest.indexOf('--');
  if (reason >= 0) rest = rest.slice(0, reason);
  return { file, ids: rest.split(',').map((x) => x.trim()).filter(Boolean) };
}

/** The first statement of `ss` (in order, disjoint) whose range satisfies `after`, by binary search. */
function firstWhere<T>(ss: readonly T[], after: (s: T) => boolean): number {
  let lo = 0;
  let hi = ss.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (after(ss[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function parseIgnores(file: SourceFile): Ignore[] {
  if (!file.hcl) return [];
  const out: Ignore[] = [];
  let nextCode: Int32Array | undefined;
  for (const c of file.hcl.comments) {
    const m = ignoreDirective(c.text);
    if (!m) continue;
    const base = { file, rules: m.ids, commentStart: c.start, commentEnd: c.end, used: new Set<string>() };
    if (m.file) {
      out.push(base);
      continue;
    }
    const pos = file.lines.position(c.start);
    const lineStart = file.lines.lineStart(pos.line);
    if (file.text.slice(lineStart, c.start).trim() !== '') {
      out.push({ ...base, line: pos.line });
      continue;
    }
    nextCode ??= nextCodeLines(file);
    const scope = ownLineScope(file, c.end, nextCode);
    // An ignore with nothing after it in its own block covers nothing (and unused-ignore says so).
    out.push(scope ? { ...base, ...scope } : { ...base, start: c.end, end: c.end });
  }
  return out;
}

/** For each line, the first line at or after it with code (not blank, not only a comment); 0 for none. */
function nextCodeLines(file: SourceFile): Int32Array {
  const n = file.lines.lineCount;
  const next = new Int32Array(n + 2);
  for (let line = n; line >= 1; line--) {
    const t = file.lines.lineText(line).trim();
    next[line] = t !== '' && !t.startsWith('#') && !t.startsWith('//') ? line : next[line + 1];
  }
  return next;
}

/**
 * What an ignore on a line of its own covers: the next statement of the same body, whole; inside an attribute's
 * value (a labels map, a channel list), the next line of code.
 */
function ownLineScope(file: SourceFile, offset: number, nextCode: Int32Array): { start: number; end: number } | { line: number } | undefined {
  let body = file.hcl!.body;
  for (;;) {
    const k = firstWhere(body.statements, (s) => s.end > offset);
    const inside = body.statements[k];
    if (!inside || !(inside.start < offset)) break;
    if (inside.kind === 'attribute') {
      const line = nextCode[file.lines.position(offset).line + 1];
      return line ? { line } : undefined;
    }
    body = inside.body;
  }
  const next = body.statements[firstWhere(body.statements, (s) => s.start >= offset)];
  return next && { start: next.start, end: next.end };
}

/**
 * The ignores of a unit, indexed so that finding those that cover a finding does not look at every ignore: by file
 * and line for trailing ones, whole-file ones by file, and statement ranges (nested or disjoint, like statements)
 * sorted by start with the nearest enclosing range of each.
 */
class IgnoreIndex {
  private readonly byLine = new Map<SourceFile, Map<number, Ignore[]>>();
  private readonly wholeFile = new Map<SourceFile, Ignore[]>();
  private readonly ranges = new Map<SourceFile, { list: Ignore[]; parent: Int32Array }>();

  constructor(readonly all: Ignore[]) {
    const ranged = new Map<SourceFile, Ignore[]>();
    const add = <K>(m: Map<K, Ignore[]>, k: K, ig: Ignore) => {
      const list = m.get(k);
      if (list) list.push(ig);
      else m.set(k, [ig]);
    };
    for (const ig of all) {
      if (ig.line !== undefined) {
        if (!this.byLine.has(ig.file)) this.byLine.set(ig.file, new Map());
        add(this.byLine.get(ig.file)!, ig.line, ig);
      } else if (ig.start === undefined) {
        add(this.wholeFile, ig.file, ig);
      } else if (ig.end! > ig.start) {
        add(ranged, ig.file, ig);
      }
    }
    for (const [file, list] of ranged) {
      // Outer ranges before the ranges they enclose; a stack sweep finds each one's nearest enclosing range.
      list.sort((a, b) => a.start! - b.start! || b.end! - a.end!);
      const parent = new Int32Array(list.length).fill(-1);
      const stack: number[] = [];
      list.forEach((ig, i) => {
        while (stack.length && list[stack[stack.length - 1]].end! <= ig.start!) stack.pop();
        if (stack.length) parent[i] = stack[stack.length - 1];
        stack.push(i);
      });
      this.ranges.set(file, { list, parent });
    }
  }

  /** Every ignore that covers an offset of a file. */
  covering(file: SourceFile, offset: number): Ignore[] {
    const out = [...(this.wholeFile.get(file) ?? []), ...(this.byLine.get(file)?.get(file.lines.position(offset).line) ?? [])];
    const r = this.ranges.get(file);
    if (r) {
      // The last range starting at or before the offset, then up its enclosing ranges: those that contain it.
      let i = firstWhere(r.list, (ig) => ig.start! > offset) - 1;
      while (i >= 0) {
        const ig = r.list[i];
        if (offset < ig.end!) out.push(ig);
        i = r.parent[i];
      }
    }
    return out;
  }
}

function applyIgnores(unit: Unit, diags: Diagnostic[], ran: Set<string>, severities: Record<string, SeveritySetting>, only?: string[]): Diagnostic[] {
  const index = new IgnoreIndex(unit.files.flatMap(parseIgnores));
  const kept = diags.filter((d) => {
    const rule = ruleById.get(d.ruleId);
    if (rule && !rule.meta.suppressible) return true;
    if (!d.file || d.start === undefined) return true;
    let suppressed = false;
    for (const ig of index.covering(d.file, d.start)) {
      if (ig.rules.length === 0 || ig.rules.includes(d.ruleId)) {
        ig.used.add(d.ruleId);
        suppressed = true;
      }
    }
    return !suppressed;
  });
  const ignores = index.all;
  const unusedSetting = severities['unused-ignore'] ?? ruleById.get('unused-ignore')!.meta.severity;
  if (unusedSetting === 'off' || (only && !only.includes('unused-ignore'))) return kept;
  for (const ig of ignores) {
    const names = ig.rules.length ? ig.rules : ['(all rules)'];
    const found: Diagnostic[] = [];
    const unused = new Set<string>();
    for (const id of names) {
      if (id === '(all rules)' ? ig.used.size > 0 : ig.used.has(id)) continue;
      let message: string;
      if (id !== '(all rules)' && !ruleById.has(id)) message = `'${id}' is not a pkrlint rule; this ignore has no effect`;
      else if (id === 'syntax') message = `'syntax' cannot be suppressed; this ignore has no effect`;
      else if (id !== '(all rules)' && !ran.has(id) && !only) continue; // the rule is off: nothing to judge
      else message = `this ignore of ${id === '(all rules)' ? 'all rules' : `'${id}'`} suppressed nothing`;
      unused.add(id);
      found.push({ ruleId: 'unused-ignore', severity: unusedSetting, message, file: ig.file, start: ig.commentStart, end: ig.commentEnd });
    }
    // One fix for the comment, on its first finding: the unused ids go, or the whole comment when none is left.
    if (found.length) found[0].fix = ignoreCommentFix(ig.file, ig.commentStart, ig.commentEnd, names.filter((id) => !unused.has(id) && id !== '(all rules)'));
    kept.push(...found);
  }
  return kept;
}
