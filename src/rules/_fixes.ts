/** Fixes shared by rules, as text edits against the original source. */
import type { RegistryDecl } from '../packer/config.js';
import type { SourceFile } from '../packer/unit.js';
import type { Attribute, Body, Statement } from '../syntax/hcl.js';
import type { Fix, TextEdit } from './types.js';

/**
 * The whole lines a statement occupies, with the comment lines directly above it and the newline after it; when
 * blank lines would then meet, one of them goes too. Removing this span leaves no stub behind.
 */
export function lineSpan(text: string, start: number, end: number): { start: number; end: number } {
  let s = text.lastIndexOf('\n', start - 1) + 1;
  if (!/^[ \t]*$/.test(text.slice(s, start))) s = start;
  for (;;) {
    const prev = text.lastIndexOf('\n', s - 2) + 1;
    if (s === 0 || !/^[ \t]*(#|\/\/)/.test(text.slice(prev, s))) break;
    s = prev;
  }
  const nl = text.indexOf('\n', end);
  let e = nl < 0 ? text.length : nl + 1;
  const before = text.slice(text.lastIndexOf('\n', s - 2) + 1, s);
  const after = /^[ \t]*\r?\n/.exec(text.slice(e));
  if (after && /^[ \t]*\r?\n$/.test(before)) e += after[0].length;
  return { start: s, end: e };
}

/** Moves a build-level registry block to the top level, right after its build block, re-indented. */
export function moveRegistryToTop(r: RegistryDecl): Fix | undefined {
  if (!r.build || r.build.file !== r.file || !r.file.hcl || r.file.kind !== 'hcl') return undefined;
  const text = r.file.text;
  const span = lineSpan(text, r.block.start, r.block.end);
  const indent = /^[ \t]*/.exec(text.slice(span.start))![0];
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const blockText = text
    .slice(span.start, span.end)
    .replace(/(\r?\n[ \t]*)+$/, '')
    .split(/\r?\n/)
    .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
    .join(eol);
  const buildEnd = r.build.block.end;
  return {
    description: 'Move hcp_packer_registry to the top level',
    edits: [
      { file: r.file, start: span.start, end: span.end, text: '' },
      { file: r.file, start: buildEnd, end: buildEnd, text: `${eol}${eol}${blockText}` },
    ],
  };
}

/**
 * Renames an argument, keeping the file as `packer fmt` would write it: in HCL, the `=` of a run of single-line
 * arguments on consecutive lines is aligned one space after the longest name, so the run is re-padded for the new
 * name. In JSON only the key changes.
 */
export function renameArgument(file: SourceFile, body: Body, attr: Attribute, name: string, description: string): Fix {
  if (file.kind !== 'hcl' && file.kind !== 'pkrvars-hcl') {
    return { description, edits: [{ file, start: attr.nameStart, end: attr.nameEnd, text: JSON.stringify(name) }] };
  }
  return { description, edits: renameArguments(file, body, new Map([[attr, name]])) };
}

/**
 * Renames several arguments of one HCL body at once (and leaves out of the alignment those in `removed`, whose lines
 * the caller deletes), so that the edits do not overlap: each run of aligned arguments is re-padded once.
 */
export function renameArguments(file: SourceFile, body: Body, renames: ReadonlyMap<Attribute, string>, removed: ReadonlySet<Attribute> = new Set()): TextEdit[] {
  const line = (offset: number) => file.lines.position(offset).line;
  const singleLine = (s: Statement): s is Attribute => s.kind === 'attribute' && line(s.start) === line(s.end);
  const nameOf = (a: Attribute) => renames.get(a) ?? file.text.slice(a.nameStart, a.nameEnd);
  const edits: TextEdit[] = [];
  const done = new Set<Attribute>();
  for (const attr of renames.keys()) {
    if (done.has(attr)) continue;
    const i = body.statements.indexOf(attr);
    // The run of single-line arguments on consecutive lines around the renamed one (how packer fmt groups them).
    let first = i;
    let last = i;
    if (singleLine(attr)) {
      while (first > 0 && singleLine(body.statements[first - 1]) && line(body.statements[first - 1].start) === line(body.statements[first].start) - 1) first--;
      while (last < body.statements.length - 1 && singleLine(body.statements[last + 1]) && line(body.statements[last + 1].start) === line(body.statements[last].start) + 1) last++;
    }
    const run = (body.statements.slice(first, last + 1) as Attribute[]).filter((a) => !removed.has(a));
    const width = Math.max(...run.map((a) => nameOf(a).length));
    for (const a of run) {
      done.add(a);
      const eq = file.text.indexOf('=', a.nameEnd);
      const newName = nameOf(a);
      const padding = ' '.repeat(width - newName.length + 1);
      if (renames.has(a)) edits.push({ file, start: a.nameStart, end: eq, text: newName + padding });
      else if (file.text.slice(a.nameEnd, eq) !== padding) edits.push({ file, start: a.nameEnd, end: eq, text: padding });
    }
  }
  return edits;
}
