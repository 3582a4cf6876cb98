/** Every output format by name, for the CLI's `--format` choices; each formatter is a pure function to a string. */
import { formatCheckstyle } from './checkstyle.js';
import { formatCompact } from './compact.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import type { Results } from './model.js';
import { formatSarif, type SarifOptions } from './sarif.js';
import { formatStylish } from './stylish.js';

export const FORMATS = ['stylish', 'compact', 'json', 'sarif', 'github', 'checkstyle', 'junit'] as const;
export type FormatName = (typeof FORMATS)[number];

/** What any format may need besides the results: colour for stylish, rule metadata and version for SARIF. */
export interface FormatOptions extends SarifOptions {
  color: boolean;
}

export function format(name: FormatName, r: Results, opts: FormatOptions): string {
  switch (name) {
    case 'stylish':
      return formatStylish(r, opts.color);
    case 'compact':
      return formatCompact(r);
    case 'json':
      return formatJson(r);
    case 'sarif':
      return formatSarif(r, opts);
    case 'github':
      return formatGithub(r);
    case 'checkstyle':
      return formatCheckstyle(r);
    case 'junit':
      return formatJunit(r);
  }
}
