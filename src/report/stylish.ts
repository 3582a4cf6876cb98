import { Chalk, type ChalkInstance } from 'chalk';
import { groupByFile, type OutDiagnostic, type Results } from './model.js';
import { plural, visible } from './text.js';

const SEVERITY_WIDTH = 'warning'.length;

function colorOf(c: ChalkInstance, s: OutDiagnostic['severity']): ChalkInstance {
  return s === 'error' ? c.red : s === 'warning' ? c.yellow : c.blue;
}

/** The source line of a finding and a line of carets under its range (the first line of a range over several). */
function codeFrame(r: Results, d: OutDiagnostic, c: ChalkInstance): string {
  const src = d.file === null ? undefined : r.sources.get(d.file);
  if (!src || !d.line || !d.column) return '';
  // A tab shows as one space so that columns stay columns; other control characters as escapes, the carets following.
  const text = src.lines.lineText(d.line).replace(/\t/g, ' ');
  const start = Math.min(d.column, text.length + 1) - 1;
  const end = Math.max(start, d.endLine === d.line && d.endColumn ? Math.min(d.endColumn, text.length + 1) - 1 : text.length);
  const before = visible(text.slice(0, start));
  const marked = visible(text.slice(start, end));
  const gutter = `${d.line} | `;
  const carets = colorOf(c, d.severity)('^'.repeat(Math.max(1, marked.length)));
  return `    ${c.dim(gutter)}${before}${marked}${visible(text.slice(end))}\n    ${' '.repeat(gutter.length + before.length)}${carets}\n`;
}

/** `--format stylish`: grouped by file, each finding with a code frame marking its range, then a summary line. */
export function formatStylish(r: Results, color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  let out = '';
  for (const [file, ds] of groupByFile(r.diagnostics)) {
    out += `\n${c.underline(file === null ? '(no file)' : visible(file))}\n`;
    for (const d of ds) {
      const pos = d.line ? `${d.line}:${d.column}` : '-';
      const sev = colorOf(c, d.severity)(d.severity.padEnd(SEVERITY_WIDTH));
      out += `  ${c.dim(pos.padEnd(7))} ${sev}  ${visible(d.message)}  ${c.dim(visible(d.ruleId))}\n`;
      out += codeFrame(r, d, c);
    }
  }
  const { errors, warnings, infos, filesWithProblems } = r.summary;
  const total = errors + warnings + infos;
  if (total === 0) return `${c.green('✔')} no problems in ${plural(r.summary.files, 'file')}\n`;
  const withoutFile = r.diagnostics.filter((d) => d.file === null).length;
  const where = !filesWithProblems ? 'with no file' : `in ${plural(filesWithProblems, 'file')}${withoutFile ? ` and ${withoutFile} with no file` : ''}`;
  const line = `✖ ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info')}) ${where}`;
  return `${out}\n${errors ? c.red.bold(line) : c.yellow.bold(line)}\n`;
}
