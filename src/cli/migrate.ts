import type { CommandModule } from 'yargs';

// Repeatable options are plain strings that yargs collects into an array when repeated: `array: true` would
// swallow the positional paths that follow them.
const many = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

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

export const migrateCommand: CommandModule<{}, any> = {
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
      .option('packer-version', { type: 'string', default: '1.16.0', describe: 'the Packer version the output targets' }),
  handler: async (args) => {
    const argv = args as MigrateArgs;
    // Loaded on use: a `check` run (a pre-commit call) does not pay for the migrator.
    const { parseLabels, runMigrate, UsageError } = await import('../migrate/run.js');
    try {
      process.exitCode = runMigrate(
        {
          paths: argv.paths ?? [],
          outDir: argv['out-dir'],
          stdout: argv.stdout,
          force: argv.force,
          dryRun: argv['dry-run'],
          bucketName: argv['bucket-name'],
          bucketLabels: parseLabels(many(argv['bucket-label']), '--bucket-label'),
          buildLabels: parseLabels(many(argv['build-label']), '--build-label'),
          channels: many(argv.channel),
          registry: argv.registry,
          packerVersion: argv['packer-version'],
        },
        { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), cwd: process.cwd() },
      );
    } catch (e) {
      process.stderr.write(`pkrlint: ${e instanceof UsageError ? '' : 'internal error: '}${(e as Error).message}\n`);
      if (argv.debug && !(e instanceof UsageError)) process.stderr.write(`${(e as Error).stack}\n`);
      process.exitCode = 2;
    }
  },
};
