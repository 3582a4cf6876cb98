import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { LineIndex } from './text.js';

/** A JSON value with its place in the source. */
export type JsonNode =
  | { kind: 'object'; start: number; end: number; members: JsonMember[] }
  | { kind: 'array'; start: number; end: number; items: JsonNode[] }
  | { kind: 'string'; start: number; end: number; value: string }
  | { kind: 'number'; start: number; end: number; value: number; raw: string }
  | { kind: 'boolean'; start: number; end: number; value: boolean }
  | { kind: 'null'; start: number; end: number };

export interface JsonMember {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

export interface JsonSyntaxError {
  message: string;
  start: number;
  end: number;
}

export interface JsonDocument {
  text: string;
  lines: LineIndex;
  root: JsonNode | undefined;
  errors: JsonSyntaxError[];
}

const MESSAGES: Record<string, string> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'property name expected',
  ValueExpected: 'value expected',
  ColonExpected: "':' expected",
  CommaExpected: "',' expected",
  CloseBraceExpected: "'}' expected",
  CloseBracketExpected: "']' expected",
  EndOfFileExpected: 'end of file expected',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unexpected end of comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unexpected end of number',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character',
  InvalidCharacter: 'invalid character in string',
};

function convert(node: Node, text: string): JsonNode {
  const start = node.offset;
  const end = node.offset + node.length;
  switch (node.type) {
    case 'object':
      return {
        kind: 'object',
        start,
        end,
        members: (node.children ?? []).flatMap((prop) => {
          const [k, v] = prop.children ?? [];
          if (!k || !v) return [];
          return [{ key: String(k.value), keyStart: k.offset, keyEnd: k.offset + k.length, value: convert(v, text) }];
        }),
      };
    case 'array':
      return { kind: 'array', start, end, items: (node.children ?? []).map((c) => convert(c, text)) };
    case 'string':
      return { kind: 'string', start, end, value: String(node.value) };
    case 'number':
      return { kind: 'number', start, end, value: Number(node.value), raw: text.slice(start, end) };
    case 'boolean':
      return { kind: 'boolean', start, end, value: Boolean(node.value) };
    default:
      return { kind: 'null', start, end };
  }
}

/** Parses strict JSON (no comments, no trailing commas), keeping positions of every value and key. */
export function parseJson(text: string): JsonDocument {
  const raw: ParseError[] = [];
  const tree = parseTree(text, raw, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const lines = new LineIndex(text);
  // Only the first error is reported: the parser's recovery makes the rest follow-on noise.
  const errors = raw.slice(0, 1).map((e) => {
    const code = printParseErrorCode(e.error);
    // A file cut short: point at what it left open, which is what the reader has to close.
    if (e.offset >= text.trimEnd().length) {
      const open = unclosedOpener(text, e.offset);
      if (open !== undefined) {
        const what = text[open] === '{' ? 'object' : 'array';
        return { message: `unclosed ${what} started at line ${lines.position(open).line}: the file ends before its closing '${what === 'object' ? '}' : ']'}'`, start: open, end: open + 1 };
      }
    }
    const start = Math.min(e.offset, text.length);
    return { message: MESSAGES[code] ?? code, start, end: Math.min(text.length, start + Math.max(e.length, 1)) };
  });
  return { text, lines, root: tree ? convert(tree, text) : undefined, errors };
}

/** The offset of the innermost `{` or `[` still open at `upTo`, skipping strings. */
function unclosedOpener(text: string, upTo: number): number | undefined {
  const stack: number[] = [];
  for (let i = 0; i < upTo; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < upTo && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{' || c === '[') stack.push(i);
    else if (c === '}' || c === ']') stack.pop();
  }
  return stack[stack.length - 1];
}

export function member(node: JsonNode | undefined, key: string): JsonMember | undefined {
  if (!node || node.kind !== 'object') return undefined;
  // Go's encoding/json keeps the last duplicate key; so do we.
  for (let i = node.members.length - 1; i >= 0; i--) if (node.members[i].key === key) return node.members[i];
  return undefined;
}

/** The plain JS value of a node (objects keep the last duplicate key). */
export function plainValue(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const m of node.members) o[m.key] = plainValue(m.value);
      return o;
    }
    case 'array':
      return node.items.map(plainValue);
    case 'null':
      return null;
    default:
      return node.value;
  }
}
