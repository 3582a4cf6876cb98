import { createTwoFilesPatch } from 'diff';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { classifyJson, formatReport, migrateTemplate, migrateVarFile, targetVersion, type MigrateOptions, type MigrateResult } from './index.js';
import { BUCKET_PATTERN } from './registry.js';

export interface RunOptions extends MigrateOptions {
  paths: string[];
  outDir?: string;
  stdout?: boolean;
  force?: boolean;
  dryRun?: boolean;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
}

/** Thrown for bad usage; the CLI prints `pkrlint: <message>` and exits 2. */
export class UsageError extends Error {}

interface Job {
  input: string;
  output: string;
  kind: 'template' | 'var-file';
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.terraform', '.packer.d']);

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : walk(p);
      return e.isFile() && e.name.toLowerCase().endsWith('.json') && !e.name.endsWith('.pkr.json') ? [p] : [];
    });
}

/** `T.json` → `T.pkr.hcl`, variable files → `T.pkrvars.hcl`, mirrored under outDir when given. */
function outputPath(input: string, base: string, kind: Job['kind'], outDir: string | undefined): string {
  const stem = basename(input).replace(/\.json$/i, '');
  const name = stem + (kind === 'template' ? '.pkr.hcl' : '.pkrvars.hcl');
  if (!outDir) return join(dirname(input), name);
  return join(outDir, relative(base, dirname(input)), name);
}

export function parseLabels(values: string[] | undefined, option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values ?? []) {
    const i = v.indexOf('=');
    if (i <= 0) throw new UsageError(`${option} expects key=value, got "${v}"`);
    out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}

function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, text, { flag: 'wx' });
  try {
    renameSync(tmp, path);
  } catch (e) {
    unlinkSync(tmp);
    throw e;
  }
}

/** Runs `pkrlint migrate`; returns the exit status (0 complete, 1 review needed, 2 errors or bad usage). */
export function runMigrate(opts: RunOptions, io: Io): number {
  try {
    targetVersion(opts.packerVersion);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (opts.bucketName !== undefined && !BUCKET_PATTERN.test(opts.bucketName))
    throw new UsageError(`--bucket-name "${opts.bucketName}" must match ${BUCKET_PATTERN.source}`);
  if (opts.paths.length === 0) throw new UsageError('no paths given');
  const jobs: Job[] = [];
  let status = 0;
  const fail = (input: string, message: string) => {
    io.err(`${input}: not converted\n  error     ${input}: ${message}\n`);
    status = 2;
  };
  for (const p of opts.paths) {
    const abs = resolve(io.cwd, p);
    if (!existsSync(abs)) {
      fail(p, 'no such file or directory');
      continue;
    }
    if (statSync(abs).isDirectory()) {
      for (const f of walk(abs)) {
        let text: string;
        try {
          text = readFileSync(f, 'utf8');
        } catch (e) {
          fail(relative(io.cwd, f), (e as Error).message);
          continue;
        }
        if (classifyJson(text) === 'template') jobs.push({ input: f, output: outputPath(f, abs, 'template', opts.outDir && resolve(io.cwd, opts.outDir)), kind: 'template' });
      }
    } else {
      let kind = classifyJson(readFileSync(abs, 'utf8'));
      if (kind === 'other') {
        fail(p, 'neither a legacy JSON template nor a JSON variable file');
        continue;
      }
      // A file that does not parse is still a template job, so that its report says why.
      if (kind === 'invalid') kind = 'template';
      jobs.push({ input: abs, output: outputPath(abs, dirname(abs), kind, opts.outDir && resolve(io.cwd, opts.outDir)), kind });
    }
  }
  if (opts.stdout && jobs.length !== 1) throw new UsageError(`--stdout needs exactly one template (got ${jobs.length})`);
  for (const job of jobs) {
    const shownIn = relative(io.cwd, job.input) || job.input;
    const shownOut = relative(io.cwd, job.output) || job.output;
    let result: MigrateResult;
    try {
      const text = readFileSync(job.input, 'utf8');
      result = job.kind === 'template' ? migrateTemplate(text, job.input, opts) : migrateVarFile(text, job.input);
    } catch (e) {
      fail(shownIn, (e as Error).message);
      continue;
    }
    io.err(formatReport(shownIn, opts.stdout ? '<stdout>' : shownOut, result.report, result.status));
    if (result.status === 'error') {
      status = 2;
      continue;
    }
    if (opts.stdout) io.out(result.hcl);
    else {
      const exists = existsSync(job.output);
      if (opts.dryRun) {
        const old = exists ? readFileSync(job.output, 'utf8') : '';
        io.out(createTwoFilesPatch(exists ? shownOut : '/dev/null', shownOut, old, result.hcl));
      } else if (exists && !opts.force) {
        io.err(`  error     ${shownOut}: already exists; not overwritten (use --force)\n`);
        status = 2;
        continue;
      } else writeAtomic(job.output, result.hcl);
    }
    if (result.status === 'review') status = Math.max(status, 1);
  }
  return status;
}
