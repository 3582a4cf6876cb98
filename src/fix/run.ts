/**
 * `check --fix`: applies the fixes of the findings a check reports, as ESLint does. Fixes are text edits against the
 * text as it is at the start of a pass; a pass applies every fix that does not overlap one already taken (a fix's
 * edits go in together or not at all, across files), then the unit is checked again, at most MAX_PASSES times.
 * A pass that would give a file a syntax error it did not have is abandoned for that file, which is reported and
 * not fixed further. Suggestions (fixes that may change meaning) are never applied. Nothing is written here.
 */
import { runCheck, type CheckOptions, type CheckResult } from '../lint/run.js';
import type { Diagnostic } from '../lint/lint.js';
import { fileFrom, type SourceFile } from '../packer/unit.js';
import type { Fix } from '../rules/types.js';
import { applyEdits, type Edit } from './apply.js';

export const MAX_PASSES = 10;

export interface FileChange {
  path: string;
  display: string;
  /** The file as it was, and as fixed; both without the byte order mark, which `bom` says to keep. */
  before: string;
  after: string;
  bom: boolean;
}

export interface FixRun {
  /** The check of the fixed text: the findings that remain. */
  result: CheckResult;
  changes: FileChange[];
  /** Files whose fixes were given up, with the reason (a syntax error the fixes would have made). */
  abandoned: Array<{ display: string; reason: string }>;
  passes: number;
}

interface Tracked {
  file: SourceFile;
  original: string;
  text: string;
}

/** The fixes of one pass that can go in together: none overlaps an earlier one, and none touches a frozen file. */
function choose(diags: Diagnostic[], only: Set<string> | undefined, frozen: Set<string>): Fix[] {
  const taken = new Map<string, Edit[]>();
  const out: Fix[] = [];
  for (const d of diags) {
    const fix = d.fix;
    if (!fix || fix.suggestion || fix.edits.length === 0 || (only && !only.has(d.ruleId))) continue;
    if (fix.edits.some((e) => frozen.has(e.file.path))) continue;
    const overlaps = fix.edits.some((e) => (taken.get(e.file.path) ?? []).some((t) => e.start < t.end && t.start < e.end || (e.start === e.end && e.start === t.start) || (t.start === t.end && t.start === e.start)));
    if (overlaps) continue;
    for (const e of fix.edits) taken.set(e.file.path, [...(taken.get(e.file.path) ?? []), e]);
    out.push(fix);
  }
  return out;
}

/** Each file's text after the given fixes. */
function applyFixes(fixes: Fix[], current: Map<string, Tracked>): Map<string, string> {
  const byFile = new Map<string, { file: SourceFile; edits: Edit[] }>();
  for (const fix of fixes) {
    for (const e of fix.edits) {
      const entry = byFile.get(e.file.path) ?? { file: e.file, edits: [] };
      entry.edits.push(e);
      byFile.set(e.file.path, entry);
    }
  }
  const out = new Map<string, string>();
  for (const [path, { file, edits }] of byFile) {
    const base = current.get(path)?.text ?? file.text;
    out.set(path, applyEdits(base, edits).text);
  }
  return out;
}

export function runFix(opts: CheckOptions, only?: Set<string>): FixRun {
  const tracked = new Map<string, Tracked>();
  const overlay = new Map(opts.overlay ?? []);
  const frozen = new Set<string>();
  const abandoned: FixRun['abandoned'] = [];
  let passes = 0;
  let result = runCheck({ ...opts, overlay });
  while (passes < MAX_PASSES) {
    let fixes = choose(result.diagnostics, only, frozen);
    if (fixes.length === 0) break;
    passes++;
    let texts = applyFixes(fixes, tracked);
    // A file the fixes would break is left as it was, with every fix that touches it.
    for (const [path, text] of texts) {
      const file = fixes.flatMap((f) => f.edits).find((e) => e.file.path === path)!.file;
      const had = new Set((tracked.get(path)?.file ?? file).syntaxErrors.map((e) => e.message));
      const now = fileFrom(path, opts.cwd, file.kind, text);
      const introduced = now.syntaxErrors.find((e) => !had.has(e.message));
      if (!introduced) continue;
      frozen.add(path);
      abandoned.push({ display: file.display, reason: `the fixes would introduce a syntax error (${introduced.message}); this file was not fixed further` });
      fixes = fixes.filter((f) => !f.edits.some((e) => e.file.path === path));
      texts = applyFixes(fixes, tracked);
    }
    if (fixes.length === 0) continue;
    for (const [path, text] of texts) {
      const file = fixes.flatMap((f) => f.edits).find((e) => e.file.path === path)!.file;
      const t = tracked.get(path) ?? { file, original: file.text, text: file.text };
      t.text = text;
      tracked.set(path, t);
      overlay.set(path, (file.bom ? '\ufeff' : '') + text);
    }
    result = runCheck({ ...opts, overlay });
    // Keep each tracked file's latest parse, for the syntax comparison of the next pass.
    for (const d of result.diagnostics) if (d.file && tracked.has(d.file.path)) tracked.get(d.file.path)!.file = d.file;
  }
  const changes = [...tracked.values()]
    .filter((t) => t.text !== t.original)
    .map((t) => ({ path: t.file.path, display: t.file.display, before: t.original, after: t.text, bom: t.file.bom }))
    .sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
  return { result, changes, abandoned, passes };
}
