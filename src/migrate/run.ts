import { createTwoFilesPatch } from 'diff';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync, unlinkSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { InputError, walkFiles } from '../packer/unit.js';
import { classifyJson, formatReport, migrateTemplate, migrateVarFile, type MigrateOptions, type MigrateResult, type VarFileTemplate } from './index.js';

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

interface Job {
  input: string;
  output: string;
  kind: 'template' | 'var-file';
}

/** JSON files below a directory, found as `pkrlint check` finds files (walkFiles), except HCL2-in-JSON (`.pkr.json`). */
function jsonFiles(dir: string, cwd: string): string[] {
  return walkFiles(dir, cwd).filter((p) => {
    const name = basename(p).toLowerCase();
    return name.endsWith('.json') && !name.endsWith('.pkr.json');
  });
}

function readText(path: string): { text: string } | { error: string } {
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Text that a JSON file which does not parse was probably meant as a template. */
const TEMPLATE_HINT = /"(builders|provisioners|post-processors)"/;

/** `T.json` → `T.pkr.hcl`; variable files `V.json` and `V.pkrvars.json` → `V.pkrvars.hcl`. */
function outputName(input: string, kind: Job['kind']): string {
  const stem = basename(input).replace(/\.json$/i, '');
  return kind === 'template' ? `${stem}.pkr.hcl` : `${stem.replace(/\.pkrvars$/i, '')}.pkrvars.hcl`;
}

function under(dir: string, path: string): boolean {
  const r = relative(dir, path);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
}

/** The deepest directory containing all the given directories. */
function commonBase(dirs: string[]): string {
  let base = dirs[0];
  while (!dirs.every((d) => under(base, d))) base = dirname(base);
  return base;
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

/**
 * Runs `pkrlint migrate` with options the CLI has checked (target version, bucket name, channels, some paths);
 * returns the exit status (0 complete, 1 review needed, 2 errors, or --stdout with other than one template).
 */
export function runMigrate(opts: RunOptions, io: Io): number {
  const found: Omit<Job, 'output'>[] = [];
  let status = 0;
  const fail = (input: string, message: string) => {
    io.err(`${input}: not converted\n  error     ${input}: ${message}\n`);
    status = 2;
  };
  const shown = (p: string) => relative(io.cwd, p) || p;
  for (const p of opts.paths) {
    const abs = resolve(io.cwd, p);
    if (!existsSync(abs)) {
      fail(p, 'no such file or directory');
      continue;
    }
    if (statSync(abs).isDirectory()) {
      let files: string[];
      try {
        files = jsonFiles(abs, io.cwd);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        fail(p, e.message);
        continue;
      }
      for (const f of files) {
        const read = readText(f);
        if ('error' in read) {
          fail(shown(f), read.error);
          continue;
        }
        const kind = classifyJson(read.text);
        // A template that does not parse is a job too, so that its report says why; other broken JSON is not ours.
        if (kind === 'template' || (kind === 'invalid' && TEMPLATE_HINT.test(read.text))) found.push({ input: f, kind: 'template' });
      }
    } else {
      const read = readText(abs);
      if ('error' in read) {
        fail(p, read.error);
        continue;
      }
      let kind = classifyJson(read.text);
      if (kind === 'other') {
        fail(p, 'neither a legacy JSON template nor a JSON variable file');
        continue;
      }
      // A file that does not parse is still a template job, so that its report says why.
      if (kind === 'invalid') kind = 'template';
      found.push({ input: abs, kind });
    }
  }
  // Outputs under --out-dir mirror the inputs' paths relative to the current directory (or, for inputs outside it,
  // to the deepest directory containing them all), so that same-named templates of different directories stay apart.
  const outDir = opts.outDir === undefined ? undefined : resolve(io.cwd, opts.outDir);
  const inputDirs = found.map((f) => dirname(f.input));
  const base = inputDirs.every((d) => under(io.cwd, d)) ? io.cwd : inputDirs.length ? commonBase(inputDirs) : io.cwd;
  const jobs: Job[] = [];
  const byOutput = new Map<string, Job>();
  for (const f of found) {
    const name = outputName(f.input, f.kind);
    const output = outDir ? join(outDir, relative(base, dirname(f.input)), name) : join(dirname(f.input), name);
    const other = byOutput.get(output);
    if (other?.input === f.input) continue; // the same file named twice
    if (other) {
      fail(shown(f.input), `${shown(output)} is already the output of ${shown(other.input)} in this run; not converted`);
      continue;
    }
    const job = { ...f, output };
    byOutput.set(output, job);
    jobs.push(job);
  }
  if (opts.stdout && jobs.length !== 1) {
    io.err(`pkrlint: --stdout needs exactly one template (got ${jobs.length})\n`);
    return 2;
  }
  // Variable files come after the templates, so that they can use the variable table of their template.
  jobs.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'template' ? -1 : 1));
  const converted: { job: Job; template: VarFileTemplate }[] = [];
  for (const job of jobs) {
    const shownIn = shown(job.input);
    const shownOut = shown(job.output);
    // Only reading is expected to fail here; the migration reports bad input itself, and anything it throws is a bug.
    const read = readText(job.input);
    if ('error' in read) {
      fail(shownIn, read.error);
      continue;
    }
    let result: MigrateResult;
    if (job.kind === 'template') {
      const reviews = opts.stdout ? [] : sameConfiguration(job, jobs, shown);
      result = migrateTemplate(read.text, job.input, { ...opts, reviews });
      if (result.variables) converted.push({ job, template: { name: shownIn, variables: result.variables } });
    } else {
      const { template, ambiguous } = templateOf(job, converted);
      result = migrateVarFile(read.text, template);
      if (ambiguous.length)
        result.report.push({ level: 'note', message: `several templates of this run could use this file (${ambiguous.join(', ')}): its variable names were not checked against any of them` });
    }
    const exists = !opts.stdout && existsSync(job.output);
    const blocked = exists && !opts.force && result.status !== 'error';
    io.err(formatReport(shownIn, opts.stdout ? '<stdout>' : shownOut, result.report, result.status, blocked ? 'not written' : undefined));
    if (result.status === 'error') {
      status = 2;
      continue;
    }
    if (opts.stdout) io.out(result.hcl);
    else if (opts.dryRun) {
      const old = exists ? readFileSync(job.output, 'utf8') : '';
      io.out(createTwoFilesPatch(exists ? shownOut : '/dev/null', shownOut, old, result.hcl));
    }
    if (blocked) {
      io.err(`  error     ${shownOut}: already exists; ${opts.dryRun ? 'would not be overwritten' : 'not overwritten'} (use --force)\n`);
      status = 2;
      continue;
    }
    if (!opts.stdout && !opts.dryRun) {
      try {
        writeAtomic(job.output, result.hcl);
      } catch (e) {
        io.err(`  error     ${shownOut}: not written: ${(e as Error).message}\n`);
        status = 2;
        continue;
      }
    }
    if (result.status === 'review') status = Math.max(status, 1);
  }
  return status;
}

/**
 * Packer loads every *.pkr.hcl and *.pkr.json of a directory as one configuration: a template written beside another
 * one (of this run, or already there) makes a configuration with two builds and two registry blocks.
 */
function sameConfiguration(job: Job, jobs: Job[], shown: (p: string) => string): string[] {
  const dir = dirname(job.output);
  const earlier = jobs.slice(0, jobs.indexOf(job)).filter((j) => j.kind === 'template' && dirname(j.output) === dir).map((j) => j.output);
  const ours = new Set(jobs.map((j) => j.output));
  let existing: string[] = [];
  try {
    existing = readdirSync(dir)
      .filter((n) => /\.pkr\.(hcl|json)$/.test(n))
      .map((n) => join(dir, n))
      .filter((p) => !ours.has(p));
  } catch (e) {
    // The directory does not exist yet; any other failure to read it ends the run, as in `pkrlint check`.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new InputError(`${shown(dir)}: cannot read directory: ${code ?? (e as Error).message}`);
  }
  const others = [...earlier, ...existing].map(shown);
  if (others.length === 0) return [];
  return [
    `${shown(job.output)} is in the same directory as ${others.join(', ')}: Packer loads all *.pkr.hcl files of a directory as one configuration, so it would get several build blocks and hcp_packer_registry blocks (pkrlint check rejects it); move the JSON templates into directories of their own before migrating, or migrate them with --out-dir into separate directories (path.root then changes with them)`,
  ];
}

/** The template a variable file belongs to: one of this run in the same directory, else the run's only template. */
function templateOf(job: Job, converted: { job: Job; template: VarFileTemplate }[]): { template?: VarFileTemplate; ambiguous: string[] } {
  const here = converted.filter((c) => dirname(c.job.input) === dirname(job.input));
  const candidates = here.length ? here : converted;
  if (candidates.length === 1) return { template: candidates[0].template, ambiguous: [] };
  return { ambiguous: candidates.map((c) => c.template.name) };
}
