import { posix } from 'node:path';

/**
 * What a CI file's value means for Packer: a constant, or an expression whose value pkrlint cannot know (and never
 * guesses), and whether that expression changes per run or only per commit. And where a script runs Packer.
 */

/** Expressions that differ on every run of a job. */
const RUN_UNIQUE = /\bgithub\.run_(?:id|number|attempt)\b|\bCI_(?:PIPELINE_ID|PIPELINE_IID|JOB_ID|JOB_STARTED_AT|PIPELINE_CREATED_AT)\b|\bGITHUB_RUN_(?:ID|NUMBER|ATTEMPT)\b/;
/** Expressions fixed by the commit alone. */
const COMMIT = /^(?:github\.sha|github\.event\.pull_request\.head\.sha|github\.event\.after|CI_COMMIT_SHA|CI_COMMIT_SHORT_SHA|GITHUB_SHA)$/;

export type Syntax = 'github' | 'shell';

export interface Classified {
  unknown: boolean;
  varies?: 'run' | 'commit';
}

/**
 * GitHub Actions evaluates `${{ … }}` only: `$HOME` in an `env:` value reaches Packer as those five characters.
 * GitLab and dotenv readers expand `$VAR` and `${VAR}` (`$$` is a literal dollar).
 */
export function classify(value: string, syntax: Syntax): Classified {
  const refs =
    syntax === 'github'
      ? [...value.matchAll(/\$\{\{\s*([^}]*?)\s*\}\}/g)].map((m) => m[1])
      : [...value.replace(/\$\$/g, '').matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))/g)].map((m) => m[1] ?? m[2]);
  if (refs.length === 0) return { unknown: false };
  if (refs.some((r) => RUN_UNIQUE.test(r))) return { unknown: true, varies: 'run' };
  if (refs.every((r) => COMMIT.test(r))) return { unknown: true, varies: 'commit' };
  return { unknown: true };
}

/** A command that runs Packer in a script, with the template path it names, if it names one pkrlint can read. */
export interface PackerCall {
  command: string;
  /** The path argument as written; undefined when there is none or it is an expression. */
  path?: string;
  /** The line of the script (0-based) where the command starts. */
  line: number;
}

/** Packer flags that take their value as the next word (`-var x=y`); `-flag=value` needs no special case. */
const VALUE_FLAGS = new Set(['var', 'var-file', 'only', 'except', 'on-error', 'parallel-builds']);

function words(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/**
 * `packer build|validate …` in a shell script (continued lines joined), each with the path it builds, relative to
 * where the script starts: a `cd` before it (with a literal directory) is followed.
 */
export function packerCalls(script: string): PackerCall[] {
  const out: PackerCall[] = [];
  const lines = script.split(/\r?\n/);
  /** The directory `cd` moved to, relative to the start; undefined once it is an expression. */
  let dir: string | undefined = '.';
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i];
    const first = i;
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + ' ' + lines[++i];
    const events = [
      ...[...line.matchAll(/(?:^|[;&|(]\s*)cd\s+("[^"]*"|'[^']*'|[^\s;&|)]+)/g)].map((m) => ({ at: m.index, cd: m[1].replace(/^["']|["']$/g, '') })),
      ...[...line.matchAll(/(?:^|[\s;&|(`])(?:\S*\/)?packer\s+(build|validate)\b([^;&|)`#\n]*)/g)].map((m) => ({ at: m.index, call: m })),
    ].sort((a, b) => a.at - b.at);
    for (const ev of events) {
      if ('cd' in ev) {
        dir = dir === undefined || ev.cd.includes('$') || ev.cd === '-' || ev.cd.startsWith('~') ? undefined : ev.cd.startsWith('/') ? ev.cd : posix.join(dir, ev.cd);
        continue;
      }
      const m = ev.call;
      // A GitHub expression is one word whatever its spaces (`images/${{ matrix.image }}`), and names no path.
      const ws = words(m[2].replace(/\$\{\{[^}]*\}\}/g, '$EXPR'));
      let path: string | undefined;
      for (let k = 0; k < ws.length; k++) {
        const w = ws[k];
        if (w.startsWith('-')) {
          const name = w.replace(/^--?/, '');
          if (!name.includes('=') && VALUE_FLAGS.has(name)) k++;
          continue;
        }
        path = w;
      }
      const known = path !== undefined && !path.includes('$') && dir !== undefined;
      out.push({ command: m[1], path: known ? posix.join(dir!, path!) : undefined, line: first });
    }
  }
  return out;
}

/** `export NAME=value` and `NAME=value` lines of a script before a line: variables the script sets for Packer. */
export function scriptExports(script: string, beforeLine: number): Array<{ name: string; value: string; line: number }> {
  const out: Array<{ name: string; value: string; line: number }> = [];
  script.split(/\r?\n/).slice(0, beforeLine).forEach((l, i) => {
    const m = /^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(l);
    if (m) out.push({ name: m[1], value: m[2].trim().replace(/^(["'])(.*)\1$/, '$2'), line: i });
  });
  return out;
}

/** `echo "NAME=value" >> $GITHUB_ENV` lines: variables a step sets for the steps after it. */
export function githubEnvWrites(script: string): Array<{ name: string; value: string; line: number }> {
  const out: Array<{ name: string; value: string; line: number }> = [];
  script.split(/\r?\n/).forEach((l, i) => {
    if (!/>>\s*"?\$\{?GITHUB_ENV\}?"?/.test(l)) return;
    const m = /(?:echo|printf)\s+(?:-\w+\s+)?["']?([A-Za-z_][A-Za-z0-9_]*)=([^"'>]*)["']?\s*>>/.exec(l);
    if (m) out.push({ name: m[1], value: m[2].trim(), line: i });
  });
  return out;
}

/** Whether a script writes to $GITHUB_ENV in a way pkrlint cannot read (a heredoc, a loop): the environment is then not complete. */
export function writesGithubEnvOpaquely(script: string): boolean {
  return script.split(/\r?\n/).some((l) => /GITHUB_ENV/.test(l)) && githubEnvWrites(script).length < script.split(/\r?\n/).filter((l) => /GITHUB_ENV/.test(l)).length;
}
