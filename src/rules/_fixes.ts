/** Fixes shared by rules, as text edits against the original source. */
import type { RegistryDecl } from '../packer/config.js';
import type { Fix } from './types.js';

/**
 * The whole lines a statement occupies, with the comment lines directly above it and the newline after it; when
 * blank lines would then meet, one of them goes too. Removing this span leaves no stub behind.
 */
function lineSpan(text: string, start: number, end: number): { start: number; end: number } {
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
