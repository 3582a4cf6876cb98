import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { checkCommand } from './check.js';
import { EXIT } from './common.js';
import { migrateCommand } from './migrate.js';

// bin/pkrlint passes the arguments after a `--` (see there); it is not part of the command line the user wrote.
const args = hideBin(process.argv);
if (args[0] === '--') args.shift();

const cli = yargs(args)
  .scriptName('pkrlint')
  .usage('$0 <command> [options]')
  .command(checkCommand)
  .command(migrateCommand)
  .option('debug', { type: 'boolean', default: false, describe: 'Print stack traces of internal failures' })
  .demandCommand(1, 'Name a command: check or migrate')
  .strict()
  .help()
  .version()
  .wrap(null)
  .fail((msg, err) => {
    // Bad usage: one line and exit status 2, never a stack trace.
    process.stderr.write(`pkrlint: ${err ? err.message : msg}\nRun 'pkrlint --help' for usage.\n`);
    process.exit(EXIT.fatal);
  });

try {
  await cli.parseAsync();
} catch (e) {
  process.stderr.write(`pkrlint: internal error: ${(e as Error).message}\n`);
  if (process.argv.includes('--debug')) process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = EXIT.fatal;
}
