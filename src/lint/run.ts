/** A whole `check` run: discover units, lint each, keep what the user asked about. */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Environment } from '../packer/env.js';
import { readInput } from '../packer/input.js';
import { InputError, discover, drain, fileFrom, fileLine, type SourceFile } from '../packer/unit.js';
import { lintUnit, syntaxDiagnostics, type Diagnostic, type LintOptions, type SeveritySetting } from './lint.js';
import { findConfigFile, loadConfigFile, type ProjectConfig } from './configfile.js';

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
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** Paths (as displayed) of the files looked at. */
  files: string[];
  skipped: string[];
  config: ProjectConfig;
}

/** A whole check run, without pausing. */
export function runCheck(opts: CheckOptions): CheckResult {
  return drain(checkSteps(opts));
}

function* checkSteps(opts: CheckOptions): Generator<void, CheckResult> {
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
  for (const ref of found.units) {
    const unit = yield* ref.steps();
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
    for (const raw of lintUnit(unit, lintOpts)) {
      const d: Diagnostic = raw.file ? { ...raw, file: slim(raw.file), fix: raw.fix && { ...raw.fix, edits: raw.fix.edits.map((e) => ({ ...e, file: slim(e.file) })) } } : raw;
      if (!d.file) {
        // Findings caused by the environment alone are the same for every unit: report them once.
        const key = `${d.ruleId}\u0000${d.message}`;
        if (seenPositionless.has(key)) continue;
        seenPositionless.add(key);
      } else if (!reported(d.file)) {
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
  files.push(...varFiles.map((f) => f.display));
  return { diagnostics: sortDiagnostics(diagnostics), files, skipped: found.skipped, config };
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => {
    const fa = a.file?.display ?? '';
    const fb = b.file?.display ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    return (a.start ?? -1) - (b.start ?? -1) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
  });
}
