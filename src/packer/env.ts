import { parse as parseDotenv } from 'dotenv';
import type { SourceFile } from './unit.js';

/** Where an environment value came from, for messages such as "set in ci.env:3". */
export interface EnvValue {
  /** The value; for an unknown one, the expression as written (`${{ secrets.X }}`, `$VAR`), never what it holds. */
  value: string;
  origin: string;
  /** Set by an expression of the CI system: the variable is set, its value unknown (rules never guess it). */
  unknown?: true;
  /** For an unknown value: `run` when it differs on every run (`${{ github.run_id }}`), `commit` when only the commit fixes it (`${{ github.sha }}`). */
  varies?: 'run' | 'commit';
  /** Where it is set, when that is a file pkrlint read (a CI file): findings about the variable are reported there. */
  at?: { file: SourceFile; start: number; end: number };
}

/**
 * An environment Packer may run in besides the local one: a CI job, a dotenv file named in the configuration file
 * (src/ci/). The environment rules run once per context.
 */
export interface EnvContext {
  /** How messages name it: "workflow build.yml, job images". */
  name: string;
  /** Where it is defined (the job's key): findings of the context with no place of their own are reported there. */
  at: { file: SourceFile; start: number; end: number };
  kind: 'github' | 'gitlab' | 'dotenv';
  env: Environment;
  /**
   * Whether the file holds the whole environment of the job, so that a variable it does not set is unset: true for a
   * GitHub Actions job (secrets reach a step only through `env:`), false for GitLab (project CI/CD variables are not
   * in the file) and dotenv files.
   */
  complete: boolean;
  /** Absolute paths of the directories and template files the context builds; undefined: it names none. */
  builds?: string[];
  /** The Packer release the job installs (`hashicorp/setup-packer` `version:`, a `hashicorp/packer:X` image): its target. */
  packerVersion?: { version: string; origin: string };
}

export class Environment {
  private readonly values = new Map<string, EnvValue>();

  set(name: string, value: string, origin: string, at?: EnvValue['at']): void {
    this.values.set(name, at ? { value, origin, at } : { value, origin });
  }

  /** A variable whose value is known; one set by an unknown expression reads as unset here (see lookup). */
  get(name: string): EnvValue | undefined {
    const v = this.values.get(name);
    return v && !v.unknown ? v : undefined;
  }

  /** A variable as set, known or unknown. */
  lookup(name: string): EnvValue | undefined {
    return this.values.get(name);
  }

  /** Sets a variable to an expression whose value cannot be known statically. */
  setUnknown(name: string, expression: string, origin: string, varies?: 'run' | 'commit', at?: EnvValue['at']): void {
    this.values.set(name, { value: expression, origin, unknown: true, ...(varies ? { varies } : {}), ...(at ? { at } : {}) });
  }

  /** A copy, to be added to. */
  clone(): Environment {
    const e = new Environment();
    for (const [k, v] of this.values) e.values.set(k, v);
    return e;
  }

  /** Every variable, known and unknown, in the order set. */
  entries(): Array<[string, EnvValue]> {
    return [...this.values];
  }

  /** Names with a prefix, e.g. PKR_VAR_. */
  withPrefix(prefix: string): Array<[string, EnvValue]> {
    return [...this.values].filter(([k, v]) => k.startsWith(prefix) && !v.unknown);
  }

  static fromProcess(env: NodeJS.ProcessEnv): Environment {
    const e = new Environment();
    for (const [k, v] of Object.entries(env)) if (v !== undefined) e.set(k, v, 'the process environment');
    return e;
  }

  /** Reads dotenv text; each value's origin is `file:line` of its (last) definition. */
  loadDotenv(text: string, displayPath: string): void {
    for (const { name, value, line } of dotenvEntries(text)) this.set(name, value, line ? `${displayPath}:${line}` : displayPath);
  }

}

/** The variables of dotenv text (parsed by `dotenv`), each with the line of its last definition when one is found. */
export function dotenvEntries(text: string): Array<{ name: string; value: string; line?: number }> {
  // One pass over the lines (a lookup per key over every line took time quadratic in the file).
  const lastLine = new Map<string, number>();
  text.split(/\r?\n/).forEach((l, i) => {
    const m = /^\s*(?:export\s+)?([\w.-]+)\s*[=:]/.exec(l);
    if (m) lastLine.set(m[1], i + 1);
  });
  return Object.entries(parseDotenv(text)).map(([name, value]) => ({ name, value, line: lastLine.get(name) }));
}
