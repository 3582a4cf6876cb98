import type { CommandModule } from 'yargs';
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { runFix, type FileChange } from '../fix/run.js';
import { errorWords, SafeWriter, WriteError } from '../fix/write.js';
import { Environment } from '../packer/env.js';
import { readInputFile } from '../packer/input.js';
import { NEWEST_PACKER, parseVersion } from '../packer/version.js';
import { runCheck, type CheckOptions, type CheckResult } from '../lint/run.js';
import { visible } from '../report/text.js';
import { severitySetting } from '../lint/configfile.js';
import type { SeveritySetting } from '../lint/lint.js';
import { DOCS_BASE_URL, PROJECT_URL, toResults, toRuleInfo } from '../report/model.js';
import { format, FORMATS, type FormatName } from '../report/index.js';
import { ruleById, rules } from '../rules/index.js';
import { closest } from '../rules/types.js';
import { EXIT, fail, keyValues, stringList, UsageError } from './common.js';
import { pkrlintVersion } from './version.js';

// Repeatable options are plain strings (yargs collects repeats into an array): `array: true` would swallow the
// positional paths that follow them.
interface CheckArgs {
  paths?: string[];
  format?: string | string[];
  'output-file'?: string;
  ignore?: string | string[];
  var?: string | string[];
  'var-file'?: string | string[];
  env?: string | string[];
  'env-file'?: string | string[];
  'process-env': boolean;
  ci?: boolean;
  'packer-version'?: string;
  config?: string;
  rule?: string | string[];
  stdin?: boolean;
  'stdin-filename'?: string;
  fix?: boolean;
  'fix-dry-run'?: boolean;
  'fix-rule'?: string | string[];
  color?: boolean;
  quiet: boolean;
  'max-warnings'?: number;
  debug: boolean;
}

interface Output {
  format: FormatName;
  /** Undefined: standard output. */
  file?: string;
}

/**
 * `--format NAME` or `--format NAME:FILE` (repeatable), and `-o FILE` for the formats given without a file. A
 * Windows path such as `json:C:\out.json` splits at the first colon only, after a known format name.
 */
export function parseOutputs(formats: string[], outputFile: string | undefined): Output[] {
  const outs = (formats.length ? formats : ['stylish']).map((spec): Output => {
    const i = spec.indexOf(':');
    const name = i < 0 ? spec : spec.slice(0, i);
    if (!(FORMATS as readonly string[]).includes(name)) {
      const near = closest(name, FORMATS);
      throw new UsageError(`--format: unknown format "${name}" (known: ${FORMATS.join(', ')})${near ? `; did you mean "${near}"?` : ''}`);
    }
    const file = i < 0 ? undefined : spec.slice(i + 1);
    if (file === '') throw new UsageError(`--format ${name}: expects a file name after the colon`);
    return { format: name as FormatName, file };
  });
  const toDefault = outs.filter((o) => o.file === undefined);
  if (outputFile !== undefined) {
    if (toDefault.length > 1) throw new UsageError(`--output-file: ${toDefault.length} formats would be written to one file; give each its own with --format NAME:FILE`);
    for (const o of toDefault) o.file = outputFile;
  } else if (toDefault.length > 1) {
    throw new UsageError(`${toDefault.length} formats would be printed together on standard output; give all but one a file with --format NAME:FILE`);
  }
  const files = outs.map((o) => o.file).filter((f): f is string => f !== undefined).map((f) => resolve(f));
  const dup = files.find((f, i) => files.indexOf(f) !== i);
  if (dup) throw new UsageError(`two formats would be written to ${dup}`);
  return outs;
}

/** An option naming a rule that does not exist: bad usage, with the nearest rule id. */
function unknownRule(option: string, id: string): UsageError {
  const near = closest(id, rules.map((r) => r.meta.id));
  return new UsageError(`${option}: unknown rule "${id}"${near ? `; did you mean "${near}"?` : ''} ('pkrlint rules' lists them)`);
}

/** `--rule ID:SEVERITY` (repeatable), as in ESLint; a severity accepts the configuration file's words. */
export function parseRuleOptions(items: string[]): Record<string, SeveritySetting> {
  const out: Record<string, SeveritySetting> = {};
  for (const item of items) {
    const i = item.lastIndexOf(':');
    const id = i < 0 ? item : item.slice(0, i);
    if (i < 0) throw new UsageError(`--rule expects ID:SEVERITY, such as registry-env-override:error (got ${JSON.stringify(item)})`);
    if (!ruleById.has(id)) throw unknownRule('--rule', id);
    const sev = severitySetting(item.slice(i + 1));
    if (!sev) throw new UsageError(`--rule ${id}: severity must be one of off, info, warning (or warn), error`);
    if (id === 'syntax' && sev === 'off') throw new UsageError('--rule: the syntax rule cannot be turned off');
    out[id] = sev;
  }
  return out;
}

/** A change as a patch `git apply` takes (paths relative to the working directory, as shown). */
function unifiedDiff(c: FileChange): string {
  const bom = c.bom ? '\ufeff' : '';
  const patch = createTwoFilesPatch(`a/${c.display}`, `b/${c.display}`, bom + c.before, bom + c.after, '', '', { context: 3 });
  return `diff --git a/${c.display} b/${c.display}\n${patch.replace(/^=+\n/, '')}`;
}

/**
 * Writes fixed files whole (a temporary file, then a rename; permissions kept). Every file is checked first, so that
 * a read-only file or directory stops the run before anything is written: a file or directory without write
 * permission is not modified, even by root.
 */
function writeChanges(changes: FileChange[]): void {
  for (const c of changes) {
    for (const [p, what] of [[c.path, 'file'], [dirname(c.path), 'directory']] as const) {
      let mode: number;
      try {
        mode = statSync(p).mode;
      } catch (e) {
        throw new UsageError(`${c.display}: cannot fix: ${errorWords(e)}`);
      }
      if ((mode & 0o222) === 0) throw new UsageError(`${c.display}: not fixed: the ${what} is read-only; nothing was written`);
    }
  }
  const writer = new SafeWriter();
  for (const c of changes) {
    try {
      writer.write(c.path, (c.bom ? '\ufeff' : '') + c.after, { overwrite: true });
    } catch (e) {
      throw new UsageError(`cannot write the fixed file: ${(e as WriteError).message}`);
    }
  }
}

function useColor(flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined) return process.env.FORCE_COLOR !== '0' && process.env.FORCE_COLOR !== 'false';
  return Boolean(process.stdout.isTTY);
}

function readStdin(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read standard input: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check [paths..]',
  describe: 'Lint Packer templates (files or directories; default: the current directory; - reads standard input)',
  builder: (y) =>
    y
      .option('format', { alias: 'f', type: 'string', describe: `Output format: ${FORMATS.join(', ')} (default stylish); NAME:FILE writes it to FILE (repeatable)` })
      .option('output-file', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of standard output' })
      .option('ignore', { type: 'string', describe: 'Glob of paths to skip in directory search (repeatable)' })
      .option('var', { type: 'string', describe: 'Set a variable: NAME=VALUE (repeatable)' })
      .option('var-file', { type: 'string', describe: 'A .pkrvars.hcl/.pkrvars.json file (repeatable)' })
      .option('env', { type: 'string', describe: 'An environment variable for HCP rules: NAME=VALUE (repeatable)' })
      .option('env-file', { type: 'string', describe: 'A dotenv file of environment variables (repeatable)' })
      .option('process-env', { type: 'boolean', default: true, describe: 'Read the process environment (--no-process-env to ignore it)' })
      .option('ci', { type: 'boolean', describe: 'Judge the environments of the CI files (GitHub Actions, GitLab CI, ci.envFiles) too; default: on when there are any (--no-ci: off)' })
      .option('packer-version', { type: 'string', describe: `Target Packer version (default: from required_version, else ${NEWEST_PACKER})` })
      .option('config', { type: 'string', describe: 'Configuration file (default: .pkrlintrc.json found upward)' })
      .option('rule', { type: 'string', describe: 'Set a rule severity: ID:SEVERITY, e.g. registry-env-override:error (repeatable)' })
      .option('stdin', { type: 'boolean', default: false, describe: 'Lint standard input as the file named by --stdin-filename' })
      .option('stdin-filename', { type: 'string', describe: 'The file standard input stands for; the rest of its configuration is read from disk' })
      .option('fix', { type: 'boolean', default: false, describe: 'Apply the fixes of the findings and write the changed files; report what remains' })
      .option('fix-dry-run', { type: 'boolean', default: false, describe: 'Write nothing: print the unified diff of what --fix would change' })
      .option('fix-rule', { type: 'string', describe: 'Fix only the findings of this rule (repeatable; implies --fix unless --fix-dry-run)' })
      .option('color', { type: 'boolean', describe: 'Force colour on or off (default: on a terminal, honouring NO_COLOR/FORCE_COLOR)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Report errors only' })
      .option('max-warnings', { type: 'number', describe: 'Exit 1 when there are more warnings than this' }) as never,
  handler: (argv) => {
    try {
      const outputs = parseOutputs(stringList(argv.format), argv['output-file']);
      const ruleSeverities = parseRuleOptions(stringList(argv.rule));
      let paths = stringList(argv.paths);
      let overlay: Map<string, string> | undefined;
      if (argv.stdin || paths.includes('-')) {
        const name = argv['stdin-filename'];
        if (name === undefined) throw new UsageError('standard input needs --stdin-filename: the file it stands for, such as images/web.pkr.hcl');
        const others = paths.filter((p) => p !== '-');
        if (others.length) throw new UsageError(`standard input is the only input: drop ${JSON.stringify(others[0])} or --stdin`);
        overlay = new Map([[resolve(name), readStdin()]]);
        paths = [name];
      } else if (argv['stdin-filename'] !== undefined) {
        throw new UsageError('--stdin-filename needs --stdin (or - as the path)');
      }
      const env = argv['process-env'] ? Environment.fromProcess(process.env) : new Environment();
      for (const f of stringList(argv['env-file'])) {
        // A FIFO on disk is refused rather than waited on; a pipe from process substitution (<(…)) is read.
        env.loadDotenv(readInputFile(f, { explicit: true, what: 'env file' }), f);
      }
      for (const [k, v] of keyValues(argv.env, '--env')) env.set(k, v, `--env ${k}`);
      let packerVersion: string | undefined;
      if (argv['packer-version'] !== undefined) {
        packerVersion = parseVersion(String(argv['packer-version']));
        if (!packerVersion) throw new UsageError(`--packer-version: ${JSON.stringify(argv['packer-version'])} is not a version such as 1.13.0`);
      }
      if (argv['max-warnings'] !== undefined && (!Number.isInteger(argv['max-warnings']) || argv['max-warnings'] < 0)) {
        throw new UsageError('--max-warnings expects a non-negative integer');
      }
      const checkOptions: CheckOptions = {
        paths,
        cwd: process.cwd(),
        ignore: stringList(argv.ignore),
        env,
        packerVersion,
        configPath: argv.config,
        varFiles: stringList(argv['var-file']),
        vars: keyValues(argv.var, '--var'),
        rules: ruleSeverities,
        overlay,
        ci: argv.ci ?? 'auto',
      };
      const fixRules = stringList(argv['fix-rule']);
      for (const id of fixRules) if (!ruleById.has(id)) throw unknownRule('--fix-rule', id);
      const dryRun = argv['fix-dry-run'] === true;
      const fixing = argv.fix === true || dryRun || fixRules.length > 0;
      if (fixing && overlay && !dryRun) throw new UsageError('--fix cannot write standard input back: use --fix-dry-run, which prints the diff');
      let result: CheckResult;
      if (fixing) {
        const run = runFix(checkOptions, fixRules.length ? new Set(fixRules) : undefined);
        result = run.result;
        for (const a of run.abandoned) process.stderr.write(`pkrlint: ${visible(a.display)}: ${a.reason}\n`);
        if (dryRun) process.stdout.write(run.changes.map(unifiedDiff).join(''));
        else writeChanges(run.changes);
      } else {
        result = runCheck(checkOptions);
      }
      for (const s of result.skipped) process.stderr.write(`pkrlint: ${s}: not a Packer template, skipped\n`);
      for (const w of result.warnings) process.stderr.write(`pkrlint: warning: ${visible(w)}\n`);
      const shown = argv.quiet ? result.diagnostics.filter((d) => d.severity === 'error') : result.diagnostics;
      const results = toResults(shown, result.files.length);
      const severities = { ...result.config.rules, ...ruleSeverities };
      const ruleInfo = rules.map((r) => toRuleInfo(r.meta, severities[r.meta.id]));
      // A report is written whole or not at all (a temporary file, then a rename), its directory made when missing.
      const writer = new SafeWriter();
      for (const o of outputs) {
        const color = o.file === undefined ? useColor(argv.color) : argv.color === true;
        const text = format(o.format, results, { color, rules: ruleInfo, toolVersion: pkrlintVersion(), docsBaseUrl: DOCS_BASE_URL, informationUri: PROJECT_URL });
        // With --fix-dry-run, standard output is the diff (for git apply); the report goes to standard error.
        if (o.file === undefined) (dryRun ? process.stderr : process.stdout).write(text);
        else {
          try {
            writer.write(o.file, text, { overwrite: true });
          } catch (e) {
            throw new UsageError(`cannot write the report: ${(e as WriteError).message}`);
          }
        }
      }
      const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
      const tooManyWarnings = argv['max-warnings'] !== undefined && warnings > argv['max-warnings'];
      process.exitCode = results.summary.errors > 0 || tooManyWarnings ? EXIT.problems : EXIT.ok;
      if (tooManyWarnings) process.stderr.write(`pkrlint: ${warnings} warnings exceed --max-warnings ${argv['max-warnings']}\n`);
    } catch (e) {
      fail(e, argv.debug);
    }
  },
};
