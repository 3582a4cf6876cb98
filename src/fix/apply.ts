/** Applies text edits to an original text: sorted, overlapping edits left for a later pass (as ESLint does). */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

export function applyEdits(text: string, edits: readonly Edit[]): { text: string; applied: Edit[]; skipped: Edit[] } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const applied: Edit[] = [];
  const skipped: Edit[] = [];
  let out = '';
  let cursor = 0;
  for (const e of sorted) {
    if (e.start < cursor || e.end < e.start || e.end > text.length) {
      skipped.push(e);
      continue;
    }
    out += text.slice(cursor, e.start) + e.text;
    cursor = e.end;
    applied.push(e);
  }
  return { text: out + text.slice(cursor), applied, skipped };
}
