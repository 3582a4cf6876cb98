import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_URL, type OutDiagnostic, type OutEdit, type Results, type RuleInfo } from './model.js';

export interface SarifOptions {
  /** Every rule of the run, in documentation order (`driver.rules`; results point into it with `ruleIndex`). */
  rules: RuleInfo[];
  toolVersion: string;
  /** When given, rule help links are `docsBaseUrl + docsPath` (SARIF wants absolute URIs: without it, no helpUri). */
  docsBaseUrl?: string;
  /** The tool's home page (`driver.informationUri`; default PROJECT_URL: the validator wants one). */
  informationUri?: string;
}

/**
 * GitHub Code Scanning rejects a whole upload when a result has no location, or a location with an empty URI. A finding
 * with no file therefore gets the placeholder OpenSSF Scorecard uses for repository-level results, which GitHub shows
 * as the path "no file associated with this alert" (percent-encoded here: a URI reference has no spaces).
 */
export const NO_FILE_URI = 'no%20file%20associated%20with%20this%20alert';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A path as pkrlint shows it (relative with `/`, or absolute outside the working directory) as an artifact location. */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

const region = (p: Pick<OutEdit, 'line' | 'column' | 'endLine' | 'endColumn'>) => ({ startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn });

function descriptor(rule: RuleInfo, docsBaseUrl: string | undefined) {
  const url = docsBaseUrl === undefined ? undefined : docsBaseUrl + rule.docsPath;
  return {
    id: rule.id,
    shortDescription: { text: rule.description },
    fullDescription: { text: rule.description },
    ...(url ? { helpUri: url } : {}),
    help: {
      text: `${rule.description}\n\nDocumentation: ${url ?? `${rule.docsPath} in the pkrlint repository`}`,
      markdown: `${rule.description}\n\n${url ? `[Documentation](${url})` : `Documentation: \`${rule.docsPath}\` in the pkrlint repository`}`,
    },
    defaultConfiguration: rule.defaultSeverity === 'off' ? { enabled: false } : { level: LEVEL[rule.defaultSeverity] },
    properties: { fixable: rule.fixable },
  };
}

function result(d: OutDiagnostic, ruleIndex: Map<string, number>) {
  const index = ruleIndex.get(d.ruleId);
  const physicalLocation =
    d.file === null
      ? { artifactLocation: { uri: NO_FILE_URI, uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } }
      : {
          artifactLocation: artifactLocation(d.file),
          region: d.line && d.column ? region({ line: d.line, column: d.column, endLine: d.endLine ?? d.line, endColumn: d.endColumn ?? d.column }) : { startLine: 1 },
        };
  return {
    ruleId: d.ruleId,
    ...(index === undefined ? {} : { ruleIndex: index }),
    level: LEVEL[d.severity],
    message: { text: d.message },
    locations: [{ physicalLocation }],
    // The CI context whose environment caused the finding (docs/ci.md), for tools that group by it.
    ...(d.context === undefined ? {} : { properties: { context: d.context } }),
    // Fix edits apply to the finding's own file unless they name another (the JSON format documents them so): one
    // artifact change per file.
    ...(d.fix && d.file !== null
      ? {
          fixes: [
            {
              description: { text: d.fix.description },
              artifactChanges: [...new Set(d.fix.edits.map((e) => e.file ?? d.file!))].map((file) => ({
                artifactLocation: artifactLocation(file),
                replacements: d.fix!.edits.filter((e) => (e.file ?? d.file) === file).map((e) => ({ deletedRegion: region(e), insertedContent: { text: e.text } })),
              })),
            },
          ],
        }
      : {}),
  };
}

/**
 * `--format sarif`: SARIF 2.1.0 as GitHub Code Scanning reads it: one run, every rule in `tool.driver.rules`, a result
 * per finding with 1-based regions in UTF-16 code units (`columnKind`), and fixes where a rule knows one.
 */
export function formatSarif(r: Results, opts: SarifOptions): string {
  const ruleIndex = new Map(opts.rules.map((rule, i) => [rule.id, i]));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pkrlint',
            version: opts.toolVersion,
            informationUri: opts.informationUri ?? PROJECT_URL,
            rules: opts.rules.map((rule) => descriptor(rule, opts.docsBaseUrl)),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: r.diagnostics.map((d) => result(d, ruleIndex)),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
