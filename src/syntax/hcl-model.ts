/** The reader's model of an HCL file: bodies, attributes, blocks and expressions with offsets into the text. */
import type { LineIndex } from './text.js';

export interface Spanned {
  start: number;
  end: number;
}

export type Expr =
  | (Spanned & { kind: 'literal'; value: string | number | boolean | null })
  /** A quoted string or heredoc; `parts` alternate literal text (already unescaped) and interpolated expressions. */
  | (Spanned & { kind: 'template'; parts: Array<string | Expr>; hasDirective: boolean; heredoc: boolean })
  /** `root.a.b[0]`; steps are attribute names or index keys; a splat makes the traversal `splat: true`. */
  | (Spanned & { kind: 'traversal'; root: string; steps: TraversalStep[]; splat: boolean })
  | (Spanned & { kind: 'call'; name: string; args: Expr[] })
  | (Spanned & { kind: 'tuple'; items: Expr[] })
  | (Spanned & { kind: 'object'; items: ObjectItem[] })
  /** Anything evaluation does not model (operators, conditionals, for expressions, splats on calls…). */
  | (Spanned & { kind: 'other'; children: Expr[] });

export interface TraversalStep extends Spanned {
  name: string | number;
}

export interface ObjectItem extends Spanned {
  key: Expr;
  value: Expr;
}

export interface Attribute extends Spanned {
  kind: 'attribute';
  name: string;
  nameStart: number;
  nameEnd: number;
  expr: Expr;
}

export interface Label extends Spanned {
  value: string;
}

export interface Block extends Spanned {
  kind: 'block';
  type: string;
  typeStart: number;
  typeEnd: number;
  labels: Label[];
  body: Body;
}

export type Statement = Attribute | Block;

export interface Body extends Spanned {
  statements: Statement[];
}

export interface Comment extends Spanned {
  text: string;
}

export interface SyntaxIssue extends Spanned {
  message: string;
  /** Where the parser noticed the problem, when that differs from where it is reported. */
  detectedAt?: number;
}

export interface HclFile {
  text: string;
  lines: LineIndex;
  body: Body;
  comments: Comment[];
  errors: SyntaxIssue[];
  /**
   * Where error recovery may have changed what the text says, when the file has syntax errors: the innermost block
   * around each error (or the error itself at the top level), sorted and merged. Undefined for a file without
   * errors; a file with errors and no ranges here is damaged as a whole.
   */
  damaged?: Spanned[];
}
