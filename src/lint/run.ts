/** A whole `check` run: discover units, lint each, keep what the user asked about. */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Environment } from '../packer/env.js';
import { readInput } from '../packer/input.js';
import { InputError, discover, fileFrom, fileLine, type SourceFile, type Unit } from '../packer/unit.js';
import { lintUnit, syntaxDiagnostics, type Diagnostic, type LintOptions, type SeveritySetting } from './lint.js';
import { findConfigFile, loadConfigFile, type ProjectConfig } from './configfile.js';
import { CiError, configurationName, contextBuilds, contextNote, ENV_RULES, loadCi, type CiLoad } from '../ci/context.js';
import type { EnvContext } from '../packer/env.js';

export interface CheckOptions {
  paths: string[];
  cwd: string;
  ignore: string[];
  env: Environment;
  packerVersion?: string;
  /** How packerVersion was given, for messages (the language server's setting); default "--packer-version". */
  packerVersionOrigin?: string;
  configPath?: string;
  varFiles: string[];
  vars: Array<[string, string]>;
  /** Severities from the command line (`--rule`), over the configuration file's. */
  rules?: Record<string, SeveritySetting>;
  /** Text that replaces a file's content (absolute path → text): standard input read as that file. */
  overlay?: Map<string, string>;
  /** Run only these rules (tests). */
  only?: string[];
  /**
   * CI contexts (docs/ci.md): `true` (--ci: a CI file that cannot be read is a fatal error), `false` (--no-ci), `auto`
   * (the CLI's default: on when the configuration file says so or CI files exist); undefined: off.
   */
  ci?: boolean | 'auto';
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** Paths (as displayed) of the files looked at. */
  files: string[];
  skipped: string[];
  config: ProjectConfig;
  /** Problems that did not stop the run (a malformed CI file without --ci), for standard error. */
  warnings: string[];
  /** The CI contexts judged, by name. */
  contexts: string[];
}

/** A whole check run. */
export function runCheck(opts: CheckOptions): CheckResult {
  const first = resolve(opts.cwd, opts.paths[0] ?? '.');
  const startDir = existsSync(first) && statSync(first).isDirectory() ? first : dirname(first);
  const found0 = opts.configPath ? undefined : findConfigFile(startDir);
  const config: ProjectConfig = opts.configPath
    ? loadConfigFile(resolve(opts.cwd, opts.configPath), { explicit: true })
    : found0
      ? loadConfigFile(found0.path, { explicit: false, root: found0.root })
      : { rules: {}, ignore: [] };
  const maxBytes = config.maxFileSize;
  const severities = { ...config.rules, ...opts.rules };
  const found = discover(opts.paths.length ? opts.paths : ['.'], opts.cwd, [...config.ignore, ...opts.ignore], { maxBytes, overlay: opts.overlay });
  // Variable files named with --var-file are the user's choice: a link may lead anywhere, but a FIFO is refused.
  const varFiles = opts.varFiles.map((p) => {
    const abs = resolve(opts.cwd, p);
    const read = readInput(abs, { explicit: true, maxBytes });
    if (!read.ok) throw new InputError(read.reason === 'missing' ? `${p}: no such variable file` : `${p}: cannot read variable file: ${read.problem}`);
    return fileFrom(abs, opts.cwd, p.endsWith('.json') ? 'pkrvars-json' : 'pkrvars-hcl', read);
  });
  const ci = loadContexts(opts, config, startDir);
  const lintOpts: LintOptions = {
    env: opts.env,
    packerVersion: opts.packerVersion,
    packerVersionOrigin: opts.packerVersionOrigin,
    defaultPackerVersion: config.packerVersion,
    varFiles,
    vars: opts.vars,
    severities,
    only: opts.only,
  };
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [];
  // Variable files are parsed like templates, so their syntax errors are reported too.
  for (const f of varFiles) diagnostics.push(...syntaxDiagnostics(f, severities));
  // JSON met in a directory search that could not be read: it may or may not be a template.
  for (const f of found.unreadable) {
    files.push(f.display);
    const e = f.syntaxErrors[0];
    diagnostics.push({ ruleId: 'syntax', severity: 'warning', message: `${e.message}; whether it is a Packer template cannot be told`, file: f, start: 0, end: 0 });
  }
  const seenPositionless = new Set<string>();
  const inCi: InCi = new Map();
  for (const ref of found.units) {
    const unit = ref.load();
    if (!unit) continue;
    const reported = (f: SourceFile) => found.requested.has(f.path) || (ref.searched && !found.ignored(f.path));
    for (const f of unit.files) if (reported(f)) files.push(f.display);
    // Only files with a finding stay in memory, and of them only what the report needs (text and line index, for
    // the code frames): the parsed model of the unit is dropped here, so memory follows the text of those files.
    const kept = new Map<SourceFile, SourceFile>();
    const slim = (f: SourceFile): SourceFile => {
      let s = kept.get(f);
      if (!s) kept.set(f, (s = { path: f.path, display: f.display, kind: f.kind, text: f.text, bom: f.bom, lines: f.lines, syntaxErrors: [] }));
      return s;
    };
    const local = lintUnit(unit, lintOpts);
    for (const raw of [...local, ...contextDiagnostics(unit, local, ci.contexts, lintOpts, opts.cwd, inCi)]) {
      const d: Diagnostic = raw.file ? { ...raw, file: slim(raw.file), fix: raw.fix && { ...raw.fix, edits: raw.fix.edits.map((e) => ({ ...e, file: slim(e.file) })) } } : raw;
      if (!d.file) {
        // Findings caused by the environment alone are the same for every unit: report them once.
        const key = `${d.ruleId}\u0000${d.message}\u0000${d.context ?? ''}`;
        if (seenPositionless.has(key)) continue;
        seenPositionless.add(key);
      } else if (d.file.kind !== 'ci' && !reported(d.file)) {
        // A file that does not parse leaves its unit checked only in part (src/lint/lint.ts): the named files too.
        if (d.ruleId === 'syntax') {
          const at = fileLine(d.file, d.start ?? 0);
          diagnostics.push({ ruleId: 'syntax', severity: d.severity, message: `${at}: ${d.message}; this file belongs to the same configuration, which was checked only in part` });
        }
        continue;
      }
      diagnostics.push(d);
    }
  }
  for (const { d, ctx, configs } of inCi.values()) diagnostics.push({ ...d, message: d.message + contextNote(ctx, configs, opts.cwd) });
  files.push(...varFiles.map((f) => f.display), ...ci.files);
  return { diagnostics: sortDiagnostics(diagnostics), files, skipped: found.skipped, config, warnings: ci.warnings, contexts: ci.contexts.map((c) => c.name) };
}

/** The CI contexts of the run, when CI reading is on (a CI file that cannot be read is fatal only with --ci). */
function loadContexts(opts: CheckOptions, config: ProjectConfig, startDir: string): CiLoad {
  const settings = config.ci;
  const settingsDir = config.path ? dirname(config.path) : undefined;
  // 'auto' reads what is there: with no CI file found and none configured, loadCi finds no context.
  const on = opts.ci === true || (opts.ci === 'auto' && settings?.enabled !== false);
  if (!on) return { contexts: [], files: [], warnings: [] };
  try {
    return loadCi({ startDir, cwd: opts.cwd, settings, settingsDir, explicit: opts.ci === true, maxBytes: config.maxFileSize });
  } catch (e) {
    if (e instanceof CiError) throw new InputError(e.message);
    throw e;
  }
}

/** Names of variables whose clear-text value must not be shown, not even by a code frame of its line. */
const CREDENTIAL = /SECRET|TOKEN|PASSWORD|CLIENT_ID|CRED/i;

/**
 * Where a finding with no place of its own goes in a context: the line of the variable its message cites ("HCP_X …
 * (set in build.yml:12)"), unless that line holds a credential in clear; otherwise undefined (the job's line).
 */
function variablePlace(ctx: EnvContext, message: string): EnvContext['at'] | undefined {
  for (const [name, v] of ctx.env.entries()) {
    if (v.at && message.includes(name) && message.includes(`set in ${v.origin}`) && (v.unknown || !CREDENTIAL.test(name))) return v.at;
  }
  return undefined;
}

/** Context findings that point into a CI file, by rule, place, message and context: reported once, with every configuration they were found with. */
type InCi = Map<string, { d: Diagnostic; ctx: EnvContext; configs: string[] }>;

/**
 * The environment rules once more per CI context that builds the unit. A finding the local run made already (a
 * template's own problem) is not repeated; the others name their context. One with no place of its own is reported
 * at the job that sets the environment; those in CI files are gathered in `inCi`, the others returned.
 */
function contextDiagnostics(unit: Unit, local: Diagnostic[], contexts: EnvContext[], lintOpts: LintOptions, cwd: string, inCi: InCi): Diagnostic[] {
  if (!contexts.length || unit.files.some((f) => f.syntaxErrors.length) || local.some((d) => d.ruleId === 'syntax')) return [];
  const keyOf = (d: Diagnostic) => [d.ruleId, d.file?.path ?? '', d.start ?? '', d.end ?? '', d.message].join('\u0000');
  const known = new Set(local.map(keyOf));
  const only = ENV_RULES.filter((id) => !lintOpts.only || lintOpts.only.includes(id));
  const out: Diagnostic[] = [];
  for (const ctx of contexts) {
    if (!contextBuilds(ctx, unit)) continue;
    for (const d of lintUnit(unit, { ...lintOpts, env: ctx.env, context: ctx, only })) {
      if (d.ruleId === 'syntax' || d.ruleId === 'unused-ignore' || known.has(keyOf(d))) continue;
      const at = d.file ? undefined : variablePlace(ctx, d.message) ?? ctx.at;
      const placed: Diagnostic = { ...(at ? { ...d, file: at.file, start: at.start, end: at.end } : d), context: ctx.name };
      if (placed.file?.kind !== 'ci') {
        out.push({ ...placed, message: d.message + contextNote(ctx, undefined, cwd) });
        continue;
      }
      const k = `${keyOf(placed)}\u0000${ctx.name}`;
      const group = inCi.get(k);
      if (group) group.configs.push(configurationName(unit, cwd));
      else inCi.set(k, { d: placed, ctx, configs: [configurationName(unit, cwd)] });
    }
  }
  return out;
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => {
    const fa = a.file?.display ?? '';
    const fb = b.file?.display ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.start ?? -1) - (b.start ?? -1) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
  });
}
