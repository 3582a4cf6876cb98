/** The project configuration file (.pkrlintrc.json): rule severities, target Packer version, ignore globs. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseJson, plainValue } from '../syntax/json.js';
import { parseVersion } from '../packer/version.js';
import { ruleById } from '../rules/index.js';
import type { SeveritySetting } from './lint.js';

export const CONFIG_FILE_NAME = '.pkrlintrc.json';

export interface ProjectConfig {
  path?: string;
  rules: Record<string, SeveritySetting>;
  packerVersion?: string;
  ignore: string[];
}

export class ConfigError extends Error {}

/** A severity as users write it, in the configuration file or `--rule`: `warn` is accepted for `warning`, as in ESLint. */
export function severitySetting(s: unknown): SeveritySetting | undefined {
  if (s === 'warn') return 'warning';
  return s === 'off' || s === 'info' || s === 'warning' || s === 'error' ? s : undefined;
}

export function loadConfigFile(path: string): ProjectConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${path}: cannot read configuration file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const doc = parseJson(text);
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
        if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new ConfigError(`${where(m.keyStart)}: "ignore" must be a list of glob strings`);
        cfg.ignore = v as string[];
        break;
      case '$schema':
        break;
      default:
        throw new ConfigError(`${where(m.keyStart)}: unknown key "${m.key}" (known: rules, packerVersion, ignore)`);
    }
  }
  return cfg;
}

/** Looks for the configuration file from `start` upward, stopping at the repository root (a directory with .git). */
export function findConfigFile(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    if (existsSync(join(dir, '.git'))) return undefined;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
