import type { CommandModule } from 'yargs';
import { readFileSync } from 'node:fs';
import { Environment } from '../packer/env.js';
import { NEWEST_PACKER, parseVersion } from '../packer/version.js';
import { runCheck } from '../lint/run.js';
import { toResults } from '../report/model.js';
import { formatCompact } from '../report/compact.js';
import { formatJson } from '../report/json.js';
import { formatStylish } from '../report/stylish.js';
import { EXIT, fail, keyValues, stringList, UsageError } from './common.js';

// Repeatable options are plain strings (yargs collects repeats into an array): `array: true` would swallow the
// positional paths that follow them.
interface CheckArgs {
  paths?: string[];
  format: string;
  ignore?: string | string[];
  var?: string | string[];
  'var-file'?: string | string[];
  env?: string | string[];
  'env-file'?: string | string[];
  'process-env': boolean;
  'packer-version'?: string;
  config?: string;
  color?: boolean;
  quiet: boolean;
  'max-warnings'?: number;
  debug: boolean;
}

/** A single-valued option given twice: the last one wins, as in most command-line tools. */
const last = <T>(v: T | T[]): T => (Array.isArray(v) ? v[v.length - 1] : v);

function useColor(flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined) return process.env.FORCE_COLOR !== '0' && process.env.FORCE_COLOR !== 'false';
  return Boolean(process.stdout.isTTY);
}

export const checkCommand: CommandModule<object, CheckArgs> = {
  command: 'check [paths..]',
  describe: 'Lint Packer templates (files or directories; default: the current directory)',
  builder: (y) =>
    y
      .option('format', { alias: 'f', choices: ['stylish', 'compact', 'json'], default: 'stylish', coerce: last, describe: 'Output format (the last one given wins)' })
      .option('ignore', { type: 'string', describe: 'Glob of paths to skip in directory search (repeatable)' })
      .option('var', { type: 'string', describe: 'Set a variable: NAME=VALUE (repeatable)' })
      .option('var-file', { type: 'string', describe: 'A .pkrvars.hcl/.pkrvars.json file (repeatable)' })
      .option('env', { type: 'string', describe: 'An environment variable for HCP rules: NAME=VALUE (repeatable)' })
      .option('env-file', { type: 'string', describe: 'A dotenv file of environment variables (repeatable)' })
      .option('process-env', { type: 'boolean', default: true, describe: 'Read the process environment (--no-process-env to ignore it)' })
      .option('packer-version', { type: 'string', coerce: last, describe: `Target Packer version (default: from required_version, else ${NEWEST_PACKER})` })
      .option('config', { type: 'string', coerce: last, describe: 'Configuration file (default: .pkrlintrc.json found upward)' })
      .option('color', { type: 'boolean', describe: 'Force colour on or off (default: on a terminal, honouring NO_COLOR/FORCE_COLOR)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Report errors only' })
      .option('max-warnings', { type: 'number', coerce: last, describe: 'Exit 1 when there are more warnings than this' }) as never,
  handler: (argv) => {
    try {
      const env = argv['process-env'] ? Environment.fromProcess(process.env) : new Environment();
      for (const f of stringList(argv['env-file'])) {
        let text: string;
        try {
          text = readFileSync(f, 'utf8');
        } catch (e) {
          throw new UsageError(`${f}: cannot read env file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
        env.loadDotenv(text, f);
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
      const result = runCheck({
        paths: stringList(argv.paths),
        cwd: process.cwd(),
        ignore: stringList(argv.ignore),
        env,
        packerVersion,
        configPath: argv.config,
        varFiles: stringList(argv['var-file']),
        vars: keyValues(argv.var, '--var'),
      });
      for (const s of result.skipped) process.stderr.write(`pkrlint: ${s}: not a Packer template, skipped\n`);
      const shown = argv.quiet ? result.diagnostics.filter((d) => d.severity === 'error') : result.diagnostics;
      const results = toResults(shown, result.files.length);
      const out = argv.format === 'json' ? formatJson(results) : argv.format === 'compact' ? formatCompact(results) : formatStylish(results, useColor(argv.color));
      process.stdout.write(out);
      const warnings = result.diagnostics.filter((d) => d.severity === 'warning').length;
      const tooManyWarnings = argv['max-warnings'] !== undefined && warnings > argv['max-warnings'];
      process.exitCode = results.summary.errors > 0 || tooManyWarnings ? EXIT.problems : EXIT.ok;
      if (tooManyWarnings) process.stderr.write(`pkrlint: ${warnings} warnings exceed --max-warnings ${argv['max-warnings']}\n`);
    } catch (e) {
      fail(e, argv.debug);
    }
  },
};
