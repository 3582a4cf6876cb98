import yargs, { type Argv, type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { checkCommand } from './check.js';
import { EXIT, UsageError, validateOptionValues } from './common.js';
import { migrateCommand } from './migrate.js';
import { rulesCommand } from './rules.js';
import { lspCommand } from './lsp.js';
import { pkrlintVersion } from './version.js';
import { closest } from '../rules/types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const COMMANDS: Record<string, CommandModule<any, any>> = { check: checkCommand, migrate: migrateCommand, rules: rulesCommand, lsp: lspCommand };

function usageFailure(msg: string | undefined, err: Error | undefined): never {
  // Bad usage: one line (plus yargs' "Did you mean" when it has one) and exit status 2, never a stack trace.
  process.stderr.write(`pkrlint: ${err ? err.message : msg}\nRun 'pkrlint --help' for usage.\n`);
  process.exit(EXIT.fatal);
}

/**
 * A known command is parsed by a yargs program of its own rather than through yargs' command dispatch: after a
 * command's handler, yargs renders that command's whole help text to cache it, about a tenth of a pre-commit
 * call's time. Everything else (no command, an unknown one, --help, --version) goes to the full program.
 */
async function runCommand(name: string, command: CommandModule, args: string[]): Promise<void> {
  const y = yargs(args)
    .scriptName('pkrlint')
    .usage(`$0 ${String(command.command)}\n\n${String(command.describe)}`)
    .option('debug', { type: 'boolean', default: false, describe: 'Print stack traces of internal failures' })
    .parserConfiguration({ 'populate--': true, 'parse-positional-numbers': false })
    .strictOptions()
    .updateStrings({ 'Not enough arguments following: %s': '--%s needs a value' })
    .help()
    .version(pkrlintVersion())
    .wrap(null)
    .fail(usageFailure);
  const builder = command.builder as ((y: Argv) => Argv) | undefined;
  const withOptions = builder ? builder(y) : y;
  // getOptions() is public in yargs but missing from its type definitions.
  const options = withOptions as unknown as Parameters<typeof validateOptionValues>[0];
  const declared = options.getOptions();
  withOptions.requiresArg([...declared.string, ...declared.number].filter((k) => k !== 'paths'));
  const argv = (await withOptions.parseAsync()) as Record<string, unknown> & { _: Array<string | number>; '--'?: string[] };
  try {
    validateOptionValues(options, argv, args);
  } catch (e) {
    usageFailure(undefined, e as Error);
  }
  // Positionals, and everything after `--` (so `check -- -dash.json` names a file called -dash.json).
  argv.paths = [...argv._, ...(argv['--'] ?? [])].map(String);
  if (name === 'rules' && (argv.paths as string[]).length) usageFailure(`rules takes no paths (got ${JSON.stringify((argv.paths as string[])[0])})`, undefined);
  await command.handler(argv as never);
}

const args = hideBin(process.argv);
try {
  const command = COMMANDS[args[0] ?? ''];
  if (!command && args[0] !== undefined && !args[0].startsWith('-')) {
    const near = closest(args[0], Object.keys(COMMANDS));
    throw new UsageError(`unknown command "${args[0]}"${near ? `; did you mean "${near}"?` : ` (commands: ${Object.keys(COMMANDS).join(', ')})`}`);
  }
  if (command) {
    await runCommand(args[0], command as CommandModule, args.slice(1));
  } else {
    await yargs(args)
      .scriptName('pkrlint')
      .usage('$0 <command> [options]')
      .command(checkCommand)
      .command(migrateCommand)
      .command(rulesCommand)
      .command(lspCommand)
      .option('debug', { type: 'boolean', default: false, describe: 'Print stack traces of internal failures' })
      .demandCommand(1, 'Name a command: check, migrate, rules or lsp')
      .strict()
      .help()
      .version(pkrlintVersion())
      .wrap(null)
      .fail(usageFailure)
      .parseAsync();
  }
} catch (e) {
  if (e instanceof UsageError) usageFailure(undefined, e);
  process.stderr.write(`pkrlint: internal error: ${(e as Error).message}\n`);
  if (process.argv.includes('--debug')) process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = EXIT.fatal;
}
