// A stand-in for src/cli/main.ts while the `check` command is being built: only registers `migrate`.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { migrateCommand } from '../../src/cli/migrate.js';

await yargs(hideBin(process.argv)).scriptName('pkrlint').option('debug', { type: 'boolean', global: true }).command(migrateCommand).demandCommand(1).strict().parseAsync();
