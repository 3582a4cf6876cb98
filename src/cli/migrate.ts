import type { CommandModule } from 'yargs';
import { BUCKET_NAME_PATTERN, channelProblem } from '../packer/hcp.js';
import { NEWEST_PACKER } from '../packer/version.js';
import { fail, keyValues, stringList, UsageError } from './common.js';

// Repeatable options are plain strings that yargs collects into an array when repeated: `array: true` would
// swallow the positional paths that follow them. A single-value option given twice takes its last value (main.ts).
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
  layout?: string;
  'report-format'?: string;
  debug?: boolean;
}

const VALUED = ['out-dir', 'bucket-name', 'packer-version', 'bucket-label', 'build-label', 'channel', 'layout', 'report-format'] as const;

/** An empty value (`--out-dir ''`) is no value. Repeats, junk booleans and missing values are main.ts's one rule. */
function checkOptions(argv: MigrateArgs): void {
  for (const name of VALUED) for (const v of stringList(argv[name])) if (v === '') throw new UsageError(`--${name} needs a value`);
}

export const migrateCommand: CommandModule<object, MigrateArgs> = {
  command: 'migrate [paths..]',
  describe: 'convert legacy JSON templates to HCL2, with the HCP Packer registry block',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'templates, variable files or directories' })
      .option('out-dir', { type: 'string', describe: 'write outputs under this directory, mirroring the tree' })
      .option('stdout', { type: 'boolean', describe: 'print the HCL of one template on stdout' })
      .option('force', { type: 'boolean', describe: 'overwrite existing output files' })
      .option('dry-run', { type: 'boolean', describe: 'write nothing; show the unified diff of what would be written' })
      .option('bucket-name', { type: 'string', describe: 'HCP Packer bucket name' })
      .option('bucket-label', { type: 'string', describe: 'bucket label key=value (repeatable)' })
      .option('build-label', { type: 'string', describe: 'build label key=value (repeatable)' })
      .option('channel', { type: 'string', describe: 'HCP Packer channel (repeatable)' })
      .option('registry', { type: 'boolean', default: true, describe: 'add the hcp_packer_registry block (--no-registry to omit it)' })
      .option('packer-version', { type: 'string', describe: `the Packer version the output targets (default: ${NEWEST_PACKER})` })
      .option('layout', { type: 'string', describe: 'templates that would share a directory: split (each into a directory of its own, the default) or side-by-side (each marked to be built on its own)' })
      .option('report-format', { type: 'string', describe: 'the report on stderr: human (default) or json' }),
  handler: async (args) => {
    const argv = args as MigrateArgs;
    // Loaded on use: a `check` run (a pre-commit call) does not pay for the migrator.
    const { runMigrate, LAYOUTS } = await import('../migrate/run.js');
    const { targetVersion } = await import('../migrate/index.js');
    try {
      checkOptions(argv);
      try {
        targetVersion(argv['packer-version']);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const layout = LAYOUTS.find((l) => l === argv.layout);
      if (argv.layout !== undefined && !layout) throw new UsageError(`--layout must be one of ${LAYOUTS.join(', ')} (got "${argv.layout}")`);
      const reportFormat = argv['report-format'];
      if (reportFormat !== undefined && reportFormat !== 'human' && reportFormat !== 'json') throw new UsageError(`--report-format must be human or json (got "${reportFormat}")`);
      const bucketName = argv['bucket-name'];
      if (bucketName !== undefined && !BUCKET_NAME_PATTERN.test(bucketName)) throw new UsageError(`--bucket-name "${bucketName}" must match ${BUCKET_NAME_PATTERN.source}`);
      const channels = stringList(argv.channel);
      for (const c of channels) {
        const problem = channelProblem(c);
        if (problem) throw new UsageError(`--channel: ${problem}`);
      }
      // Paths after the user's `--` (`migrate -- -dash.json`) are among them, taken as written (main.ts).
      const paths = stringList(argv.paths);
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
          layout,
          reportFormat,
        },
        { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), cwd: process.cwd() },
      );
    } catch (e) {
      // Not rethrown: yargs would hand a rejected handler to its usage-error path, which hides the stack.
      fail(e, Boolean(argv.debug));
    }
  },
};
