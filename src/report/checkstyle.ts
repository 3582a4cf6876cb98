import { groupByFile, type Results } from './model.js';
import { xml } from './text.js';

/**
 * `--format checkstyle`: Checkstyle 4.3 XML, a `<file>` per file with findings and an `<error>` per finding
 * (`severity` error, warning or info; `source` pkrlint.<rule-id>). Findings with no file are under `<file name="">`.
 */
export function formatCheckstyle(r: Results): string {
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n';
  for (const [file, ds] of groupByFile(r.diagnostics)) {
    out += `  <file name="${xml(file ?? '')}">\n`;
    for (const d of ds) {
      const at = d.line ? ` line="${d.line}"${d.column ? ` column="${d.column}"` : ''}` : '';
      out += `    <error${at} severity="${d.severity}" message="${xml(d.message)}" source="pkrlint.${xml(d.ruleId)}"/>\n`;
    }
    out += '  </file>\n';
  }
  return `${out}</checkstyle>\n`;
}
