import type { Results } from './model.js';
import { visible } from './text.js';

/**
 * `--format compact`: `file:line:col: severity rule-id message`, one per line. A finding with no place in a file is
 * `pkrlint: severity rule-id message`: errorformat `%f:%l:%c: %m` and a problem matcher for the first form leave it as
 * a plain line instead of reading `pkrlint` as a file (docs/formats.md).
 */
export function formatCompact(r: Results): string {
  return r.diagnostics
    .map((d) => {
      const what = `${d.severity} ${visible(d.ruleId)} ${visible(d.message)}`;
      return d.file === null ? `pkrlint: ${what}\n` : `${visible(d.file)}:${d.line ?? 1}:${d.column ?? 1}: ${what}\n`;
    })
    .join('');
}
