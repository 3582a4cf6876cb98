import { createTwoFilesPatch } from 'diff';
import { readdirSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errorWords, readRegularText, SafeWriter, WriteError, type WriteFs } from '../fix/write.js';
import { InputError, STANDALONE_MARKER, walkFiles } from '../packer/unit.js';
import { readInput, repositoryRoot } from '../packer/input.js';
import { classifyJson, migrateTemplate, migrateVarFile, type MigrateOptions, type MigrateResult, type VarFileTemplate } from './index.js';
import { RunReport, type ReportFormat } from './report.js';
import { visible } from '../hcl/print.js';

/**
 * How templates that would share an output directory are laid out: each into a directory of its own (`split`), or
 * side by side, each marked to be built on its own (`side-by-side`).
 */
export type Layout = 'split' | 'side-by-side';
export const LAYOUTS: readonly Layout[] = ['split', 'side-by-side'];

export interface RunOptions extends MigrateOptions {
  paths: string[];
  outDir?: string;
  stdout?: boolean;
  force?: boolean;
  dryRun?: boolean;
  /** Default `split`. */
  layout?: Layout;
  /** Default `human`. */
  reportFormat?: ReportFormat;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
  cwd: string;
  /** File-system calls for writing outputs (tests inject failures here); default node:fs. */
  writeFs?: Partial<WriteFs>;
}

interface Job {
  input: string;
  /** The tree the input's real path must stay in: a link out of it is not followed (docs/security.md). */
  root: string;
  output: string;
  kind: 'template' | 'var-file';
  /** The JSON template's directory seen from the output's, when they differ (`/`-separated). */
  templateDir?: string;
  /** Written beside other templates, to be built on its own (--layout side-by-side). */
  standalone?: boolean;
  /** Not JSON (its report will say why): it has no output that could share a directory. */
  broken?: boolean;
}

/** JSON files below a directory, found as `pkrlint check` finds files (walkFiles), except HCL2-in-JSON (`.pkr.json`). */
function jsonFiles(dir: string, cwd: string): string[] {
  return walkFiles(dir, cwd).filter((p) => {
    const name = basename(p).toLowerCase();
    return name.endsWith('.json') && !name.endsWith('.pkr.json');
  });
}

/**
 * An input's text, read as `check` reads the files of a tree (src/packer/input.ts): never through a link out of
 * `root`, never anything but a regular file. No size limit: large templates (a 12 MB comment) are converted.
 */
function readInputFile(path: string, root: string): { text: string } | { error: string } {
  const r = readInput(path, { explicit: false, root, maxBytes: Number.MAX_SAFE_INTEGER });
  return r.ok ? { text: r.text } : { error: r.problem };
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

/**
 * Runs `pkrlint migrate` with options the CLI has checked (target version, bucket name, channels, some paths);
 * returns the exit status (0 complete, 1 review needed, 2 errors, or --stdout with other than one template).
 */
export function runMigrate(opts: RunOptions, io: Io): number {
  const run = new Run(io, new RunReport(opts.reportFormat ?? 'human', (t) => io.err(t)));
  const found = findInputs(opts.paths, io, run);
  const placed = placeOutputs(found, opts.outDir, io);
  const inputs = new Set(placed.map((p) => p.input)).size;
  if (opts.stdout && inputs !== 1) {
    io.err(`pkrlint: --stdout needs exactly one template (got ${inputs})\n`);
    return 2;
  }
  // One output per path: two inputs with one output are refused before the layout, and any clash it makes after it.
  const distinct = distinctOutputs(placed, run);
  const jobs = opts.stdout ? distinct : distinctOutputs(layOut(distinct, opts.layout ?? 'split', run), run);
  // Variable files come after the templates, so that they can use the variable table of their template.
  jobs.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'template' ? -1 : 1));
  convertJobs(jobs, opts, io, run);
  run.report.end();
  return run.status;
}

/** The exit status so far, the report, and how inputs are named and refused in messages. */
class Run {
  status = 0;
  constructor(private readonly io: Io, readonly report: RunReport) {}

  readonly shown = (p: string): string => relative(this.io.cwd, p) || p;
  /** A directory as shown: relative, with a trailing separator (`./` for the current one). */
  readonly shownDir = (d: string): string => (relative(this.io.cwd, d) || '.') + sep;

  /** An input that is not converted, with why (`named`: the message does not name the file itself). */
  refuse(input: string, message: string, named = true): void {
    this.report.refused(input, message, named);
    this.status = 2;
  }
}

type Input = Omit<Job, 'output'>;

/** The templates and variable files the paths name: files as given, directories searched for JSON templates. */
function findInputs(paths: string[], io: Io, run: Run): Input[] {
  const found: Input[] = [];
  for (const p of paths) {
    const abs = resolve(io.cwd, p);
    let st: Stats;
    try {
      st = statSync(abs);
    } catch (e) {
      // ENOENT, but also EACCES (a directory on the way cannot be searched) and ELOOP (a loop of links): said as such.
      run.refuse(p, errorWords(e));
      continue;
    }
    if (st.isDirectory()) {
      for (const f of templatesIn(p, abs, io, run)) found.push(f);
      continue;
    }
    const input = namedInput(p, abs, run);
    if (input) found.push(input);
  }
  return found;
}

/** The JSON templates below a directory given on the command line. */
function templatesIn(p: string, abs: string, io: Io, run: Run): Input[] {
  let files: string[];
  try {
    files = jsonFiles(abs, io.cwd);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    // walkFiles names the file itself and says the system's error in words.
    run.refuse(p, e.message, false);
    return [];
  }
  const found: Input[] = [];
  for (const f of files) {
    const read = readInputFile(f, abs);
    if ('error' in read) {
      run.refuse(run.shown(f), read.error);
      continue;
    }
    const kind = classifyJson(read.text);
    // A template that does not parse is a job too, so that its report says why; other broken JSON is not ours.
    if (kind === 'template') found.push({ input: f, root: abs, kind: 'template' });
    else if (kind === 'invalid' && TEMPLATE_HINT.test(read.text)) found.push({ input: f, root: abs, kind: 'template', broken: true });
  }
  return found;
}

/** A file given on the command line: a template or a variable file (a file that does not parse is a template job). */
function namedInput(p: string, abs: string, run: Run): Input | undefined {
  // A file named is read in its repository's tree (as `check` reads it), else in its own directory's.
  const root = repositoryRoot(dirname(abs)) ?? dirname(abs);
  const read = readInputFile(abs, root);
  if ('error' in read) {
    run.refuse(p, read.error);
    return undefined;
  }
  const kind = classifyJson(read.text);
  if (kind === 'other') {
    run.refuse(p, 'neither a legacy JSON template nor a JSON variable file');
    return undefined;
  }
  // A file that does not parse is still a template job, so that its report says why.
  return kind === 'invalid' ? { input: abs, root, kind: 'template', broken: true } : { input: abs, root, kind };
}

/**
 * Each input's output file. Outputs under --out-dir mirror the inputs' paths relative to the current directory (or,
 * for inputs outside it, to the deepest directory containing them all), so that same-named templates of different
 * directories stay apart.
 */
function placeOutputs(found: Input[], outDirOption: string | undefined, io: Io): Job[] {
  const outDir = outDirOption === undefined ? undefined : resolve(io.cwd, outDirOption);
  const inputDirs = found.map((f) => dirname(f.input));
  const base = inputDirs.every((d) => under(io.cwd, d)) ? io.cwd : inputDirs.length ? commonBase(inputDirs) : io.cwd;
  return found.map((f) => {
    const name = outputName(f.input, f.kind);
    return { ...f, output: outDir ? join(outDir, relative(base, dirname(f.input)), name) : join(dirname(f.input), name) };
  });
}

/**
 * Templates whose outputs would share a directory (with each other, or with HCL2 files already there) are laid out
 * so that each builds on its own: `split` writes each into a directory of its own named after it, `side-by-side`
 * leaves them there and marks each to be built alone. The report says so once per directory. Each template learns
 * where its JSON's directory is from its output's (for `{{template_dir}}`).
 */
function layOut(jobs: Job[], layout: Layout, run: Run): Job[] {
  const byDir = new Map<string, Job[]>();
  for (const j of jobs) {
    if (j.kind !== 'template' || j.broken) continue;
    const group = byDir.get(dirname(j.output));
    if (group) group.push(j);
    else byDir.set(dirname(j.output), [j]);
  }
  for (const [dir, group] of byDir) {
    const own = new Set(group.map((j) => basename(j.output)));
    const present = configFilesIn(dir).filter((n) => !own.has(n)).length;
    if (group.length + present < 2) continue;
    const what = `${group.length} template${group.length === 1 ? '' : 's'}${present ? ` and ${present} HCL2 file${present === 1 ? '' : 's'} already there` : ''} in one directory, which Packer would load as one configuration`;
    if (layout === 'split') {
      for (const j of group) j.output = join(dir, basename(j.output).replace(/\.pkr\.hcl$/, ''), basename(j.output));
      run.report.layout(run.shownDir(dir), `${what}: each template is written into a directory of its own, named after it (--layout split); build one with \`packer build ${run.shown(join(dir, 'NAME'))}${sep}\` from where its JSON template was built`);
    } else {
      for (const j of group) j.standalone = true;
      run.report.layout(run.shownDir(dir), `${what}: the templates stay side by side (--layout side-by-side), each to be built on its own with \`packer build ${run.shown(join(dir, 'NAME.pkr.hcl'))}\`, and each is marked \`# ${STANDALONE_MARKER}\` so that pkrlint check checks it on its own`);
    }
  }
  for (const j of jobs) {
    const from = relative(dirname(j.output), dirname(j.input)).split(sep).join('/');
    if (j.kind === 'template' && from !== '') j.templateDir = from;
  }
  return jobs;
}

/** The names of the HCL2 configuration files in a directory (none when it cannot be listed: writing will say why). */
function configFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => /\.pkr\.(hcl|json)$/.test(n));
  } catch {
    return [];
  }
}

/** An input whose output another input of the run already has is refused (the same file named twice is one job). */
function distinctOutputs(planned: Job[], run: Run): Job[] {
  const jobs: Job[] = [];
  const byOutput = new Map<string, Job>();
  for (const job of planned) {
    const other = byOutput.get(job.output);
    if (other?.input === job.input) continue; // the same file named twice
    if (other) {
      run.refuse(run.shown(job.input), `${run.shown(job.output)} is already the output of ${run.shown(other.input)} in this run; not converted`);
      continue;
    }
    byOutput.set(job.output, job);
    jobs.push(job);
  }
  return jobs;
}

/** What the jobs of one run share: the templates converted so far (for variable files), the outputs' directories, the writer. */
interface JobContext {
  opts: RunOptions;
  io: Io;
  run: Run;
  converted: { job: Job; template: VarFileTemplate }[];
  neighbours: Neighbours;
  writer: SafeWriter;
}

/** Converts the jobs in order, printing each report, writing (or, with --dry-run, diffing) each output. */
function convertJobs(jobs: Job[], opts: RunOptions, io: Io, run: Run): void {
  const ctx: JobContext = { opts, io, run, converted: [], neighbours: new Neighbours(run.shown), writer: new SafeWriter({ fs: io.writeFs, show: run.shown }) };
  for (const job of jobs) convertJob(job, ctx);
}

function convertJob(job: Job, { opts, io, run, converted, neighbours, writer }: JobContext): void {
  const shownIn = run.shown(job.input);
  const shownOut = run.shown(job.output);
  // Only reading is expected to fail here; the migration reports bad input itself, and anything it throws is a bug.
  const read = readInputFile(job.input, job.root);
  if ('error' in read) {
    run.refuse(shownIn, read.error);
    return;
  }
  let result: MigrateResult;
  if (job.kind === 'template') {
    const reviews = opts.stdout || job.standalone ? [] : neighbours.of(job.output);
    result = migrateTemplate(read.text, job.input, { ...opts, reviews, templateDir: job.templateDir, standalone: job.standalone });
    if (result.variables) converted.push({ job, template: { name: shownIn, variables: result.variables } });
  } else {
    const { template, ambiguous } = templateOf(job, converted);
    result = migrateVarFile(read.text, template);
    if (ambiguous.length)
      result.report.push({ level: 'note', message: `several templates of this run could use this file (${ambiguous.join(', ')}): its variable names were not checked against any of them` });
  }
  const shownTo = opts.stdout ? '<stdout>' : shownOut;
  if (result.status === 'error') {
    run.report.file(job.kind, shownIn, shownTo, result);
    run.status = 2;
    return;
  }
  const review = result.status === 'review' ? 1 : 0;
  if (opts.stdout) {
    run.report.file(job.kind, shownIn, shownTo, result);
    io.out(result.hcl);
    run.status = Math.max(run.status, review);
    return;
  }
  // The report is printed once the outcome is known: its head never says "converted" for an output not written.
  const problem = opts.dryRun ? dryRun(job, result.hcl, opts.force ?? false, io, writer, shownOut) : write(job, result.hcl, opts.force ?? false, writer);
  run.report.file(job.kind, shownIn, shownOut, result, problem.notWritten ? 'not written' : undefined, problem.lines);
  run.status = Math.max(run.status, problem.notWritten ? 2 : review);
  if (!problem.notWritten && job.kind === 'template') neighbours.wrote(job.output);
}

/** Lines about the output file itself, printed after the template's report. */
interface Outcome {
  notWritten: boolean;
  lines: { level: 'error' | 'note'; message: string }[];
}

/** A link at the output is replaced by the output file, with --force; the file it points to is never written. */
const WILL_REPLACE_LINK = 'is a symbolic link: --force replaces the link itself, never the file it points to';
const REPLACED_LINK = 'was a symbolic link: the link itself was replaced; the file it pointed to is untouched';

function write(job: Job, hcl: string, force: boolean, writer: SafeWriter): Outcome {
  const lines: Outcome['lines'] = [];
  try {
    if (force && writer.entry(job.output)?.isSymbolicLink()) lines.push({ level: 'note', message: REPLACED_LINK });
    writer.write(job.output, hcl, { overwrite: force });
    return { notWritten: false, lines };
  } catch (e) {
    if (!(e instanceof WriteError)) throw e;
    // Created exclusively: another run (or anything else) that got there first is never overwritten without --force.
    if (e.code === 'EEXIST' && !force) return { notWritten: true, lines: [{ level: 'error', message: 'already exists; not overwritten (use --force)' }] };
    return { notWritten: true, lines: [{ level: 'error', message: `not written: ${e.message}` }] };
  }
}

/** --dry-run: the unified diff of what would be written, and whether it would be (an existing output needs --force). */
function dryRun(job: Job, hcl: string, force: boolean, io: Io, writer: SafeWriter, shownOut: string): Outcome {
  let entry: Stats | undefined;
  try {
    entry = writer.entry(job.output);
  } catch (e) {
    return { notWritten: true, lines: [{ level: 'error', message: `not written: ${(e as Error).message}` }] };
  }
  const lines: Outcome['lines'] = [];
  let old = '';
  if (entry?.isFile()) {
    try {
      old = readRegularText(job.output);
    } catch (e) {
      lines.push({ level: 'note', message: `cannot be read (${(e as Error).message}): the diff is against an empty file` });
    }
  } else if (entry?.isSymbolicLink()) lines.push({ level: 'note', message: WILL_REPLACE_LINK });
  else if (entry?.isDirectory()) return { notWritten: true, lines: [{ level: 'error', message: 'is a directory; would not be written' }] };
  else if (entry) lines.push({ level: 'note', message: 'is not a regular file: the diff is against an empty file' });
  const name = visible(shownOut);
  io.out(createTwoFilesPatch(entry ? name : '/dev/null', name, old, hcl));
  if (entry && !force) return { notWritten: true, lines: [...lines, { level: 'error', message: 'already exists; would not be overwritten (use --force)' }] };
  return { notWritten: false, lines };
}

/** How many other templates a same-directory review names before it says "and N more". */
const NAMED = 5;

/**
 * Packer loads every *.pkr.hcl and *.pkr.json of a directory as one configuration: a template written beside another
 * one (written earlier in this run, or already there) makes a configuration with two builds and two registry blocks.
 * Each output directory is listed once per run, and a review names at most NAMED others, so that a run over
 * thousands of templates stays linear.
 */
class Neighbours {
  /** By directory: the configuration files there (listed once), then the outputs this run wrote there. */
  private readonly present = new Map<string, Set<string> | { problem: string }>();

  constructor(private readonly shown: (p: string) => string) {}

  /** The review items for a template's output: the other templates in its directory. */
  of(output: string): string[] {
    const dir = dirname(output);
    const present = this.list(dir);
    if (!(present instanceof Set)) return [`${this.shown(dir)} cannot be listed (${present.problem}): other templates there, which Packer would load with ${this.shown(output)} as one configuration, were not looked for`];
    const count = present.size - (present.has(output) ? 1 : 0);
    if (count === 0) return [];
    const first: string[] = [];
    for (const p of present) {
      if (first.length === NAMED) break;
      if (p !== output) first.push(this.shown(p));
    }
    const named = first.join(', ') + (count > NAMED ? ` and ${count - NAMED} more` : '');
    return [
      `${this.shown(output)} is in the same directory as ${named}: Packer loads all *.pkr.hcl files of a directory as one configuration, so it would get several build blocks and hcp_packer_registry blocks (pkrlint check rejects it); move those files elsewhere, or mark each file that is built on its own with \`# ${STANDALONE_MARKER}\` in its first comment lines (as --layout side-by-side does)`,
    ];
  }

  /** An output the run wrote (or, with --dry-run, would write): later templates in its directory are beside it. */
  wrote(output: string): void {
    const present = this.list(dirname(output));
    if (present instanceof Set) present.add(output);
  }

  private list(dir: string): Set<string> | { problem: string } {
    let l = this.present.get(dir);
    if (!l) {
      try {
        l = new Set(
          readdirSync(dir)
            .filter((n) => /\.pkr\.(hcl|json)$/.test(n))
            .sort()
            .map((n) => join(dir, n)),
        );
      } catch (e) {
        // Not there yet (or not a directory: writing says so): nothing beside the output.
        const code = (e as NodeJS.ErrnoException).code;
        l = code === 'ENOENT' || code === 'ENOTDIR' ? new Set() : { problem: errorWords(e) };
      }
      this.present.set(dir, l);
    }
    return l;
  }
}

/** The template a variable file belongs to: one of this run in the same directory, else the run's only template. */
function templateOf(job: Job, converted: { job: Job; template: VarFileTemplate }[]): { template?: VarFileTemplate; ambiguous: string[] } {
  const here = converted.filter((c) => dirname(c.job.input) === dirname(job.input));
  const candidates = here.length ? here : converted;
  if (candidates.length === 1) return { template: candidates[0].template, ambiguous: [] };
  return { ambiguous: candidates.map((c) => c.template.name) };
}
