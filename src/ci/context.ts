/**
 * The CI contexts of a check run (docs/ci.md): the repository's GitHub Actions workflows and GitLab pipeline, and the
 * dotenv files the configuration file names, each read with the same safe reader as templates (no link out of the
 * tree, size limit) and turned into environments the environment rules judge.
 */
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { dotenvEntries, Environment, type EnvContext } from '../packer/env.js';
import { readInput, repositoryRoot } from '../packer/input.js';
import { compileWildcards } from '../packer/glob.js';
import { displayPath, isConfigFile, type SourceFile, type Unit } from '../packer/unit.js';
import { LineIndex, stripBom } from '../syntax/text.js';
import { githubContexts, setClassified, type RawContext } from './github.js';
import { gitlabContexts, localIncludes, mergeDocuments } from './gitlab.js';
import { readYaml, YamlError, type YNode } from './yaml.js';

/** The `ci` settings of .pkrlintrc.json. */
export interface CiSettings {
  /** Like --ci / --no-ci; the command line wins. */
  enabled?: boolean;
  /** CI files to read instead of the search (relative to the configuration file): workflows and GitLab pipelines. */
  files?: string[];
  /** Dotenv files, each a context of its own (relative to the configuration file). */
  envFiles?: string[];
  /** Keep only the contexts whose name matches one of these patterns (`*` matches any text). */
  contexts?: string[];
}

export interface CiOptions {
  /** Where the search starts (the first path checked). */
  startDir: string;
  cwd: string;
  settings?: CiSettings;
  /** Directory of the configuration file the settings come from. */
  settingsDir?: string;
  /** --ci given: a CI file that cannot be read or parsed is a fatal error, not a warning. */
  explicit: boolean;
  maxBytes?: number;
}

export interface CiLoad {
  contexts: EnvContext[];
  /** The CI files read, as displayed. */
  files: string[];
  /** Problems that did not stop the run (a malformed file without --ci), one line each. */
  warnings: string[];
}

export class CiError extends Error {}

/** The rules about the environment, run once more per CI context; the others judge the templates alone. */
export const ENV_RULES: readonly string[] = [
  'registry-env-override',
  'registry-multiple-builds',
  'registry-bucket-name',
  'registry-bucket-name-required',
  'hcp-registry-env-value',
  'hcp-registry-disabled',
  'hcp-project-id-version',
  'hcp-build-fingerprint',
  'hcp-credentials',
];

/** At most this many workflow files and GitLab includes are read (GitLab itself allows 150 includes). */
const MAX_CI_FILES = 150;

function isDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The directory whose CI files describe the checked tree: from `start` up to the repository root, the first with some. */
export function findCiRoot(start: string): string | undefined {
  const top = repositoryRoot(start);
  let d = resolve(start);
  for (;;) {
    if (isDir(join(d, '.github', 'workflows')) || existsSync(join(d, '.gitlab-ci.yml'))) return d;
    if (!top || d === top) return undefined;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

export function loadCi(opts: CiOptions): CiLoad {
  const out: CiLoad = { contexts: [], files: [], warnings: [] };
  const problem = (msg: string) => {
    if (opts.explicit) throw new CiError(msg);
    out.warnings.push(`${msg}; the run goes on without it`);
  };
  const read = (abs: string, root: string): SourceFile | undefined => {
    const r = readInput(abs, { explicit: false, root, maxBytes: opts.maxBytes });
    const display = displayPath(abs, opts.cwd);
    if (!r.ok) {
      problem(`${display}: cannot read CI file: ${r.problem}`);
      return undefined;
    }
    const { text, bom } = stripBom(r.text);
    out.files.push(display);
    return { path: abs, display, kind: 'ci', text, bom, lines: new LineIndex(text), syntaxErrors: [] };
  };
  const yaml = (f: SourceFile): YNode | undefined => {
    try {
      return readYaml(f);
    } catch (e) {
      if (!(e instanceof YamlError)) throw e;
      problem(e.message);
      return undefined;
    }
  };
  const raw: Array<{ ctx: RawContext; root: string }> = [];
  const github = (abs: string, root: string) => {
    const f = read(abs, root);
    const doc = f && yaml(f);
    if (doc) for (const ctx of githubContexts(doc, basename(abs))) raw.push({ ctx, root });
  };
  const gitlab = (abs: string, root: string) => {
    const main = read(abs, root);
    const mainDoc = main && yaml(main);
    if (!mainDoc) return;
    // Included files first, recursively; the main file's keys over them.
    const docs: YNode[] = [];
    const seen = new Set([abs]);
    const visit = (doc: YNode) => {
      for (const inc of localIncludes(doc)) {
        const p = resolve(root, inc.path);
        if (seen.has(p) || seen.size >= MAX_CI_FILES) continue;
        seen.add(p);
        const f = read(p, root);
        const d = f && yaml(f);
        if (d) {
          visit(d);
          docs.push(d);
        }
      }
    };
    visit(mainDoc);
    for (const ctx of gitlabContexts(mergeDocuments([...docs, mainDoc]), basename(abs))) raw.push({ ctx, root });
  };
  const settings = opts.settings ?? {};
  const base = opts.settingsDir ?? opts.startDir;
  if (settings.files?.length) {
    for (const f of settings.files) {
      const abs = resolve(base, f);
      const root = repositoryRoot(base) ?? base;
      const wf = `${sep}.github${sep}workflows${sep}`;
      if (abs.includes(wf)) github(abs, abs.slice(0, abs.indexOf(wf)));
      else if (/\.ya?ml$/i.test(abs)) gitlab(abs, existsSync(join(dirname(abs), '.gitlab-ci.yml')) ? dirname(abs) : root);
      else problem(`${displayPath(abs, opts.cwd)}: a CI file must be a workflow in .github/workflows/ or a GitLab pipeline (.yml); dotenv files go in "envFiles"`);
    }
  } else {
    const root = findCiRoot(opts.startDir);
    if (root) {
      const wfDir = join(root, '.github', 'workflows');
      const names = isDir(wfDir) ? readdirSync(wfDir).filter((n) => /\.ya?ml$/i.test(n)).sort() : [];
      for (const n of names.slice(0, MAX_CI_FILES)) github(join(wfDir, n), root);
      if (existsSync(join(root, '.gitlab-ci.yml'))) gitlab(join(root, '.gitlab-ci.yml'), root);
    }
  }
  for (const f of settings.envFiles ?? []) {
    const abs = resolve(base, f);
    const file = read(abs, repositoryRoot(base) ?? base);
    if (file) raw.push({ ctx: dotenvContext(file, f), root: base });
  }
  const chosen = settings.contexts && compileWildcards(settings.contexts);
  for (const { ctx, root } of raw) {
    if (chosen && !chosen(ctx.name)) continue;
    out.contexts.push({ ...ctx, builds: ctx.builds?.map((b) => resolve(root, b)) });
  }
  return out;
}

/**
 * A dotenv file as a context, named as the configuration file names it: `$VAR` and `${VAR}` in its values are unknown
 * (the tools that read it expand them).
 */
export function dotenvContext(file: SourceFile, name: string): RawContext {
  const env = new Environment();
  for (const { name: k, value: v, line = 1 } of dotenvEntries(file.text)) {
    const start = file.lines.lineStart(line);
    setClassified(env, k, v, { file, start, end: start + file.lines.lineText(line).length }, 'shell');
  }
  return { name: `env file ${name}`, kind: 'dotenv', env, complete: false, at: { file, start: 0, end: 0 } };
}

/** Whether a context builds a unit: it names the unit's directory or one of its files (a legacy template: the file). */
export function contextBuilds(ctx: EnvContext, unit: Unit): boolean {
  if (!ctx.builds) return true;
  return ctx.builds.some((b) => (unit.kind === 'legacy' ? b === unit.id : b === unit.dir || (dirname(b) === unit.dir && isConfigFile(basename(b)))));
}

/**
 * What a context finding's message adds: the context, and, for a finding that points into the CI file, the
 * configurations it was found with (a job that names no template path is judged against every configuration).
 */
export function contextNote(ctx: EnvContext, configs: string[] | undefined, cwd: string): string {
  const judged = configs ? `, judged with ${configs.join(', ')}` : '';
  if (!ctx.builds) return ` [CI context ${ctx.name}${judged}; ${ctx.kind === 'dotenv' ? 'an env file applies' : 'the job names no template path, so it applies'} to every configuration]`;
  return ` [CI context ${ctx.name}${judged}; it builds ${ctx.builds.map((b) => displayPath(b, cwd)).join(', ')}]`;
}

/** How a finding names the configuration of a unit. */
export function configurationName(unit: Unit, cwd: string): string {
  return unit.kind === 'legacy' ? unit.files[0]?.display ?? unit.id : displayPath(unit.dir, cwd);
}
