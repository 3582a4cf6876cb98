/** The language server's settings, from initializationOptions or workspace/configuration (section `pkrlint`). */
import { resolve } from 'node:path';
import { Environment } from '../packer/env.js';
import { readInputFile } from '../packer/input.js';
import { parseVersion } from '../packer/version.js';

export interface Settings {
  /** Environment variables for the HCP rules, over envFiles. */
  env: Record<string, string>;
  /** dotenv files, relative to the workspace root. */
  envFiles: string[];
  /** Read the editor's own process environment (off by default: an editor's environment is rarely the build's). */
  processEnv: boolean;
  packerVersion?: string;
  /** Configuration file; default: .pkrlintrc.json found upward. */
  config?: string;
  /** Milliseconds after the last change before a document is checked. */
  debounceMs: number;
}

export const DEFAULT_SETTINGS: Settings = { env: {}, envFiles: [], processEnv: false, debounceMs: 150 };

/**
 * Settings from whatever the client sent, over `base` (workspace/configuration over initializationOptions): a key
 * the client did not send keeps its value in `base`; wrong types are dropped, not fatal.
 */
export function readSettings(raw: unknown, base: Settings = DEFAULT_SETTINGS): Settings {
  const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const s = o.pkrlint && typeof o.pkrlint === 'object' ? (o.pkrlint as Record<string, unknown>) : o;
  const env: Record<string, string> = {};
  if (s.env && typeof s.env === 'object') for (const [k, v] of Object.entries(s.env)) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') env[k] = String(v);
  return {
    env: 'env' in s ? env : base.env,
    envFiles: Array.isArray(s.envFiles) ? s.envFiles.filter((f): f is string => typeof f === 'string') : base.envFiles,
    processEnv: typeof s.processEnv === 'boolean' ? s.processEnv : base.processEnv,
    packerVersion: typeof s.packerVersion === 'string' ? parseVersion(s.packerVersion) : base.packerVersion,
    config: typeof s.config === 'string' ? s.config || undefined : base.config,
    debounceMs: typeof s.debounceMs === 'number' && s.debounceMs >= 0 && s.debounceMs <= 10_000 ? s.debounceMs : base.debounceMs,
  };
}

/** The environment the HCP rules judge: the process (when asked), then env files, then `env`, as `check` does. */
export function environmentOf(s: Settings, root: string, warn: (msg: string) => void): Environment {
  const e = s.processEnv ? Environment.fromProcess(process.env) : new Environment();
  for (const f of s.envFiles) {
    try {
      e.loadDotenv(readInputFile(resolve(root, f), { explicit: true, what: 'env file' }), f);
    } catch (err) {
      warn(`env file ${f} (setting envFiles) cannot be used: ${(err as Error).message}`);
    }
  }
  for (const [k, v] of Object.entries(s.env)) e.set(k, v, `the editor setting env.${k}`);
  return e;
}
