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

/** Copies the tree; every comment node, wherever it stands (inside an object or a list too), goes to `comments`. */
export function copyTree(tree: Tree, comments: Node[]): Node {
  const c = tree.walk();
  try {
    return copyWith(c, comments);
  } finally {
    c.delete();
  }
}

function copyWith(c: TreeCursor, comments: Node[]): Node {
  const root = new Node(c.nodeType, c.nodeIsNamed, c.nodeIsMissing, c.startIndex, c.endIndex, null);
  let cur = root;
  for (;;) {
    if (c.gotoFirstChild()) {
      const child = new Node(c.nodeType, c.nodeIsNamed, c.nodeIsMissing, c.startIndex, c.endIndex, cur);
      cur.children.push(child);
      if (child.type === 'comment') comments.push(child);
      cur = child;
      continue;
    }
    for (;;) {
      if (cur.type === 'ERROR' || cur.isMissing || cur.hasError) {
        cur.hasError = true;
        if (cur.parent) cur.parent.hasError = true;
      }
      if (c.gotoNextSibling()) {
        const parent = cur.parent!;
        const sib = new Node(c.nodeType, c.nodeIsNamed, c.nodeIsMissing, c.startIndex, c.endIndex, parent);
        parent.children.push(sib);
        if (sib.type === 'comment') comments.push(sib);
        cur = sib;
        break;
      }
      if (!c.gotoParent()) return root;
      cur = cur.parent!;
    }
  }
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
    const kids = n.children;
    let lo = 0;
    let hi = kids.length - 1;
    let next: Node | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = kids[mid];
      if (c.endIndex <= offset) lo = mid + 1;
      else if (c.startIndex > offset) hi = mid - 1;
      else {
        next = c;
        break;
      }
    }
    if (!next || next.startIndex === next.endIndex) return n;
    n = next;
  }
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
