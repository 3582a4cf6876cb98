/** A whole `check` run: discover units, lint each, keep what the user asked about. */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Environment } from '../packer/env.js';
import { InputError, discover, fileLine, loadFile, type SourceFile } from '../packer/unit.js';
import { lintUnit, syntaxDiagnostics, type Diagnostic, type LintOptions, type SeveritySetting } from './lint.js';
import { findConfigFile, loadConfigFile, type ProjectConfig } from './configfile.js';

export interface CheckOptions {
  paths: string[];
  cwd: string;
  ignore: string[];
  env: Environment;
  packerVersion?: string;
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

export function runCheck(opts: CheckOptions): CheckResult {
  const first = resolve(opts.cwd, opts.paths[0] ?? '.');
  const startDir = existsSync(first) && statSync(first).isDirectory() ? first : dirname(first);
  const configPath = opts.configPath ? resolve(opts.cwd, opts.configPath) : findConfigFile(startDir);
  const config: ProjectConfig = configPath ? loadConfigFile(configPath) : { rules: {}, ignore: [] };
  const severities = { ...config.rules, ...opts.rules };
  const found = discover(opts.paths.length ? opts.paths : ['.'], opts.cwd, [...config.ignore, ...opts.ignore], opts.overlay);
  const varFiles = opts.varFiles.map((p) => {
    const abs = resolve(opts.cwd, p);
    if (!existsSync(abs)) throw new InputError(`${p}: no such variable file`);
    return loadFile(abs, opts.cwd, p.endsWith('.json') ? 'pkrvars-json' : 'pkrvars-hcl');
  });
  const lintOpts: LintOptions = {
    env: opts.env,
    packerVersion: opts.packerVersion,
    defaultPackerVersion: config.packerVersion,
    varFiles,
    vars: opts.vars,
    severities,
    only: opts.only,
  };
  const diagnostics: Diagnostic[] = [];
  // Variable files are parsed like templates, so their syntax errors are reported too.
  for (const f of varFiles) diagnostics.push(...syntaxDiagnostics(f, severities));
  const seenPositionless = new Set<string>();
  const files: string[] = [];
  for (const ref of found.units) {
    const unit = ref.load();
    if (!unit) continue;
    const reported = (f: SourceFile) => found.requested.has(f.path) || (ref.searched && !found.ignored(f.path));
    for (const f of unit.files) if (reported(f)) files.push(f.display);
    // Only files with a finding stay in memory (for the code frames); the rest of the unit is dropped here.
    for (const d of lintUnit(unit, lintOpts)) {
      if (!d.file) {
        // Findings caused by the environment alone are the same for every unit: report them once.
        const key = `${d.ruleId}\u0000${d.message}`;
        if (seenPositionless.has(key)) continue;
        seenPositionless.add(key);
      } else if (!reported(d.file)) {
        // A file that does not parse stops the checks of its whole unit: the named files were not checked either.
        if (d.ruleId === 'syntax') {
          const at = fileLine(d.file, d.start ?? 0);
          diagnostics.push({ ruleId: 'syntax', severity: d.severity, message: `${at}: ${d.message}; this file belongs to the same configuration, which could not be checked` });
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
