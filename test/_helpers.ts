/** Shared by the suites: paths, and running check the way the CLI does but in-process. */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Environment } from '../src/packer/env.js';
import { runCheck, type CheckOptions } from '../src/lint/run.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const fixture = (...p: string[]) => join(ROOT, 'fixtures', ...p);

export function envOf(vars: Record<string, string> = {}): Environment {
  const e = new Environment();
  for (const [k, v] of Object.entries(vars)) e.set(k, v, `--env ${k}`);
  return e;
}

export function check(paths: string[], opts: Partial<CheckOptions> = {}) {
  return runCheck({ paths, cwd: ROOT, ignore: [], env: envOf(), varFiles: [], vars: [], ...opts });
}

/** Runs the built CLI; returns exit status, stdout and stderr. */
export function cli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}) {
  const r = spawnSync(join(ROOT, 'bin', 'pkrlint'), args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    encoding: 'utf8',
    input: opts.input,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
