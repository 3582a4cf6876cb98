import type { Results } from './model.js';

/** `--format json`: one object, schema version 1 (documented in the README). */
export function formatJson(r: Results): string {
  return JSON.stringify({ version: 1, diagnostics: r.diagnostics, summary: r.summary }, null, 2) + '\n';
}
