import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Replaced by the bundler with package.json's version (scripts/bundle.js). */
declare const PKRLINT_VERSION: string;

/**
 * pkrlint's own version, wherever it runs: the bundle carries it; compiled sources read the package.json of this
 * installation (never one near the working directory).
 */
export function pkrlintVersion(): string {
  if (typeof PKRLINT_VERSION === 'string') return PKRLINT_VERSION;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'pkrlint' && pkg.version) return pkg.version;
    }
    const up = dirname(dir);
    if (up === dir) return 'unknown';
    dir = up;
  }
}
