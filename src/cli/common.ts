import { ConfigError } from '../lint/configfile.js';
import { InputError } from '../packer/unit.js';

/** Pieces every command shares: fatal errors as one line, exit statuses. */
export const EXIT = { ok: 0, problems: 1, fatal: 2 } as const;

/**
 * Prints a fatal error as one line and sets exit status 2. Bad usage, unreadable input and a bad configuration file
 * are the user's to fix; anything else is a bug of pkrlint's, said so, with its stack trace under --debug.
 */
export function fail(err: unknown, debug: boolean): void {
  const expected = err instanceof UsageError || err instanceof InputError || err instanceof ConfigError;
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`pkrlint: ${expected ? '' : 'internal error: '}${msg}\n`);
  if (debug && !expected && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
  process.exitCode = EXIT.fatal;
}

/** Parses repeatable `NAME=VALUE` options. */
export function keyValues(items: unknown, flag: string): Array<[string, string]> {
  const list = items === undefined ? [] : Array.isArray(items) ? items : [items];
  return list.map((raw) => {
    const s = String(raw);
    const i = s.indexOf('=');
    if (i <= 0) throw new UsageError(`${flag} expects NAME=VALUE, got ${JSON.stringify(s)}`);
    return [s.slice(0, i), s.slice(i + 1)];
  });
}

export class UsageError extends Error {}

export function stringList(v: unknown): string[] {
  return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(String);
}
