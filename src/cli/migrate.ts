import type { CommandModule } from 'yargs';
import { BUCKET_NAME_PATTERN, channelProblem } from '../packer/hcp.js';
import { NEWEST_PACKER } from '../packer/version.js';
import { fail, keyValues, stringList, UsageError } from './common.js';

// Repeatable options are plain strings that yargs collects into an array when repeated: `array: true` would
// swallow the positional paths that follow them. Single-value options given twice are arrays too: the last one wins.
interface MigrateArgs {
  paths?: string[];
  'out-dir'?: string;
  stdout?: boolean;
  force?: boolean;
  'dry-run'?: boolean;
  'bucket-name'?: string;
  'bucket-label'?: string | string[];
  'build-label'?: string | string[];
  channel?: string | string[];
  registry?: boolean;
  'packer-version'?: string;
  debug?: boolean;
}

/** A single-valued option given twice: the last one wins, as in most command-line tools (and in `check`). */
const last = <T>(v: T | T[]): T => (Array.isArray(v) ? v[v.length - 1] : v);

const SINGLE = ['out-dir', 'bucket-name', 'packer-version'] as const;
const REPEATABLE = ['bucket-label', 'build-label', 'channel'] as const;
/** Boolean options as they may be written (yargs also accepts the camel-case form). */
const BOOLEAN = ['stdout', 'force', 'dry-run', 'dryRun', 'registry', 'debug'];

/**
 * The command line as the user wrote it (bin/pkrlint puts a `--` in front, see src/cli/main.ts), split at the user's
 * own `--`: yargs reads `--force=banana` as false, so a junk boolean value can only be seen here, and it would turn a
 * path such as `1e3` after `--` into the number 1000.
 */
function userArgs(): { options: string[]; rest: string[] } {
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  const end = args.indexOf('--');
  return end < 0 ? { options: args, rest: [] } : { options: args.slice(0, end), rest: args.slice(end + 1) };
}

/** Rejects what yargs would silently take: `--force=banana`, and a string option with no value (`--out-dir` last). */
function checkOptions(argv: MigrateArgs): void {
  for (const a of userArgs().options) {
    const m = /^--(?:no-)?([^=]+)=(.*)$/s.exec(a);
    if (m && BOOLEAN.includes(m[1]) && m[2] !== 'true' && m[2] !== 'false')
      throw new UsageError(`--${m[1]} takes no value (or true/false), got ${JSON.stringify(m[2])}`);
  }
  for (const name of [...SINGLE, ...REPEATABLE])
    for (const v of stringList(argv[name])) if (v === '') throw new UsageError(`--${name} needs a value`);
}

export const migrateCommand: CommandModule<{}, any> = {
  command: 'migrate [paths..]',
  describe: 'convert legacy JSON templates to HCL2, with the HCP Packer registry block',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'templates, variable files or directories' })
      .option('out-dir', { type: 'string', coerce: last, describe: 'write outputs under this directory, mirroring the tree' })
      .option('stdout', { type: 'boolean', describe: 'print the HCL of one template on stdout' })
      .option('force', { type: 'boolean', describe: 'overwrite existing output files' })
      .option('dry-run', { type: 'boolean', describe: 'write nothing; show the unified diff of what would be written' })
      .option('bucket-name', { type: 'string', coerce: last, describe: 'HCP Packer bucket name' })
      .option('bucket-label', { type: 'string', describe: 'bucket label key=value (repeatable)' })
      .option('build-label', { type: 'string', describe: 'build label key=value (repeatable)' })
      .option('channel', { type: 'string', describe: 'HCP Packer channel (repeatable)' })
      .option('registry', { type: 'boolean', default: true, describe: 'add the hcp_packer_registry block (--no-registry to omit it)' })
      .option('packer-version', { type: 'string', coerce: last, describe: `the Packer version the output targets (default: ${NEWEST_PACKER})` }),
  handler: async (args) => {
    const argv = args as MigrateArgs;
    // Loaded on use: a `check` run (a pre-commit call) does not pay for the migrator.
    const { runMigrate } = await import('../migrate/run.js');
    const { targetVersion } = await import('../migrate/index.js');
    try {
      checkOptions(argv);
      try {
        targetVersion(argv['packer-version']);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const bucketName = argv['bucket-name'];
      if (bucketName !== undefined && !BUCKET_NAME_PATTERN.test(bucketName)) throw new UsageError(`--bucket-name "${bucketName}" must match ${BUCKET_NAME_PATTERN.source}`);
      const channels = stringList(argv.channel);
      for (const c of channels) {
        const problem = channelProblem(c);
        if (problem) throw new UsageError(`--channel: ${problem}`);
      }
      // Paths after the user's `--` (`migrate -- -dash.json`) are paths even when they start with a dash (yargs leaves
      // them in `_`, numbers converted: they are taken as written).
      const paths = [...stringList(argv.paths), ...userArgs().rest];
      if (paths.length === 0) throw new UsageError('no paths given');
      process.exitCode = runMigrate(
        {
          paths,
          outDir: argv['out-dir'],
          stdout: argv.stdout,
          force: argv.force,
          dryRun: argv['dry-run'],
          bucketName,
          bucketLabels: Object.fromEntries(keyValues(argv['bucket-label'], '--bucket-label')),
          buildLabels: Object.fromEntries(keyValues(argv['build-label'], '--build-label')),
          channels,
          registry: argv.registry,
          packerVersion: argv['packer-version'],
        },
        { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), cwd: process.cwd() },
      );
    } catch (e) {
      // Not rethrown: yargs would hand a rejected handler to its usage-error path, which hides the stack.
      fail(e, Boolean(argv.debug));
    }
  },
};
