import type { Results } from './model.js';

/** `--format json`: one object, schema version 1 (documented in the README; `summary` keeps its documented keys). */
export function formatJson(r: Results): string {
  const { errors, warnings, infos, files } = r.summary;
  return JSON.stringify({ version: 1, diagnostics: r.diagnostics, summary: { errors, warnings, infos, files } }, null, 2) + '\n';
}
