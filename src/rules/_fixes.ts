/** Fixes shared by rules, as text edits against the original source. */
import type { Config, RegistryDecl } from '../packer/config.js';
import type { SourceFile } from '../packer/unit.js';
import { attribute, walkExpr, type Attribute, type Block, type Body, type Statement } from '../syntax/hcl.js';
import { applyEdits, type Edit } from '../fix/apply.js';
import type { Fix, TextEdit } from './types.js';

/**
 * The whole lines a statement occupies, with the comment lines directly above it and the newline after it; when
 * blank lines would then meet, or a blank line would be left before the closing brace of the enclosing block, one of
 * them goes too. Removing this span leaves no stub behind.
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
  const before = s === 0 ? '' : text.slice(text.lastIndexOf('\n', s - 2) + 1, s);
  const after = /^[ \t]*\r?\n/.exec(text.slice(e));
  if (after && /^[ \t]*\r?\n$/.test(before)) e += after[0].length;
  else if (/^[ \t]*\r?\n$/.test(before) && /^[ \t]*\}/.test(text.slice(e))) s -= before.length;
  return { start: s, end: e };
}

/** Whether [start, end) stands on lines of its own: only indentation before it, at most a comment after it. */
export function ownLines(text: string, start: number, end: number): boolean {
  const nl = text.indexOf('\n', end);
  return /^[ \t]*$/.test(text.slice(text.lastIndexOf('\n', start - 1) + 1, start)) && /^[ \t]*((#|\/\/).*)?\r?$/.test(text.slice(end, nl < 0 ? text.length : nl));
}

/** The line numbers (1-based) inside heredocs of a body: their text is a value, never re-indented. */
function heredocLines(file: SourceFile, body: Body): Set<number> {
  const out = new Set<number>();
  const visit = (b: Body) => {
    for (const s of b.statements) {
      if (s.kind === 'block') visit(s.body);
      else
        walkExpr(s.expr, (x) => {
          if (x.kind !== 'template' || !x.heredoc) return;
          const first = file.lines.position(x.start).line;
          const last = file.lines.position(x.end).line;
          // The lines between the opening line and the closing marker's line.
          for (let l = first + 1; l < last; l++) out.add(l);
        });
    }
  };
  visit(body);
  return out;
}

function hasDynamic(b: Block): boolean {
  return b.type === 'dynamic' || b.body.statements.some((s) => s.kind === 'block' && hasDynamic(s));
}

/** The text of a statement (with the lines the span adds), re-indented to the top level; `keep` lines (0-based) kept. */
function dedent(file: SourceFile, from: number, text: string, keep: Set<number>, eol: string): string {
  const indent = /^[ \t]*/.exec(file.text.slice(from))![0];
  return text
    .replace(/(\r?\n[ \t]*)+$/, '')
    .split(/\r?\n/)
    .map((l, i) => (keep.has(i) ? l : l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()))
    .join(eol);
}

/** The line of text that sets bucket_name in a block, aligned as packer fmt aligns it with a run of arguments below. */
function withBucketName(file: SourceFile, block: Block, nameText: string): string | undefined {
  const text = file.text;
  const open = text.indexOf('{', block.labels.length ? block.labels[block.labels.length - 1].end : block.typeEnd);
  const lineOf = (o: number) => file.lines.position(o).line;
  if (open < 0 || lineOf(open) === lineOf(block.end)) return undefined; // a one-line block: left to the user
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const blockIndent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', block.start) + 1))![0];
  const first = block.body.statements[0] as Statement | undefined;
  const inner = first ? /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', first.start) + 1))![0] : blockIndent + '  ';
  // The run of single-line arguments at the top of the block, which the new line joins.
  const run: Attribute[] = [];
  for (const s of block.body.statements) {
    const prev = run.length ? run[run.length - 1] : undefined;
    if (s.kind !== 'attribute' || lineOf(s.start) !== lineOf(s.end)) break;
    if (prev ? lineOf(s.start) !== lineOf(prev.start) + 1 : lineOf(s.start) !== lineOf(open) + 1) break;
    run.push(s);
  }
  const width = Math.max('bucket_name'.length, ...run.map((a) => a.nameEnd - a.nameStart));
  const edits: Edit[] = [];
  const lineEnd = text.indexOf('\n', open) + 1;
  edits.push({ start: lineEnd - block.start, end: lineEnd - block.start, text: `${inner}bucket_name${' '.repeat(width - 'bucket_name'.length + 1)}= ${nameText}${eol}` });
  for (const a of run) {
    const eq = text.indexOf('=', a.nameEnd);
    const padding = ' '.repeat(width - (a.nameEnd - a.nameStart) + 1);
    if (text.slice(a.nameEnd, eq) !== padding) edits.push({ start: a.nameEnd - block.start, end: eq - block.start, text: padding });
  }
  return applyEdits(text.slice(block.start, block.end), edits).text;
}

/**
 * Moves the build-level registry block of a unit with one build to the top level of its file: after the last
 * variable, locals, source or data block before the first build (or before the first build), with the comment lines
 * above it; when it has no bucket_name and the build has a name, that name becomes its bucket_name, since a top-level
 * block does not fall back to the build's name. Returns why not, when it cannot.
 */
export function moveRegistryToTop(r: RegistryDecl, cfg: Config): { fix: Fix } | { why: string } {
  if (hasDynamic(r.block)) return { why: r.dynamic ? 'the block is generated by dynamic, which pkrlint does not rewrite' : 'the block has dynamic content, which pkrlint does not rewrite' };
  if (cfg.builds.length > 1) return { why: `the unit has ${cfg.builds.length} builds and a top-level block applies to all of them` };
  if (cfg.registries.length > 1) return { why: 'the unit has another hcp_packer_registry block' };
  const file = r.file;
  if (!r.build || r.build.file !== file || !file.hcl || file.kind !== 'hcl') return { why: 'the block is not in an HCL file pkrlint can rewrite' };
  const text = file.text;
  if (!ownLines(text, r.block.start, r.block.end)) return { why: 'the block shares its lines with other code; move it by hand' };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const span = lineSpan(text, r.block.start, r.block.end);
  // The lines moved: the span without a blank line it takes from before the block.
  const from = span.start + /^([ \t]*\r?\n)*/.exec(text.slice(span.start, r.block.start))![0].length;
  let moved = text.slice(from, span.end);
  const firstLine = file.lines.position(from).line;
  let addedAfter = Infinity;
  const name = attribute(r.build.block.body, 'name');
  if (!attribute(r.block.body, 'bucket_name') && name) {
    const block = withBucketName(file, r.block, text.slice(name.expr.start, name.expr.end));
    if (block === undefined) return { why: 'the block is written on one line; set bucket_name and move it by hand' };
    moved = text.slice(from, r.block.start) + block + text.slice(r.block.end, span.end);
    addedAfter = file.lines.position(r.block.start).line;
  }
  // Heredoc lines, as 0-based lines of the moved text (shifted by the bucket_name line when one was added).
  const keep = new Set([...heredocLines(file, r.block.body)].map((l) => l - firstLine + (l > addedAfter ? 1 : 0)));
  const blockText = dedent(file, from, moved, keep, eol);
  const insert = topLevelInsert(file, blockText);
  return {
    fix: {
      description: 'Move hcp_packer_registry to the top level',
      edits: [{ file, start: span.start, end: span.end, text: '' }, insert],
    },
  };
}

const ANCHORS = new Set(['variable', 'variables', 'locals', 'local', 'source', 'data']);

/**
 * The edit that puts a top-level block (its text, without a final newline) where a reader looks for it: after the last
 * variable, locals, source or data block before the file's first build, or right before that build (and its comments).
 */
export function topLevelInsert(file: SourceFile, blockText: string): TextEdit {
  const text = file.text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const top = file.hcl!.body.statements;
  const firstBuild = top.findIndex((s) => s.kind === 'block' && s.type === 'build');
  const before = top.slice(0, firstBuild < 0 ? top.length : firstBuild);
  const anchor = before.filter((s) => s.kind === 'block' && ANCHORS.has(s.type)).pop();
  if (anchor || firstBuild < 0) {
    const after = anchor?.end ?? text.length;
    const nl = text.indexOf('\n', after);
    const at = nl < 0 ? text.length : nl + 1;
    const rest = text.slice(at);
    const blankAfter = rest === '' || /^[ \t]*\r?\n/.test(rest);
    const lead = at === 0 ? '' : nl < 0 ? eol + eol : eol;
    return { file, start: at, end: at, text: `${lead}${blockText}${eol}${blankAfter ? '' : eol}` };
  }
  const at = lineSpan(text, top[firstBuild].start, top[firstBuild].end).start;
  return { file, start: at, end: at, text: `${blockText}${eol}${eol}` };
}

/**
 * Renames an argument, keeping the file as `packer fmt` would write it: in HCL, the `=` of a run of single-line
 * arguments on consecutive lines is aligned one space after the longest name, so the run is re-padded for the new
 * name. In JSON only the key changes.
 */
export function renameArgument(file: SourceFile, body: Body, attr: Attribute, name: string, description: string): Fix {
  return { description, edits: renameArguments(file, body, new Map([[attr, name]])) };
}

/**
 * The edits that rename several arguments of one body at once, so that they do not overlap: each run of aligned
 * arguments is re-padded once; arguments in `removed` (whose lines the caller deletes) are left out of the alignment,
 * and the runs they leave are re-padded too.
 */
export function renameArguments(file: SourceFile, body: Body, renames: ReadonlyMap<Attribute, string>, removed: ReadonlySet<Attribute> = new Set()): TextEdit[] {
  if (file.kind !== 'hcl' && file.kind !== 'pkrvars-hcl') {
    return [...renames].map(([attr, name]) => ({ file, start: attr.nameStart, end: attr.nameEnd, text: JSON.stringify(name) }));
  }
  const line = (offset: number) => file.lines.position(offset).line;
  const singleLine = (s: Statement): s is Attribute => s.kind === 'attribute' && line(s.start) === line(s.end);
  const nameOf = (a: Attribute) => renames.get(a) ?? file.text.slice(a.nameStart, a.nameEnd);
  const edits: TextEdit[] = [];
  const done = new Set<Attribute>();
  // The runs to re-pad: those of the renamed arguments, and those a removed argument leaves (its name may have been
  // the longest of its run).
  for (const attr of [...renames.keys(), ...removed]) {
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

/**
 * The fix of an ignore comment that suppressed nothing (unused-ignore): without `keep`, the comment goes (a comment
 * on a line of its own with its line, a trailing one with the spaces before it); with `keep`, only the rule ids not
 * kept are taken out of its list, and the reason after `--` stays.
 */
export function ignoreCommentFix(file: SourceFile, start: number, end: number, keep: string[]): Fix | undefined {
  if (file.kind !== 'hcl' && file.kind !== 'pkrvars-hcl') return undefined;
  const text = file.text;
  const stop = text[end - 1] === '\r' ? end - 1 : end;
  if (keep.length) {
    const comment = text.slice(start, stop);
    const colon = comment.indexOf(':');
    const reason = comment.indexOf('--', colon);
    const idsEnd = reason < 0 ? comment.trimEnd().length : reason;
    return {
      description: `Keep only ${keep.join(', ')} in the ignore comment`,
      edits: [{ file, start: start + colon + 1, end: start + idsEnd, text: ` ${keep.join(', ')}${reason < 0 ? '' : ' '}` }],
    };
  }
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const description = 'Remove the ignore comment';
  if (/^[ \t]*$/.test(text.slice(lineStart, start))) {
    const nl = text.indexOf('\n', stop);
    let e = nl < 0 ? text.length : nl + 1;
    const prev = lineStart === 0 ? '' : text.slice(text.lastIndexOf('\n', lineStart - 2) + 1, lineStart);
    const next = /^[ \t]*\r?\n/.exec(text.slice(e, text.indexOf('\n', e) + 1 || text.length));
    // Between two blank lines (or a blank line and either end of the file), one of them goes too.
    if ((lineStart === 0 || /^[ \t]*\r?\n$/.test(prev)) && (next || e === text.length)) e += next ? next[0].length : 0;
    return { description, edits: [{ file, start: lineStart, end: e, text: '' }] };
  }
  const ws = /[ \t]*$/.exec(text.slice(lineStart, start))![0].length;
  return { description, edits: [{ file, start: start - ws, end: stop, text: '' }] };
}
