/**
 * GitHub Actions workflows as contexts: for each job that runs Packer (or sets HCP variables), the environment its
 * Packer step sees — `env:` of the workflow, the job and the step, what earlier steps append to $GITHUB_ENV and what
 * the step's script exports — and the template paths it builds.
 */
import { posix } from 'node:path';
import { Environment, type EnvContext } from '../packer/env.js';
import { parseVersion } from '../packer/version.js';
import { classify, githubEnvWrites, packerCalls, scriptExports, writesGithubEnvOpaquely } from './values.js';
import { get, lineOf, text, type Place, type YNode } from './yaml.js';

/** A context before its paths are made absolute: `builds` are relative to the repository root. */
export type RawContext = Omit<EnvContext, 'builds'> & { builds?: string[] };

const HCP_VARIABLE = /^(?:HCP_|PKR_VAR_)/;

/** Whether a job's own variables (an `env:` or `variables:` map) set an HCP or Packer variable. */
export function setsHcpVariables(own: YNode | undefined): boolean {
  return own?.kind === 'map' && [...own.entries.keys()].some((k) => HCP_VARIABLE.test(k));
}

/** Sets each entry of an `env:` map, each with the place it is written. */
function applyEnv(env: Environment, map: YNode | undefined): void {
  if (map?.kind !== 'map') return;
  for (const [name, { key, value }] of map.entries) {
    const v = text(value) ?? '';
    const at = { file: key.file, start: key.start, end: value.at.end > key.start ? value.at.end : key.end };
    setClassified(env, name, v, at, 'github');
  }
}

export function setClassified(env: Environment, name: string, value: string, at: Place, syntax: 'github' | 'shell'): void {
  const c = classify(value, syntax);
  const origin = lineOf(at);
  if (c.unknown) env.setUnknown(name, value, origin, c.varies, at);
  else env.set(name, value, origin, at);
}

/** The place of line `i` (0-based) of a script given as a YAML scalar: a block scalar's text starts on the next line. */
function scriptLine(node: YNode, i: number): Place {
  const f = node.at.file;
  const startLine = f.lines.position(node.at.start).line;
  const block = /^[|>]/.test(f.text.slice(node.at.start, node.at.start + 1));
  const line = Math.min(startLine + (block ? 1 : 0) + i, f.lines.lineCount);
  const start = f.lines.lineStart(line);
  return { file: f, start, end: start + f.lines.lineText(line).length };
}

function join(...parts: Array<string | undefined>): string {
  return posix.normalize(parts.filter((p): p is string => !!p).reduce((a, b) => (b.startsWith('/') ? b : posix.join(a, b)), '.'));
}

function workingDirectory(...nodes: Array<YNode | undefined>): string | undefined {
  for (const n of nodes) {
    const wd = text(get(get(get(n, 'defaults'), 'run'), 'working-directory'));
    if (wd !== undefined) return wd;
  }
  return undefined;
}

interface PackerStep {
  index: number;
  step: YNode;
  /** Template paths (relative to the repository root); undefined when one call names none. */
  builds?: string[];
  /** Line of the script where Packer runs: exports above it count. */
  line: number;
}

function packerStep(step: YNode, index: number, wd: string | undefined): PackerStep | undefined {
  const stepWd = text(get(step, 'working-directory')) ?? wd;
  const run = get(step, 'run');
  const script = text(run);
  if (script !== undefined) {
    const calls = packerCalls(script);
    if (!calls.length) return undefined;
    const tied = calls.every((c) => c.path !== undefined) && !(stepWd ?? '').includes('$');
    return { index, step, builds: tied ? calls.map((c) => join(stepWd, c.path)) : undefined, line: calls[0].line };
  }
  const uses = text(get(step, 'uses')) ?? '';
  if (/^hashicorp\/packer-github-actions@/i.test(uses)) {
    const w = get(step, 'with');
    const command = text(get(w, 'command')) ?? '';
    if (!/^(?:build|validate)$/.test(command)) return undefined;
    const target = text(get(w, 'target')) ?? '.';
    const awd = text(get(w, 'working_directory'));
    const tied = !`${target}${awd ?? ''}`.includes('$');
    return { index, step, builds: tied ? target.split(/\s+/).filter(Boolean).map((t) => join(awd, t)) : undefined, line: 0 };
  }
  return undefined;
}

/** The contexts of one workflow file. `name` is how messages name the file ("build.yml"). */
export function githubContexts(doc: YNode | undefined, name: string): RawContext[] {
  const out: RawContext[] = [];
  const jobs = get(doc, 'jobs');
  if (jobs?.kind !== 'map') return out;
  for (const [jobId, { key, value: job }] of jobs.entries) {
    // A call of a reusable workflow: that workflow's own jobs are its contexts.
    if (get(job, 'uses')) continue;
    const wd = workingDirectory(job, doc);
    const stepsNode = get(job, 'steps');
    const steps = stepsNode?.kind === 'seq' ? stepsNode.items : [];
    const packerSteps = steps.map((s, i) => packerStep(s, i, wd)).filter((p): p is PackerStep => !!p);
    const base = new Environment();
    applyEnv(base, get(doc, 'env'));
    applyEnv(base, get(job, 'env'));
    const at = { file: key.file, start: key.start, end: key.end };
    const jobName = `workflow ${name}, job ${jobId}`;
    if (!packerSteps.length) {
      // A job that runs no Packer that pkrlint can see is judged only when it sets HCP variables itself.
      const own = get(job, 'env');
      if (setsHcpVariables(own)) out.push({ name: jobName, kind: 'github', env: base, complete: true, at });
      continue;
    }
    for (const ps of packerSteps) {
      const env = base.clone();
      let complete = true;
      // What earlier steps append to $GITHUB_ENV holds for the steps after them; its value is only known at run time.
      for (const s of steps.slice(0, ps.index)) {
        const run = get(s, 'run');
        const script = text(run);
        if (script === undefined) continue;
        for (const w of githubEnvWrites(script)) setFromScript(env, w.name, w.value, scriptLine(run!, w.line));
        if (writesGithubEnvOpaquely(script)) complete = false;
      }
      applyEnv(env, get(ps.step, 'env'));
      const run = get(ps.step, 'run');
      const script = text(run);
      if (script !== undefined) for (const e of scriptExports(script, ps.line)) setFromScript(env, e.name, e.value, scriptLine(run!, e.line));
      const packerVersion = installedPacker(steps.slice(0, ps.index));
      const stepName = text(get(ps.step, 'name')) ?? `#${ps.index + 1}`;
      const ctxName = packerSteps.length > 1 ? `${jobName}, step ${stepName}` : jobName;
      out.push({ name: ctxName, kind: 'github', env, complete, at, builds: ps.builds, ...(packerVersion ? { packerVersion } : {}) });
    }
  }
  return out;
}

/** The version the last `hashicorp/setup-packer` step before the Packer step installs, when it names one (not `latest`). */
function installedPacker(steps: YNode[]): EnvContext['packerVersion'] {
  let found: EnvContext['packerVersion'];
  for (const s of steps) {
    if (!/^hashicorp\/setup-packer@/i.test(text(get(s, 'uses')) ?? '')) continue;
    const v = get(get(s, 'with'), 'version');
    const version = parseVersion(text(v) ?? '');
    found = version && v ? { version, origin: `hashicorp/setup-packer version in ${lineOf(v.at)}` } : undefined;
  }
  return found;
}

/** A value a script computes (`$(date +%s)`, `$GITHUB_RUN_ID`) is unknown unless it is plain text. */
export function setFromScript(env: Environment, name: string, value: string, at: Place): void {
  const c = classify(value, 'shell');
  const computed = c.unknown || /[`(]/.test(value);
  if (computed) env.setUnknown(name, value, lineOf(at), c.varies ?? (/\$\(date\b|\$\{?RANDOM\b|uuidgen/.test(value) ? 'run' : undefined), at);
  else env.set(name, value, lineOf(at), at);
}
