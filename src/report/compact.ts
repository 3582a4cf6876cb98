import type { Results } from './model.js';

/** `--format compact`: `file:line:col: severity rule-id message`, one per line. */
export function formatCompact(r: Results): string {
  return r.diagnostics
    .map((d) => `${d.file ?? '(no file)'}:${d.line ?? 0}:${d.column ?? 0}: ${d.severity} ${d.ruleId} ${d.message}\n`)
    .join('');
}
