/** The contract between the lint engine and rules: a rule is metadata plus one check function over a unit. */
import type { Analysis } from '../packer/analysis.js';
import type { SourceFile } from '../packer/unit.js';

export type Severity = 'error' | 'warning' | 'info';

/** A replacement of [start, end) in the original text of `file`. */
export interface TextEdit {
  file: SourceFile;
  start: number;
  end: number;
  text: string;
}

export interface Fix {
  description: string;
  edits: TextEdit[];
  /** A change that may alter meaning: offered (JSON, SARIF, the editor's quick fixes) but never applied by --fix. */
  suggestion?: boolean;
}

/**
 * A finding as a rule reports it: one of the rule's declared message ids, and the strings its `{{placeholders}}` take.
 * `M` is the rule's message ids, so that reporting an id the rule does not declare is a compile error.
 */
export interface Report<M extends string = string> {
  messageId: M;
  data?: Readonly<Record<string, string>>;
  /** Omitted for findings with no place in a file (e.g. caused by the environment alone). */
  file?: SourceFile;
  start?: number;
  end?: number;
  /** Overrides the rule's default severity for this finding (e.g. a warning variant of an error rule). */
  severity?: Severity;
  fix?: Fix;
}

export interface RuleMeta {
  id: string;
  /** One line; must equal the first paragraph of docs/rules/<id>.md. */
  description: string;
  severity: Severity;
  suppressible: boolean;
  fixable: boolean;
  /** Off unless the configuration file or `--rule` gives it a severity (or a caller runs it by name, `only`). */
  defaultOff: boolean;
  /**
   * `unit`: the rule's answer depends on the whole unit (how many builds, which registry block is in use), so it is
   * not run when a file of the unit has syntax errors. Default: local, run on what parsed (src/lint/lint.ts).
   */
  scope?: 'unit';
  /** Message id → message template with `{{name}}` placeholders, filled from a report's `data`. */
  messages: Readonly<Record<string, string>>;
}

/**
 * What a rule sees: the unit's analysis (src/packer/analysis.ts: target, HCP environment, configuration, evaluator,
 * bucket names, registry blocks), computed once per unit, and the one way to report.
 */
export interface RuleContext<M extends string = string> extends Analysis {
  report(r: Report<M>): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

type MetaInput<Messages> = Omit<RuleMeta, 'suppressible' | 'fixable' | 'defaultOff' | 'messages'> & Partial<Pick<RuleMeta, 'suppressible' | 'fixable' | 'defaultOff'>> & { messages: Messages };

export function createRule<const Messages extends Record<string, string>>(
  meta: MetaInput<Messages>,
  check: (ctx: RuleContext<keyof Messages & string>) => void,
): Rule {
  return { meta: { suppressible: true, fixable: false, defaultOff: false, ...meta }, check };
}

/**
 * A rule's message for a report: its template with every `{{name}}` replaced by `data.name`. A placeholder without
 * data, or an id the rule does not declare, is a bug in the rule and throws.
 */
export function formatMessage(meta: RuleMeta, messageId: string, data: Readonly<Record<string, string>> = {}): string {
  if (!Object.hasOwn(meta.messages, messageId)) throw new Error(`${meta.id}: no message "${messageId}"`);
  return meta.messages[messageId].replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    if (!Object.hasOwn(data, name)) throw new Error(`${meta.id}/${messageId}: no data for {{${name}}}`);
    return data[name];
  });
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0];
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j];
      d[j] = Math.min(d[j] + 1, d[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length];
}

export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(name.toLowerCase(), c.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}
