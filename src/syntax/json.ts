/**
 * Strict JSON (RFC 8259) with the place of every value and key. The parser keeps its own stack instead of recursing,
 * so a document nested tens of thousands deep is read (or refused with a finding) without exhausting the call stack.
 */
import { clip, LineIndex } from './text.js';

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
  /** On a syntax error, what was read up to it (open objects and arrays closed there). */
  root: JsonNode | undefined;
  /** At most one: what follows the first error is not read. */
  errors: JsonSyntaxError[];
}

export interface JsonParseOptions {
  /**
   * Read as Go's encoding/json reads a legacy template: nesting deeper than 10000 ("exceeded max depth") and a
   * number a float64 cannot hold ("cannot unmarshal number … into Go value of type float64") are errors.
   */
  go?: boolean;
}

/** encoding/json's maxNestingDepth. */
export const GO_MAX_DEPTH = 10000;

type Container = Extract<JsonNode, { kind: 'object' | 'array' }>;

class Stop extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c === 95;

/** Parses strict JSON (no comments, no trailing commas), keeping positions of every value and key. */
export function parseJson(text: string, opts: JsonParseOptions = {}): JsonDocument {
  const lines = new LineIndex(text);
  const n = text.length;
  const stack: Container[] = [];
  /** The key waiting for its value, per open object. */
  const keys: Array<{ key: string; keyStart: number; keyEnd: number } | undefined> = [];
  let root: JsonNode | undefined;
  let i = 0;

  const stop = (message: string, start: number, len = 1): never => {
    throw new Stop(message, Math.min(start, n), Math.min(n, start + Math.max(len, 1)));
  };
  const skipWs = () => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) continue;
      if (c === 47 && (text[i + 1] === '/' || text[i + 1] === '*')) stop('comments are not allowed in JSON', i, 2);
      return;
    }
  };
  /** The length of the token at `at`, for the range of a finding. */
  const tokenLength = (at: number) => {
    let e = at;
    while (e < n && isWordChar(text.charCodeAt(e))) e++;
    return Math.max(1, e - at);
  };
  const attach = (v: JsonNode) => {
    const top = stack[stack.length - 1];
    if (!top) root = v;
    else if (top.kind === 'array') top.items.push(v);
    else {
      const k = keys[keys.length - 1]!;
      top.members.push({ ...k, value: v });
      keys[keys.length - 1] = undefined;
    }
  };
  const readString = (): string => {
    const start = i;
    let out = '';
    let from = ++i;
    for (;;) {
      if (i >= n) stop('unterminated string', start, i - start);
      const c = text.charCodeAt(i);
      if (c === 34) {
        out += text.slice(from, i);
        i++;
        return out;
      }
      if (c === 92) {
        out += text.slice(from, i);
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) stop('invalid unicode escape', i, 2 + hex.length);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else stop('invalid escape character', i, 2);
        from = i;
        continue;
      }
      if (c === 10 || c === 13) stop('unterminated string', start, i - start);
      if (c < 0x20) stop('invalid character in string', i);
      i++;
    }
  };
  const readNumber = (): JsonNode => {
    const start = i;
    if (text[i] === '-') i++;
    if (!isDigit(text.charCodeAt(i))) stop('invalid symbol', start, tokenLength(i) + (i - start));
    if (text[i] === '0') i++;
    else while (isDigit(text.charCodeAt(i))) i++;
    if (text[i] === '.') {
      i++;
      if (!isDigit(text.charCodeAt(i))) stop('unexpected end of number', start, i - start);
      while (isDigit(text.charCodeAt(i))) i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!isDigit(text.charCodeAt(i))) stop('unexpected end of number', start, i - start);
      while (isDigit(text.charCodeAt(i))) i++;
    }
    const raw = text.slice(start, i);
    const value = Number(raw);
    if (opts.go && !Number.isFinite(value)) {
      const shown = clip(raw, 40);
      stop(`number ${shown} is out of range: Packer cannot read it ("cannot unmarshal number ${shown} into Go value of type float64")`, start, raw.length);
    }
    return { kind: 'number', start, end: i, value, raw };
  };
  const word = (): JsonNode => {
    const start = i;
    const len = tokenLength(i);
    const w = text.slice(i, i + len);
    if (w !== 'true' && w !== 'false' && w !== 'null') stop('invalid symbol', start, len);
    i += len;
    return w === 'null' ? { kind: 'null', start, end: i } : { kind: 'boolean', start, end: i, value: w === 'true' };
  };
  const close = (end: number) => {
    const c = stack.pop()!;
    if (c.kind === 'object') keys.pop();
    c.end = end;
  };

  try {
    // What the parser expects next: a value, the first key or value of a container (which may also close it), a key
    // after a comma, or what follows a value (a comma, a closing bracket, the end of the file).
    let mode: 'value' | 'first' | 'key' | 'after' = 'value';
    for (;;) {
      skipWs();
      const c = text.charCodeAt(i);
      const top = stack[stack.length - 1];
      if (mode === 'first') {
        if ((top.kind === 'object' && c === 125) || (top.kind === 'array' && c === 93)) {
          close(++i);
          mode = 'after';
          continue;
        }
        mode = top.kind === 'object' ? 'key' : 'value';
      }
      if (mode === 'key') {
        if (c !== 34) stop(i >= n ? "'}' expected" : 'property name expected', i, tokenLength(i));
        const keyStart = i;
        const key = readString();
        keys[keys.length - 1] = { key, keyStart, keyEnd: i };
        skipWs();
        if (text[i] !== ':') stop("':' expected", i, tokenLength(i));
        i++;
        mode = 'value';
        continue;
      }
      if (mode === 'after') {
        if (!top) {
          if (i < n) stop('end of file expected', i, tokenLength(i));
          break;
        }
        if (c === 44) {
          i++;
          mode = top.kind === 'object' ? 'key' : 'value';
        } else if (top.kind === 'object' && c === 125) {
          close(++i);
        } else if (top.kind === 'array' && c === 93) {
          close(++i);
        } else if (i >= n) {
          stop(top.kind === 'object' ? "'}' expected" : "']' expected", i);
        } else {
          stop("',' expected", i, tokenLength(i));
        }
        continue;
      }
      // A value.
      if (i >= n) stop('value expected', i);
      if (c === 123 || c === 91) {
        if (opts.go && stack.length >= GO_MAX_DEPTH) stop(`nested more than ${GO_MAX_DEPTH} levels deep: Packer's JSON reader stops there ("exceeded max depth")`, i);
        const node: Container = c === 123 ? { kind: 'object', start: i, end: i + 1, members: [] } : { kind: 'array', start: i, end: i + 1, items: [] };
        attach(node);
        stack.push(node);
        if (c === 123) keys.push(undefined);
        i++;
        mode = 'first';
        continue;
      }
      if (c === 34) {
        const start = i;
        const value = readString();
        attach({ kind: 'string', start, end: i, value });
      } else if (c === 45 || isDigit(c)) {
        attach(readNumber());
      } else if (isWordChar(c)) {
        attach(word());
      } else if (c === 125 || c === 93 || c === 44 || c === 58) {
        stop('value expected', i);
      } else {
        stop('invalid symbol', i);
      }
      mode = 'after';
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    let error: JsonSyntaxError = { message: e.message, start: e.start, end: e.end };
    // A file cut short: point at what it left open, which is what the reader has to close.
    const open = stack[stack.length - 1];
    if (open && e.start >= text.trimEnd().length) {
      const what = open.kind;
      error = { message: `unclosed ${what} started at line ${lines.position(open.start).line}: the file ends before its closing '${what === 'object' ? '}' : ']'}'`, start: open.start, end: open.start + 1 };
    }
    while (stack.length) close(Math.min(e.start, n));
    return { text, lines, root, errors: [error] };
  }
  return { text, lines, root, errors: [] };
}

export function member(node: JsonNode | undefined, key: string): JsonMember | undefined {
  if (!node || node.kind !== 'object') return undefined;
  // Go's encoding/json keeps the last duplicate key; so do we.
  for (let i = node.members.length - 1; i >= 0; i--) if (node.members[i].key === key) return node.members[i];
  return undefined;
}

/** The plain JS value of a node (objects keep the last duplicate key); iterative, so any depth is fine. */
export function plainValue(node: JsonNode): unknown {
  const scalar = (n: JsonNode): unknown => (n.kind === 'null' ? null : n.kind === 'object' ? {} : n.kind === 'array' ? [] : n.value);
  const top = scalar(node);
  const work: Array<[JsonNode, unknown]> = [[node, top]];
  while (work.length) {
    const [n, out] = work.pop()!;
    if (n.kind === 'object') {
      for (const m of n.members) {
        const v = scalar(m.value);
        // defineProperty: a key named __proto__ is data, not the object's prototype.
        Object.defineProperty(out, m.key, { value: v, enumerable: true, writable: true, configurable: true });
        work.push([m.value, v]);
      }
    } else if (n.kind === 'array') {
      for (const it of n.items) {
        const v = scalar(it);
        (out as unknown[]).push(v);
        work.push([it, v]);
      }
    }
  }
  return top;
}
