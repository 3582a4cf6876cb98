/** Parser limits (docs/security.md): input tree-sitter-hcl cannot hold is refused before parsing; a parse is given a deadline. */
import type { SyntaxIssue } from './hcl-model.js';

/**
 * tree-sitter-hcl keeps a stack of open strings, heredocs, interpolations and directives in its external scanner,
 * and tree-sitter stores it in at most 1024 bytes (TREE_SITTER_SERIALIZATION_BUFFER_SIZE), 127 entries and 127-byte
 * heredoc markers: past that the scanner silently loses its state, the parse is wrong, and its error recovery turns
 * quadratic (57 s for 400 KB of nested `"${`). Packer has no such limit. This linear scan follows the same contexts
 * and says where a file goes past what the parser can hold; such a file gets one finding and is not parsed.
 */
export function beyondParser(text: string): SyntaxIssue | undefined {
  // Serialized: 4 bytes of count, then per context 4 bytes of type, 4 of marker length, the marker. Margin kept.
  const LIMIT_BYTES = 1000;
  const LIMIT_ENTRIES = 120;
  type Ctx = { k: 'code'; braces: number } | { k: 'str' } | { k: 'heredoc'; marker: string; indented: boolean };
  const stack: Ctx[] = [{ k: 'code', braces: 0 }];
  let bytes = 4;
  const n = text.length;
  const beyondParser = (at: number, why: string): SyntaxIssue => ({
    message: `${why}: more than pkrlint's HCL parser (tree-sitter-hcl) can hold, although Packer reads it; not checked`,
    start: at,
    end: Math.min(n, at + 1),
  });
  const push = (c: Ctx, at: number): SyntaxIssue | undefined => {
    stack.push(c);
    const marker = c.k === 'heredoc' ? c.marker.length : 0;
    bytes += 8 + marker;
    // The file's own level is not a scanner context; interpolations are (code contexts above the first).
    if (marker > 127) return beyondParser(at, `a heredoc marker of ${marker} characters`);
    if (stack.length - 1 > LIMIT_ENTRIES || bytes > LIMIT_BYTES) return beyondParser(at, `strings, heredocs and interpolations nested ${stack.length - 1} deep`);
    return undefined;
  };
  const pop = () => {
    const c = stack.pop()!;
    bytes -= 8 + (c.k === 'heredoc' ? c.marker.length : 0);
  };
  let i = 0;
  let lineStart = true;
  /** In template text: `$${` and `%%{` are escapes; `${` and `%{` open an interpolation or a directive. */
  const templateChar = (c: string): SyntaxIssue | undefined => {
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') i += 3;
    else if ((c === '$' || c === '%') && text[i + 1] === '{') {
      const bad = push({ k: 'code', braces: 0 }, i);
      if (bad) return bad;
      i += 2;
    } else i++;
    return undefined;
  };
  const heredocStart = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/y;
  while (i < n) {
    const top = stack[stack.length - 1];
    const c = text[i];
    if (top.k === 'code') {
      if (c === '#' || (c === '/' && text[i + 1] === '/')) {
        while (i < n && text[i] !== '\n') i++;
        continue;
      }
      if (c === '/' && text[i + 1] === '*') {
        const e = text.indexOf('*/', i + 2);
        i = e < 0 ? n : e + 2;
        continue;
      }
      if (c === '"') {
        const bad = push({ k: 'str' }, i);
        if (bad) return bad;
        i++;
        continue;
      }
      if (c === '<' && text[i + 1] === '<') {
        heredocStart.lastIndex = i;
        const m = heredocStart.exec(text);
        if (m) {
          const bad = push({ k: 'heredoc', marker: m[2], indented: m[1] === '-' }, i);
          if (bad) return bad;
          i += m[0].length;
          lineStart = true;
          continue;
        }
      }
      if (stack.length > 1) {
        if (c === '{') top.braces++;
        else if (c === '}') {
          if (top.braces === 0) pop();
          else top.braces--;
        }
      }
      i++;
      continue;
    }
    if (top.k === 'str') {
      // tree-sitter-hcl lets a quoted string run on across lines (an error reported later): so does this scan.
      if (c === '\\') i += 2;
      else if (c === '"') {
        pop();
        i++;
      } else {
        const bad = templateChar(c);
        if (bad) return bad;
      }
      continue;
    }
    // A heredoc: its closing marker stands alone on a line.
    if (lineStart) {
      const eol = text.indexOf('\n', i);
      const line = text.slice(i, eol < 0 ? n : eol).replace(/\r$/, '');
      if (line.trim() === top.marker) {
        pop();
        i = eol < 0 ? n : eol;
        lineStart = false;
        continue;
      }
    }
    lineStart = c === '\n';
    const bad = templateChar(c);
    if (bad) return bad;
  }
  return undefined;
}

/**
 * tree-sitter's error recovery costs time quadratic in the number of errors it meets (tree-sitter PR #5801 fixes it
 * upstream): 32 KB of `"}` takes seconds. A parse gets 250 ms plus 10 µs per character — some 25 times what a valid
 * file needs — after which it stops with a finding. The limit is on time, so it bounds the cost on any input; a
 * template a person wrote never comes near it.
 */
export function parseDeadline(length: number): { expired: () => boolean; issue: (text: string) => SyntaxIssue } {
  const started = performance.now();
  const budget = 250 + length / 100;
  return {
    expired: () => performance.now() - started > budget,
    issue: (text) => ({
      message: `pkrlint gave up parsing this file after ${((performance.now() - started) / 1000).toFixed(1)} s: it has more syntax errors than its parser can untangle in reasonable time; check it with \`packer validate -syntax-only\``,
      start: 0,
      end: Math.min(1, text.length),
    }),
  };
}
