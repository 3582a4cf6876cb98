import { Chalk } from 'chalk';
import type { OutDiagnostic, Results } from './model.js';

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** `--format stylish`: grouped by file, each finding with a code frame marking its range, then a summary line. */
export function formatStylish(r: Results, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const sev = (s: OutDiagnostic['severity']) => (s === 'error' ? c.red('error') : s === 'warning' ? c.yellow('warning') : c.blue('info'));
  const groups = new Map<string, OutDiagnostic[]>();
  for (const d of r.diagnostics) {
    const k = d.file ?? '';
    groups.set(k, [...(groups.get(k) ?? []), d]);
  }
  let out = '';
  for (const [file, ds] of groups) {
    out += `\n${c.underline(file || '(no file)')}\n`;
    const src = r.sources.get(file);
    for (const d of ds) {
      const pos = d.line ? `${d.line}:${d.column}` : '-';
      out += `  ${c.dim(pos.padEnd(7))} ${sev(d.severity)}  ${d.message}  ${c.dim(d.ruleId)}\n`;
      if (src && d.line && d.column) {
        const text = src.lines.lineText(d.line).replace(/\t/g, ' ');
        const lastCol = d.endLine === d.line && d.endColumn ? d.endColumn : text.length + 1;
        const width = Math.max(1, Math.min(lastCol, text.length + 1) - d.column);
        const gutter = `${d.line} | `;
        out += `    ${c.dim(gutter)}${text}\n`;
        out += `    ${' '.repeat(gutter.length)}${' '.repeat(d.column - 1)}${c.red('^'.repeat(width))}\n`;
      }
    }
  }
  const { errors, warnings, infos } = r.summary;
  const total = errors + warnings + infos;
  if (total === 0) return `${c.green('✔')} no problems in ${plural(r.summary.files, 'file')}\n`;
  const line = `✖ ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')}) in ${plural(r.summary.files, 'file')}`;
  return `${out}\n${errors ? c.red.bold(line) : c.yellow.bold(line)}\n`;
}
