/**
 * CI files as data with places: a YAML document (read with the `yaml` library, never by hand) turned into a small
 * tree whose every scalar and key remembers its file and offsets, with aliases and merge keys (`<<: *defaults`)
 * resolved, so that a finding names the line where a variable is really set.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { fileLine, type SourceFile } from '../packer/unit.js';

export interface Place {
  file: SourceFile;
  start: number;
  end: number;
}

export type YNode =
  | { kind: 'map'; entries: Map<string, { key: Place; value: YNode }>; at: Place }
  | { kind: 'seq'; items: YNode[]; at: Place }
  | { kind: 'scalar'; value: string | number | boolean | null; at: Place };

export class YamlError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
  ) {
    super(`${file}:${line}: ${message}`);
  }
}

/** Nodes a document may expand to through aliases before it is judged hostile (a "billion laughs" file). */
const MAX_NODES = 200_000;

/** Parses a CI file; throws YamlError naming the file and line of the first error. */
export function readYaml(file: SourceFile): YNode | undefined {
  const doc = parseDocument(file.text, { merge: true, uniqueKeys: false, prettyErrors: false, strict: false });
  const err = doc.errors[0];
  if (err) {
    const line = file.lines.position(Math.min(err.pos[0], file.text.length)).line;
    throw new YamlError(`invalid YAML: ${err.message.split('\n')[0]}`, file.display, line);
  }
  if (!doc.contents) return undefined;
  let budget = MAX_NODES;
  const memo = new Map<Node, YNode>();
  const place = (n: { range?: [number, number, number] | null }): Place => ({ file, start: n.range?.[0] ?? 0, end: n.range?.[1] ?? 0 });
  const convert = (n: unknown, depth: number): YNode => {
    if (--budget < 0) throw new YamlError(`too many YAML nodes once aliases are expanded (over ${MAX_NODES})`, file.display, 1);
    if (depth > 100) throw new YamlError('YAML nested too deeply', file.display, 1);
    if (isAlias(n)) {
      const target = n.resolve(doc);
      return target ? convert(target, depth + 1) : { kind: 'scalar', value: null, at: place(n) };
    }
    const seen = memo.get(n as Node);
    if (seen) return seen;
    let out: YNode;
    if (isMap(n)) {
      const entries = new Map<string, { key: Place; value: YNode }>();
      const merged: Array<Map<string, { key: Place; value: YNode }>> = [];
      for (const pair of n.items) {
        const k = pair.key;
        const value = pair.value === null ? { kind: 'scalar' as const, value: null, at: place(k as Node) } : convert(pair.value, depth + 1);
        if (isScalar(k) && (typeof k.value === 'symbol' || k.value === '<<')) {
          // A merge key: the maps it names give defaults; keys written in this map win.
          for (const m of value.kind === 'seq' ? value.items : [value]) if (m.kind === 'map') merged.push(m.entries);
          continue;
        }
        const name = isScalar(k) ? String(k.value) : '';
        entries.set(name, { key: place(k as Node), value });
      }
      for (const m of merged) for (const [k, v] of m) if (!entries.has(k)) entries.set(k, v);
      out = { kind: 'map', entries, at: place(n) };
    } else if (isSeq(n)) {
      out = { kind: 'seq', items: n.items.map((x) => convert(x, depth + 1)), at: place(n) };
    } else if (isScalar(n)) {
      const v = n.value;
      out = { kind: 'scalar', value: typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : typeof v === 'bigint' ? String(v) : null, at: place(n) };
    } else {
      out = { kind: 'scalar', value: null, at: place(n as Node) };
    }
    memo.set(n as Node, out);
    return out;
  };
  return convert(doc.contents, 0);
}

/** A map's entry, or undefined. */
export function get(n: YNode | undefined, key: string): YNode | undefined {
  return n?.kind === 'map' ? n.entries.get(key)?.value : undefined;
}

/** A scalar as text (numbers and booleans as YAML writes them), or undefined for maps, lists and null. */
export function text(n: YNode | undefined): string | undefined {
  return n?.kind === 'scalar' && n.value !== null ? String(n.value) : undefined;
}

/** `file:line` of a place. */
export function lineOf(p: Place): string {
  return fileLine(p.file, p.start);
}
