/**
 * tree-sitter-hcl loaded and run (web-tree-sitter), and its concrete tree copied into plain nodes: the only module
 * that loads the parser. The node shapes are read by hcl-convert.ts (the model) and hcl-errors.ts (messages).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Language, Parser, type Tree, type TreeCursor } from 'web-tree-sitter';
import type { SyntaxIssue } from './hcl-model.js';
import type { LineIndex } from './text.js';

/**
 * The parser is tree-sitter compiled to WebAssembly (web-tree-sitter), so that installing pkrlint never needs a C
 * compiler. The bundle (dist/pkrlint.mjs) has both .wasm files beside it; compiled sources find them in
 * node_modules.
 */
function wasmFile(name: string, specifier: string): Uint8Array {
  try {
    return readFileSync(join(dirname(fileURLToPath(import.meta.url)), name));
  } catch {
    return readFileSync(createRequire(import.meta.url).resolve(specifier));
  }
}
// V8 recompiles hot WebAssembly functions with its optimizing tier in the background, and a process waits for that
// work before it exits: about 50 ms on every run of a small template, for no gain (the baseline compiler's code
// also parsed 500 templates faster, measured with `npm run bench`). Set before the module is compiled.
setFlagsFromString('--liftoff-only');
await Parser.init({ wasmBinary: wasmFile('tree-sitter.wasm', 'web-tree-sitter/tree-sitter.wasm') });
const HCL = await Language.load(wasmFile('tree-sitter-hcl.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm'));

/**
 * A plain copy of a tree-sitter node. node-tree-sitter builds a JS object for every child on every `children`
 * access, which cost four times the parse itself; one TreeCursor pass copies the tree into these instead.
 */
export class Node {
  readonly children: Node[] = [];
  hasError = false;
  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    readonly parent: Node | null,
  ) {}

  get namedChildren(): Node[] {
    return this.children.filter((c) => c.isNamed);
  }
  get firstNamedChild(): Node | null {
    return this.children.find((c) => c.isNamed) ?? null;
  }
  get namedChildCount(): number {
    let n = 0;
    for (const c of this.children) if (c.isNamed) n++;
    return n;
  }

  /** The deepest node that contains `offset`. */
  descendantForIndex(offset: number): Node {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the walk starts here and moves down
    let n: Node = this;
    for (;;) {
      const next: Node | undefined = n.children.find((c) => c.startIndex <= offset && offset < c.endIndex);
      if (!next) return n;
      n = next;
    }
  }
}

/**
 * What a copy may take from the copy of the tree before an edit: its root, the edit (new text [start, newEnd) was
 * old [start, oldEnd)), and the ranges tree-sitter says changed structure. A node outside all of them, with the type
 * and (shifted) range of a node of the old copy that has no error, is that node again: it is cloned in JavaScript
 * instead of read node by node from WebAssembly, which is most of the cost of a copy.
 */
export interface Reuse {
  root: Node;
  start: number;
  oldEnd: number;
  newEnd: number;
  changed: ReadonlyArray<{ startIndex: number; endIndex: number }>;
}

/** Copies the tree; every comment node, wherever it stands (inside an object or a list too), goes to `comments`. */
export function copyTree(tree: Tree, comments: Node[], reuse?: Reuse): Node {
  const c = tree.walk();
  try {
    return copyWith(c, comments, reuse);
  } finally {
    c.delete();
  }
}

function copyWith(c: TreeCursor, comments: Node[], reuse: Reuse | undefined): Node {
  const root = new Node(c.nodeType, c.nodeIsNamed, c.nodeIsMissing, c.startIndex, c.endIndex, null);
  let cur = root;
  let descend = true;
  /** The node at the cursor, under `parent`: taken from the old copy when it can be, else read. */
  const make = (parent: Node): Node => {
    const old = reuse && reusable(reuse, c.nodeType, c.startIndex, c.endIndex);
    const n = old ? cloneShifted(old, parent, c.startIndex - old.startIndex, comments) : new Node(c.nodeType, c.nodeIsNamed, c.nodeIsMissing, c.startIndex, c.endIndex, parent);
    if (!old && n.type === 'comment') comments.push(n);
    descend = !old;
    parent.children.push(n);
    return n;
  };
  for (;;) {
    if (descend && c.gotoFirstChild()) {
      cur = make(cur);
      continue;
    }
    for (;;) {
      if (cur.type === 'ERROR' || cur.isMissing || cur.hasError) {
        cur.hasError = true;
        if (cur.parent) cur.parent.hasError = true;
      }
      if (c.gotoNextSibling()) {
        cur = make(cur.parent!);
        break;
      }
      if (!c.gotoParent()) return root;
      cur = cur.parent!;
    }
  }
}

/** The node of the old copy that the node at [start, end) of the new tree is, if it can be taken as it is. */
function reusable(r: Reuse, type: string, start: number, end: number): Node | undefined {
  if (end <= start) return undefined;
  if (start <= r.newEnd && end >= r.start) return undefined;
  for (const ch of r.changed) if (start <= ch.endIndex && end >= ch.startIndex) return undefined;
  const shift = start > r.newEnd ? r.oldEnd - r.newEnd : 0;
  const os = start + shift;
  const oe = end + shift;
  let n = r.root;
  for (;;) {
    if (n.startIndex === os && n.endIndex === oe && n.type === type && n !== r.root) return n.hasError ? undefined : n;
    const next = childAt(n, os);
    if (!next || oe > next.endIndex) return undefined;
    n = next;
  }
}

/** A copy of an old subtree with its offsets moved by `delta`, under a new parent; its comments go to `comments`. */
function cloneShifted(old: Node, parent: Node, delta: number, comments: Node[]): Node {
  const copy = (o: Node, p: Node) => {
    const n = new Node(o.type, o.isNamed, o.isMissing, o.startIndex + delta, o.endIndex + delta, p);
    n.hasError = o.hasError;
    if (n.type === 'comment') comments.push(n);
    return n;
  };
  const top = copy(old, parent);
  const work: Array<[Node, Node]> = [[old, top]];
  while (work.length) {
    const [o, n] = work.pop()!;
    for (const k of o.children) {
      const kn = copy(k, n);
      n.children.push(kn);
      if (k.children.length) work.push([k, kn]);
    }
  }
  return top;
}

let parser: Parser | undefined;
export function getParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(HCL);
  }
  return parser;
}

/** The deepest node containing `offset`, found by binary search among each node's children (they are in order). */
export function deepestAt(root: Node, offset: number): Node {
  let n = root;
  for (;;) {
    const next = childAt(n, offset);
    if (!next || next.startIndex === next.endIndex) return n;
    n = next;
  }
}

/** The child of a node (children are in order) that contains `offset`, by binary search. */
function childAt(n: Node, offset: number): Node | undefined {
  const kids = n.children;
  let lo = 0;
  let hi = kids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = kids[mid];
    if (c.endIndex <= offset) lo = mid + 1;
    else if (c.startIndex > offset) hi = mid - 1;
    else return c;
  }
  return undefined;
}

/** The parsed text, its line index and the list errors go to: what the conversion and the error messages share. */
export class NodeText {
  constructor(
    protected readonly text: string,
    protected readonly lines: LineIndex,
    protected readonly errors: SyntaxIssue[],
  ) {}

  protected slice(n: Node): string {
    return this.text.slice(n.startIndex, n.endIndex);
  }
}
