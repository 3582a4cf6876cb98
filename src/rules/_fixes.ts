/** Fixes shared by rules, as text edits against the original source. */
import type { RegistryDecl } from '../packer/config.js';
import type { Fix } from './types.js';

/** The whole lines a block occupies, with the newline after it, so that removing it leaves no blank stub. */
function lineSpan(text: string, start: number, end: number): { start: number; end: number } {
  const s = text.lastIndexOf('\n', start - 1) + 1;
  const nl = text.indexOf('\n', end);
  return { start: /^[ \t]*$/.test(text.slice(s, start)) ? s : start, end: nl < 0 ? text.length : nl + 1 };
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
    .replace(/\r?\n$/, '')
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
