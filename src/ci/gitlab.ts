/**
 * GitLab CI (`.gitlab-ci.yml`) as contexts: each job that runs Packer (or sets HCP variables), with the global and
 * job `variables:`, `extends:` resolved (hashes merged deeply, as GitLab does), `include:` of local files read, and
 * the template paths its script builds. Variables set in the project's CI/CD settings are not in the file: a
 * GitLab context is never taken as the whole environment.
 */
import { posix } from 'node:path';
import { Environment, type EnvContext } from '../packer/env.js';
import { parseVersion } from '../packer/version.js';
import { setClassified, setFromScript, setsHcpVariables, type RawContext } from './github.js';
import { packerCalls, scriptExports } from './values.js';
import { get, lineOf, text, type Place, type YNode } from './yaml.js';

/** Top-level keys that are not jobs. */
const RESERVED = new Set(['stages', 'variables', 'include', 'default', 'workflow', 'image', 'services', 'before_script', 'after_script', 'cache', 'types', 'spec']);
/** GitLab resolves at most this many levels of `extends`. */
const MAX_EXTENDS = 11;

/** The local files a document includes (`include: x.yml`, `- local: /ci/x.yml`, `- x.yml`); remote, project and template includes cannot be read. */
export function localIncludes(doc: YNode | undefined): Array<{ path: string; at: Place }> {
  const inc = get(doc, 'include');
  const items = inc?.kind === 'seq' ? inc.items : inc ? [inc] : [];
  const out: Array<{ path: string; at: Place }> = [];
  for (const it of items) {
    const local = it.kind === 'scalar' ? text(it) : get(it, 'project') || get(it, 'remote') || get(it, 'template') || get(it, 'component') ? undefined : text(get(it, 'local'));
    if (local === undefined || /^https?:/i.test(local) || /[*$]/.test(local)) continue;
    out.push({ path: local.replace(/^\/+/, ''), at: it.at });
  }
  return out;
}

/** Deep merge of two maps, `over` winning; lists and scalars are replaced whole. */
function merge(base: YNode | undefined, over: YNode): YNode {
  if (base?.kind !== 'map' || over.kind !== 'map') return over;
  const entries = new Map(base.entries);
  for (const [k, v] of over.entries) entries.set(k, { key: v.key, value: merge(entries.get(k)?.value, v.value) });
  return { kind: 'map', entries, at: over.at };
}

/** One pipeline from the main file and its includes: included files first, the main file's keys over them. */
export function mergeDocuments(docs: Array<YNode | undefined>): YNode | undefined {
  let out: YNode | undefined;
  for (const d of docs) if (d) out = out ? merge(out, d) : d;
  return out;
}

function resolveExtends(all: Map<string, YNode>, name: string, depth: number, seen: Set<string>): YNode | undefined {
  const job = all.get(name);
  if (!job || depth > MAX_EXTENDS || seen.has(name)) return job;
  const ext = get(job, 'extends');
  const parents = ext?.kind === 'seq' ? ext.items.map(text) : [text(ext)];
  let base: YNode | undefined;
  for (const p of parents) {
    if (p === undefined) continue;
    const resolved = resolveExtends(all, p, depth + 1, new Set([...seen, name]));
    if (resolved) base = base ? merge(base, resolved) : resolved;
  }
  return base ? merge(base, job) : job;
}

function applyVariables(env: Environment, vars: YNode | undefined, only?: Set<string>): void {
  if (vars?.kind !== 'map') return;
  for (const [name, { key, value }] of vars.entries) {
    if (only && !only.has(name)) continue;
    const literal = value.kind === 'map' && text(get(value, 'expand')) === 'false';
    const v = value.kind === 'map' ? text(get(value, 'value')) ?? '' : text(value) ?? '';
    const at = { file: key.file, start: key.start, end: value.at.end > key.start ? value.at.end : key.end };
    if (literal) env.set(name, v, lineOf(at), at);
    else setClassified(env, name, v, at, 'shell');
  }
}

function scriptLines(job: YNode | undefined, key: string): Array<{ line: string; node: YNode }> {
  const n = get(job, key);
  const items = n?.kind === 'seq' ? n.items.flatMap((x) => (x.kind === 'seq' ? x.items : [x])) : n ? [n] : [];
  return items.flatMap((x) => {
    const t = text(x);
    return t === undefined ? [] : [{ line: t, node: x }];
  });
}

/** The Packer release of a `hashicorp/packer:1.9.4` image (a string, or `name:` of a map). */
function imageVersion(image: YNode | undefined): EnvContext['packerVersion'] {
  const n = image?.kind === 'map' ? get(image, 'name') : image;
  const m = /^(?:docker\.io\/)?hashicorp\/packer:(?:light-|full-)?v?(\d+\.\d+\.\d+)$/.exec(text(n) ?? '');
  const version = m ? parseVersion(m[1]) : undefined;
  return version && n ? { version, origin: `the image hashicorp/packer:${m![1]} in ${lineOf(n.at)}` } : undefined;
}

/** The contexts of a pipeline; `name` is how messages name its main file. */
export function gitlabContexts(doc: YNode | undefined, name: string): RawContext[] {
  const out: RawContext[] = [];
  if (doc?.kind !== 'map') return out;
  const all = new Map<string, YNode>();
  const keys = new Map<string, Place>();
  for (const [k, { key, value }] of doc.entries) {
    if (RESERVED.has(k) || value.kind !== 'map') continue;
    all.set(k, value);
    keys.set(k, key);
  }
  const defaults = get(doc, 'default');
  for (const jobName of all.keys()) {
    if (jobName.startsWith('.')) continue;
    const job = resolveExtends(all, jobName, 0, new Set());
    const env = new Environment();
    const inherit = get(get(job, 'inherit'), 'variables');
    const inheritText = text(inherit);
    if (inheritText !== 'false') applyVariables(env, get(doc, 'variables'), inherit?.kind === 'seq' ? new Set(inherit.items.map((i) => text(i) ?? '')) : undefined);
    applyVariables(env, get(job, 'variables'));
    const lines = [...scriptLines(get(job, 'before_script') ? job : defaults, 'before_script'), ...scriptLines(job, 'script')];
    // The items of before_script and script run in one shell, one after the other: a `cd` holds for the next ones.
    const script = lines.map((l) => l.line).join('\n');
    const nodeOfLine: YNode[] = lines.flatMap((l) => l.line.split(/\r?\n/).map(() => l.node));
    const calls = packerCalls(script);
    const runsPacker = calls.length > 0;
    const builds = calls.every((c) => c.path !== undefined) ? calls.map((c) => posix.normalize(c.path!)) : undefined;
    for (const e of scriptExports(script, runsPacker ? calls[0].line : Infinity)) setFromScript(env, e.name, e.value, nodeOfLine[e.line].at);
    // A job that runs no Packer that pkrlint can see is judged only when it sets HCP variables itself.
    const own = get(job, 'variables');
    if (!runsPacker && !setsHcpVariables(own)) continue;
    const at = keys.get(jobName)!;
    const packerVersion = imageVersion(get(job, 'image') ?? get(defaults, 'image') ?? get(doc, 'image'));
    out.push({ name: `pipeline ${name}, job ${jobName}`, kind: 'gitlab', env, complete: false, at, builds: runsPacker ? builds : undefined, ...(packerVersion ? { packerVersion } : {}) });
  }
  return out;
}
