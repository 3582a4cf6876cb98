/** The project configuration file (.pkrlintrc.json): rule severities, target Packer version, ignore globs. */
import { lstatSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseJson, plainValue } from '../syntax/json.js';
import { clip } from '../syntax/text.js';
import { globProblem, MAX_GLOBS } from '../packer/glob.js';
import { MAX_FILE_SIZE_CEILING, readInput, repositoryRoot } from '../packer/input.js';
import { parseVersion } from '../packer/version.js';
import { ruleById } from '../rules/index.js';
import type { SeveritySetting } from './lint.js';
import type { CiSettings } from '../ci/context.js';

export const CONFIG_FILE_NAME = '.pkrlintrc.json';

export interface ProjectConfig {
  path?: string;
  rules: Record<string, SeveritySetting>;
  packerVersion?: string;
  ignore: string[];
  /** The most bytes a file may have to be read (`maxFileSize`), at most MAX_FILE_SIZE_CEILING. */
  maxFileSize?: number;
  /** Which CI files and contexts `check` reads (docs/ci.md). */
  ci?: CiSettings;
}

export class ConfigError extends Error {}

/** A severity as users write it, in the configuration file or `--rule`: `warn` is accepted for `warning`, as in ESLint. */
export function severitySetting(s: unknown): SeveritySetting | undefined {
  if (s === 'warn') return 'warning';
  return s === 'off' || s === 'info' || s === 'warning' || s === 'error' ? s : undefined;
}

/**
 * Reads and validates a configuration file. One given with --config is `explicit` (a link may lead anywhere); one
 * found upward comes with the repository, so its real path must stay in `root`.
 */
export function loadConfigFile(path: string, policy: { explicit: boolean; root?: string } = { explicit: true }): ProjectConfig {
  const read = readInput(path, policy);
  if (!read.ok) throw new ConfigError(`${path}: cannot read configuration file: ${read.problem}`);
  const doc = parseJson(read.text.replace(/^\uFEFF/, ''));
  if (doc.errors.length || !doc.root) {
    const e = doc.errors[0];
    const p = e ? doc.lines.position(e.start) : { line: 1, column: 1 };
    throw new ConfigError(`${path}:${p.line}:${p.column}: invalid JSON in configuration file: ${e?.message ?? 'empty file'}`);
  }
  const where = (offset: number) => `${path}:${doc.lines.position(offset).line}`;
  if (doc.root.kind !== 'object') throw new ConfigError(`${where(doc.root.start)}: the configuration must be a JSON object`);
  const cfg: ProjectConfig = { path, rules: {}, ignore: [] };
  for (const m of doc.root.members) {
    const v = plainValue(m.value);
    switch (m.key) {
      case 'rules':
        if (m.value.kind !== 'object') throw new ConfigError(`${where(m.keyStart)}: "rules" must be an object of rule id → severity`);
        for (const r of m.value.members) {
          if (!ruleById.has(r.key)) throw new ConfigError(`${where(r.keyStart)}: unknown rule "${r.key}"`);
          const sev = severitySetting(plainValue(r.value));
          if (!sev) throw new ConfigError(`${where(r.keyStart)}: severity of "${r.key}" must be one of off, info, warning (or warn), error`);
          if (r.key === 'syntax' && sev === 'off') throw new ConfigError(`${where(r.keyStart)}: the syntax rule cannot be turned off`);
          cfg.rules[r.key] = sev;
        }
        break;
      case 'packerVersion': {
        const pv = typeof v === 'string' ? parseVersion(v) : undefined;
        if (!pv) throw new ConfigError(`${where(m.keyStart)}: "packerVersion" must be a version such as "1.13.0"`);
        cfg.packerVersion = pv;
        break;
      }
      case 'ignore':
        if (m.value.kind !== 'array' || !m.value.items.every((x) => x.kind === 'string')) throw new ConfigError(`${where(m.keyStart)}: "ignore" must be a list of glob strings`);
        // Every path found is matched against every glob: their number is bounded like their length.
        if (m.value.items.length > MAX_GLOBS) throw new ConfigError(`${where(m.keyStart)}: "ignore" has ${m.value.items.length} globs; at most ${MAX_GLOBS} are read`);
        for (const item of m.value.items) {
          const glob = (item as { value: string }).value;
          const problem = globProblem(glob);
          if (problem) throw new ConfigError(`${where(item.start)}: ignore glob ${JSON.stringify(clip(glob))}: ${problem}`);
        }
        cfg.ignore = v as string[];
        break;
      case 'maxFileSize':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_FILE_SIZE_CEILING) {
          throw new ConfigError(`${where(m.keyStart)}: "maxFileSize" must be a whole number of bytes from 1 to ${MAX_FILE_SIZE_CEILING} (4 MiB)`);
        }
        cfg.maxFileSize = v;
        break;
      case 'ci':
        cfg.ci = ciSettings(m.value, where);
        break;
      case '$schema':
        break;
      default:
        throw new ConfigError(`${where(m.keyStart)}: unknown key ${JSON.stringify(clip(m.key, 40))} (known: rules, packerVersion, ignore, maxFileSize, ci)`);
    }
  }
  return cfg;
}

type JsonValue = NonNullable<ReturnType<typeof parseJson>['root']>;

/** `"ci": { "enabled": bool, "files": [...], "envFiles": [...], "contexts": [...] }`. */
function ciSettings(v: JsonValue, where: (offset: number) => string): CiSettings {
  if (v.kind !== 'object') throw new ConfigError(`${where(v.start)}: "ci" must be an object with enabled, files, envFiles, contexts`);
  const out: CiSettings = {};
  for (const m of v.members) {
    const val = plainValue(m.value);
    if (m.key === 'enabled') {
      if (typeof val !== 'boolean') throw new ConfigError(`${where(m.keyStart)}: "ci.enabled" must be true or false`);
      out.enabled = val;
    } else if (m.key === 'files' || m.key === 'envFiles' || m.key === 'contexts') {
      if (!Array.isArray(val) || !val.every((x) => typeof x === 'string' && x !== '') || val.length > MAX_GLOBS) {
        throw new ConfigError(`${where(m.keyStart)}: "ci.${m.key}" must be a list of at most ${MAX_GLOBS} non-empty strings`);
      }
      out[m.key] = val as string[];
    } else {
      throw new ConfigError(`${where(m.keyStart)}: unknown key "ci.${clip(m.key, 40)}" (known: enabled, files, envFiles, contexts)`);
    }
  }
  return out;
}

/**
 * Looks for the configuration file from `start` upward, stopping at the repository root (a directory with .git).
 * `root` is the tree the file must really be in: the repository, else the file's own directory. A link named
 * .pkrlintrc.json counts as found (reading it says what is wrong with it).
 */
export function findConfigFile(start: string): { path: string; root: string } | undefined {
  let dir = resolve(start);
  const exists = (p: string) => {
    try {
      lstatSync(p);
      return true;
    } catch {
      return false;
    }
  };
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (exists(candidate)) return { path: candidate, root: repositoryRoot(start) ?? dir };
    if (exists(join(dir, '.git'))) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
