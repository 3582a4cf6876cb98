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

/** Options that may be given several times; any other option given twice takes its last value. */
export const REPEATABLE = new Set(['ignore', 'var', 'var-file', 'env', 'env-file', 'rule', 'format', 'fix-rule', 'bucket-label', 'build-label', 'channel']);

interface ParsedOptions {
  boolean: string[];
  string: string[];
  number: string[];
}

/**
 * One rule for every command's options: a repeated single-value option takes its last value; a boolean takes no
 * value but true/false (`--force=banana` is bad usage); a number must be a number. An option with no value at the
 * end of the line is refused by yargs itself (`requiresArg`).
 */
export function validateOptionValues(y: { getOptions(): ParsedOptions }, argv: Record<string, unknown>, raw: string[]): void {
  const o = y.getOptions();
  for (const key of [...o.string, ...o.number, ...o.boolean]) {
    if (!REPEATABLE.has(key) && Array.isArray(argv[key])) argv[key] = (argv[key] as unknown[]).at(-1);
  }
  const end = raw.indexOf('--');
  for (const arg of end < 0 ? raw : raw.slice(0, end)) {
    const m = /^--(?:no-)?([^=]+)=(.*)$/s.exec(arg);
    if (m && o.boolean.includes(m[1]) && m[2] !== 'true' && m[2] !== 'false') throw new UsageError(`--${m[1]} takes no value, or true or false (got ${JSON.stringify(m[2])})`);
  }
  for (const key of o.number) {
    const v = argv[key];
    if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v))) throw new UsageError(`--${key} expects a number`);
  }
}
