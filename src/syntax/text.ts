/** Positions in source text. Offsets are UTF-16 code unit offsets into the JS string; lines and columns are 1-based. */
export interface Position {
  line: number;
  column: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Maps string offsets to 1-based line/column and back. Columns count UTF-16 code units, as editors do. */
export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.starts[lo] + 1 };
  }

  offset(pos: Position): number {
    const line = Math.max(1, Math.min(pos.line, this.starts.length));
    return Math.min(this.starts[line - 1] + pos.column - 1, this.text.length);
  }

  /** The text of a 1-based line without its line terminator. */
  lineText(line: number): string {
    const s = this.starts[line - 1];
    if (s === undefined) return '';
    const e = line < this.starts.length ? this.starts[line] : this.text.length;
    return this.text.slice(s, e).replace(/\r?\n$/, '');
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line - 1, this.starts.length - 1))];
  }
}

/** Strips a UTF-8 byte order mark, returning the text and how many code units were removed. */
export function stripBom(text: string): { text: string; bom: boolean } {
  return text.charCodeAt(0) === 0xfeff ? { text: text.slice(1), bom: true } : { text, bom: false };
}

/**
 * How deep pkrlint models what it reads. Packer accepts deeper nesting, and so does pkrlint: past these depths an
 * expression is kept as an opaque value (unknown to every rule) and a block's body as empty, so that no step after
 * parsing recurses without bound. Real templates nest a few levels.
 */
export const MAX_EXPRESSION_DEPTH = 200;
export const MAX_BLOCK_DEPTH = 64;

/** Text for a message: at most `max` characters, an ellipsis where it was cut. */
export function clip(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
