/** The stable, position-resolved form of a diagnostic that every formatter prints. */
import type { Diagnostic } from '../lint/lint.js';
import type { SourceFile } from '../packer/unit.js';

export interface OutEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
}

export interface OutDiagnostic {
  file: string | null;
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  fix?: { description: string; edits: OutEdit[] };
}

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  files: number;
}

export interface Results {
  diagnostics: OutDiagnostic[];
  summary: Summary;
  /** Source text per file, for code frames. */
  sources: Map<string, SourceFile>;
}

export function toResults(diags: Diagnostic[], fileCount: number): Results {
  const sources = new Map<string, SourceFile>();
  const diagnostics = diags.map((d): OutDiagnostic => {
    const f = d.file;
    if (f) sources.set(f.display, f);
    const s = f && d.start !== undefined ? f.lines.position(d.start) : undefined;
    const e = f && d.end !== undefined ? f.lines.position(d.end) : s;
    const out: OutDiagnostic = {
      file: f?.display ?? null,
      ruleId: d.ruleId,
      severity: d.severity,
      message: d.message,
      line: s?.line ?? null,
      column: s?.column ?? null,
      endLine: e?.line ?? null,
      endColumn: e?.column ?? null,
    };
    if (d.fix) {
      out.fix = {
        description: d.fix.description,
        edits: d.fix.edits.map((ed) => {
          const a = ed.file.lines.position(ed.start);
          const b = ed.file.lines.position(ed.end);
          return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, text: ed.text };
        }),
      };
    }
    return out;
  });
  const count = (s: string) => diagnostics.filter((d) => d.severity === s).length;
  return { diagnostics, summary: { errors: count('error'), warnings: count('warning'), infos: count('info'), files: fileCount }, sources };
}
