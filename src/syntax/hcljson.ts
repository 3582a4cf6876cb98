/**
 * HCL's JSON syntax (`*.pkr.json`): the same body model as native HCL, built from JSON with positions. Which keys
 * are blocks (and how many labels they take) depends on the schema, so the caller supplies it.
 */
import { parseHcl, type Body, type Expr, type HclFile, type Statement, type SyntaxIssue, type Label } from './hcl.js';
import { parseJson, type JsonDocument, type JsonNode } from './json.js';
import { MAX_BLOCK_DEPTH, MAX_EXPRESSION_DEPTH } from './text.js';

/** For a key in a body (identified by the path of block types above it), the number of labels if it is a block. */
export type BlockSchema = (path: readonly string[], key: string) => number | undefined;

export function parseHclJson(source: string | JsonDocument, schema: BlockSchema): HclFile {
  const doc = typeof source === 'string' ? parseJson(source) : source;
  const { text, lines } = doc;
  const errors: SyntaxIssue[] = doc.errors.map((e) => ({ message: e.message, start: e.start, end: e.end }));
  let body: Body = { start: 0, end: text.length, statements: [] };
  if (doc.root && doc.root.kind === 'object') body = convertBody(doc.root, [], schema, errors);
  else if (doc.root && errors.length === 0) errors.push({ message: 'the root of a .pkr.json file must be an object', start: doc.root.start, end: doc.root.end });
  return { text, lines, body, comments: [], errors };
}

function convertBody(obj: Extract<JsonNode, { kind: 'object' }>, path: string[], schema: BlockSchema, errors: SyntaxIssue[]): Body {
  const statements: Statement[] = [];
  // Deeper blocks are accepted but not modelled (text.ts, MAX_BLOCK_DEPTH).
  if (path.length >= MAX_BLOCK_DEPTH) return { start: obj.start, end: obj.end, statements };
  for (const m of obj.members) {
    if (m.key === '//') continue; // HCL JSON comments
    const labelCount = schema(path, m.key);
    if (labelCount === undefined || (m.value.kind !== 'object' && m.value.kind !== 'array')) {
      statements.push({ kind: 'attribute', name: m.key, nameStart: m.keyStart, nameEnd: m.keyEnd, expr: jsonExpr(m.value, errors, 0), start: m.keyStart, end: m.value.end });
      continue;
    }
    const emit = (value: JsonNode, labels: Label[], arrays = 0) => {
      if (labels.length < labelCount) {
        if (value.kind === 'object') {
          for (const lm of value.members) emit(lm.value, [...labels, { value: lm.key, start: lm.keyStart, end: lm.keyEnd }], arrays);
        } else if (value.kind === 'array' && arrays < MAX_BLOCK_DEPTH) {
          for (const it of value.items) emit(it, labels, arrays + 1);
        }
        return;
      }
      const bodies = value.kind === 'array' ? value.items : [value];
      for (const b of bodies) {
        if (b.kind !== 'object') continue;
        statements.push({
          kind: 'block',
          type: m.key,
          typeStart: m.keyStart,
          typeEnd: m.keyEnd,
          labels,
          body: convertBody(b, [...path, m.key], schema, errors),
          // One of several blocks given as an array starts at its own object.
          start: value.kind === 'array' ? b.start : m.keyStart,
          end: b.end,
        });
      }
    };
    emit(m.value, []);
  }
  return { start: obj.start, end: obj.end, statements };
}

function jsonExpr(n: JsonNode, errors: SyntaxIssue[], depth: number): Expr {
  // Deeper values are accepted but opaque: unknown to every rule (text.ts, MAX_EXPRESSION_DEPTH).
  if (depth >= MAX_EXPRESSION_DEPTH) return { kind: 'other', children: [], start: n.start, end: n.end };
  switch (n.kind) {
    case 'object':
      return {
        kind: 'object',
        items: n.members.map((m) => ({
          key: { kind: 'template', parts: [m.key], hasDirective: false, heredoc: false, start: m.keyStart, end: m.keyEnd },
          value: jsonExpr(m.value, errors, depth + 1),
          start: m.keyStart,
          end: m.value.end,
        })),
        start: n.start,
        end: n.end,
      };
    case 'array':
      return { kind: 'tuple', items: n.items.map((i) => jsonExpr(i, errors, depth + 1)), start: n.start, end: n.end };
    case 'string':
      return stringTemplate(n.value, n.start, n.end, errors);
    case 'null':
      return { kind: 'literal', value: null, start: n.start, end: n.end };
    default:
      return { kind: 'literal', value: n.value, start: n.start, end: n.end };
  }
}

/** A JSON string is an HCL template: parse its `${…}` parts with the native parser, placed at the string's range. */
function stringTemplate(value: string, start: number, end: number, errors: SyntaxIssue[]): Expr {
  if (!value.includes('${') && !value.includes('%{')) {
    return { kind: 'template', parts: [value], hasDirective: false, heredoc: false, start, end };
  }
  // A closing marker is a line of its own: pick one no line of the value is (in time linear in the value).
  const taken = new Set(value.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('PKRLINT_EOT')));
  let marker = 'PKRLINT_EOT';
  for (let k = 0; taken.has(marker); k++) marker = `PKRLINT_EOT_${k}`;
  const parsed = parseHcl(`x = <<${marker}\n${value}\n${marker}\n`);
  const attr = parsed.body.statements[0];
  if (parsed.errors.length || !attr || attr.kind !== 'attribute' || attr.expr.kind !== 'template') {
    // Positions inside the string cannot be mapped back through JSON escapes: the whole string is the place.
    errors.push({ message: `invalid template in string: ${parsed.errors[0]?.message ?? 'cannot be read'}`, start, end });
    return { kind: 'other', children: [], start, end };
  }
  const parts = attr.expr.parts.map((p) => (typeof p === 'string' ? p : relocate(p, start, end)));
  const last = parts[parts.length - 1];
  if (typeof last === 'string') parts[parts.length - 1] = last.replace(/\n$/, '');
  if (parts[parts.length - 1] === '') parts.pop();
  return { kind: 'template', parts, hasDirective: attr.expr.hasDirective, heredoc: false, start, end };
}

function relocate(e: Expr, start: number, end: number): Expr {
  const moved = { ...e, start, end };
  switch (moved.kind) {
    case 'template':
      return { ...moved, parts: moved.parts.map((p) => (typeof p === 'string' ? p : relocate(p, start, end))) };
    case 'traversal':
      return { ...moved, steps: moved.steps.map((s) => ({ ...s, start, end })) };
    case 'call':
      return { ...moved, args: moved.args.map((a) => relocate(a, start, end)) };
    case 'tuple':
      return { ...moved, items: moved.items.map((a) => relocate(a, start, end)) };
    case 'object':
      return { ...moved, items: moved.items.map((it) => ({ key: relocate(it.key, start, end), value: relocate(it.value, start, end), start, end })) };
    case 'other':
      return { ...moved, children: moved.children.map((c) => relocate(c, start, end)) };
    default:
      return moved;
  }
}
