/** The stable, position-resolved form of a diagnostic that every formatter prints. */
import type { Diagnostic, SeveritySetting } from '../lint/lint.js';
import type { SourceFile } from '../packer/unit.js';
import type { RuleMeta } from '../rules/types.js';

/** Where pkrlint lives, for formats that link to it (SARIF `informationUri`). */
export const PROJECT_URL = 'https://github.com/pkrlint/pkrlint';
/** Rule documentation links are this + `docs/rules/<id>.md`. */
export const DOCS_BASE_URL = `${PROJECT_URL}/blob/main/`;

export interface OutEdit {
  /** Only for an edit in another file of the configuration than the finding's (a renamed data source's references). */
  file?: string;
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
  /** The CI context whose environment caused the finding ("workflow build.yml, job images"); absent for the local environment. */
  context?: string;
  /** `suggestion`: may change meaning; offered, never applied by --fix. */
  fix?: { description: string; suggestion?: true; edits: OutEdit[] };
}

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
  /** Files read (the JSON format documents this one). */
  files: number;
  /** Distinct files with at least one shown finding; findings with no file count in none. */
  filesWithProblems: number;
}

export interface Results {
  diagnostics: OutDiagnostic[];
  summary: Summary;
  /** Source text per file, for code frames. */
  sources: Map<string, SourceFile>;
}

/** What a format needs to know of a rule (SARIF lists every rule of the run). */
export interface RuleInfo {
  id: string;
  description: string;
  defaultSeverity: 'error' | 'warning' | 'info' | 'off';
  fixable: boolean;
  /** `docs/rules/<id>.md`, relative to the repository root. */
  docsPath: string;
}

/** A rule's metadata as formats see it; `configured` is the severity the configuration file gives it, if any. */
export function toRuleInfo(meta: RuleMeta, configured?: SeveritySetting): RuleInfo {
  return { id: meta.id, description: meta.description, defaultSeverity: configured ?? meta.severity, fixable: meta.fixable, docsPath: `docs/rules/${meta.id}.md` };
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
    if (d.context !== undefined) out.context = d.context;
    if (d.fix) {
      out.fix = {
        description: d.fix.description,
        ...(d.fix.suggestion ? { suggestion: true } : {}),
        edits: d.fix.edits.map((ed) => {
          const a = ed.file.lines.position(ed.start);
          const b = ed.file.lines.position(ed.end);
          return { ...(ed.file !== f ? { file: ed.file.display } : {}), line: a.line, column: a.column, endLine: b.line, endColumn: b.column, text: ed.text };
        }),
      };
    }
    return out;
  });
  const count = (s: string) => diagnostics.filter((d) => d.severity === s).length;
  const filesWithProblems = new Set(diagnostics.flatMap((d) => (d.file === null ? [] : [d.file]))).size;
  return { diagnostics, summary: { errors: count('error'), warnings: count('warning'), infos: count('info'), files: fileCount, filesWithProblems }, sources };
}

/** Findings by file in order of first appearance; `null` holds the findings with no file. */
export function groupByFile(diagnostics: OutDiagnostic[]): Map<string | null, OutDiagnostic[]> {
  const groups = new Map<string | null, OutDiagnostic[]>();
  for (const d of diagnostics) {
    const list = groups.get(d.file);
    if (list) list.push(d);
    else groups.set(d.file, [d]);
  }
  return groups;
}
