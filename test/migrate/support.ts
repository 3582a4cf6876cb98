// Shared helpers for the migrate suites: fixture discovery, running Packer, and the packer-present policy.
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { test } from 'uvu';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateTemplate, type MigrateOptions, type MigrateResult } from '../../src/migrate/index.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const fixturesDir = join(repoRoot, 'fixtures', 'migrate');

export interface Fixture {
  name: string;
  dir: string;
  /** The template's file name (it decides the derived bucket name). */
  file: string;
  text: string;
  options: MigrateOptions;
}

export function fixtures(): Fixture[] {
  return readdirSync(fixturesDir)
    .sort()
    .filter((n) => existsSync(join(fixturesDir, n, 'options.json')) || readdirSync(join(fixturesDir, n)).some((f) => f.endsWith('.json') && !['options.json', 'vars.json'].includes(f)))
    .map((name) => {
      const dir = join(fixturesDir, name);
      const opts = existsSync(join(dir, 'options.json')) ? (JSON.parse(readFileSync(join(dir, 'options.json'), 'utf8')) as MigrateOptions & { file?: string }) : {};
      const file = opts.file ?? 'template.json';
      delete opts.file;
      return { name, dir, file, text: readFileSync(join(dir, file), 'utf8'), options: { env: {}, ...opts } };
    });
}

export function migrateFixture(f: Fixture, packerVersion?: string): MigrateResult {
  return migrateTemplate(f.text, f.file, { ...f.options, ...(packerVersion ? { packerVersion } : {}) });
}

/** Whether packer can be used; without it the suite fails in CI and its tests show as skipped elsewhere (refereeTest). */
export function havePacker(suite: string): boolean {
  const r = spawnSync('packer', ['version'], { encoding: 'utf8' });
  if (r.status === 0) return true;
  if (process.env.CI === 'true') throw new Error(`${suite}: packer is not on PATH (required in CI)`);
  console.log(`${suite}: packer not on PATH, its tests are skipped`);
  return false;
}

/**
 * How a referee suite registers a test: `test` when packer can be used, else `test.skip`, so that a run without
 * packer lists every referee test as skipped instead of registering nothing.
 */
export function refereeTest(enabled: boolean): (name: string, fn: () => void | Promise<void>) => void {
  return enabled ? (name, fn) => test(name, fn) : (name, fn) => test.skip(name, fn);
}

export function packerEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, PKR_TEST_VALUE: process.env.PKR_TEST_VALUE, HOME: home, PACKER_CACHE_DIR: join(home, 'cache'), TMPDIR: home, CHECKPOINT_DISABLE: '1', PACKER_NO_COLOR: '1' };
  return env;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `pkrlint-${prefix}-`));
}

export interface Ran {
  code: number;
  out: string;
}

export function runPacker(args: string[], cwd: string, timeoutMs = 60_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn('packer', args, { cwd, env: packerEnv(cwd) });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}

/** Runs tasks with at most `limit` at a time. */
export async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The CLI entry point, as a user runs it. */
export const bin = join(repoRoot, 'bin', 'pkrlint');

/** The environment CLI runs get: no HCP_PACKER_BUCKET_NAME from the machine. */
export const cliEnv: NodeJS.ProcessEnv = { ...process.env, HCP_PACKER_BUCKET_NAME: '' };

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Runs `pkrlint migrate ARGS` in a directory (30 s at most: a hang is a failure, not a stuck suite). */
export function migrateCli(cwd: string, args: string[], opts: SpawnSyncOptions = {}): CliRun {
  const r = spawnSync(bin, ['migrate', ...args], { cwd, encoding: 'utf8', env: cliEnv, timeout: 30_000, maxBuffer: 64 * 1024 * 1024, ...opts });
  return { code: r.status, signal: r.signal, out: String(r.stdout ?? ''), err: String(r.stderr ?? '') };
}

/** A new temporary directory holding the given files. */
export function dirWith(prefix: string, files: Record<string, string>): string {
  const dir = tempDir(prefix);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
