import { parse as parseDotenv } from 'dotenv';

/** Where an environment value came from, for messages such as "set in ci.env:3". */
export interface EnvValue {
  value: string;
  origin: string;
}

export class Environment {
  private readonly values = new Map<string, EnvValue>();

  set(name: string, value: string, origin: string): void {
    this.values.set(name, { value, origin });
  }

  get(name: string): EnvValue | undefined {
    return this.values.get(name);
  }

  /** Names with a prefix, e.g. PKR_VAR_. */
  withPrefix(prefix: string): Array<[string, EnvValue]> {
    return [...this.values].filter(([k]) => k.startsWith(prefix));
  }

  static fromProcess(env: NodeJS.ProcessEnv): Environment {
    const e = new Environment();
    for (const [k, v] of Object.entries(env)) if (v !== undefined) e.set(k, v, 'the process environment');
    return e;
  }

  /** Reads dotenv text; each value's origin is `file:line` of its (last) definition. */
  loadDotenv(text: string, displayPath: string): void {
    const parsed = parseDotenv(text);
    // One pass over the lines (a lookup per key over every line took time quadratic in the file).
    const lastLine = new Map<string, number>();
    text.split(/\r?\n/).forEach((l, i) => {
      const m = /^\s*(?:export\s+)?([\w.-]+)\s*[=:]/.exec(l);
      if (m) lastLine.set(m[1], i + 1);
    });
    for (const [k, v] of Object.entries(parsed)) {
      const line = lastLine.get(k);
      this.set(k, v, line ? `${displayPath}:${line}` : displayPath);
    }
  }
}
