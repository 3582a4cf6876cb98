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
    const lines = text.split(/\r?\n/);
    for (const [k, v] of Object.entries(parsed)) {
      let line = 0;
      const re = new RegExp(`^\\s*(?:export\\s+)?${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*[=:]`);
      lines.forEach((l, i) => {
        if (re.test(l)) line = i + 1;
      });
      this.set(k, v, line ? `${displayPath}:${line}` : displayPath);
    }
  }
}
