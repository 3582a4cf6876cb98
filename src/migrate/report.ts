import { visible } from '../hcl/print.js';

/** What the migration says about one template: converted items, renames, and constructs a person must review. */
export type ReportLevel = 'converted' | 'renamed' | 'review' | 'error' | 'note';

export interface ReportItem {
  level: ReportLevel;
  message: string;
  /** 1-based line in the JSON input. */
  jsonLine?: number;
  /** 1-based line in the HCL output, filled in after printing. */
  outputLine?: number;
  /** The output node the item is about (resolved to outputLine by the printer). */
  node?: object;
}

export type MigrationStatus = 'complete' | 'review' | 'error';

export function statusOf(items: ReportItem[]): MigrationStatus {
  if (items.some((i) => i.level === 'error')) return 'error';
  if (items.some((i) => i.level === 'review')) return 'review';
  return 'complete';
}

/** What became of a file, as its head line says it: `converted completely`, `converted, 2 constructs to review`, `not converted`, … */
function outcome(items: ReportItem[], status: MigrationStatus, notWritten?: string): string {
  if (status === 'error') return 'not converted';
  const reviews = items.filter((i) => i.level === 'review').length;
  const toReview = `${reviews} construct${reviews === 1 ? '' : 's'} to review`;
  return notWritten ? (reviews ? `${notWritten}, ${toReview}` : notWritten) : status === 'complete' ? 'converted completely' : `converted, ${toReview}`;
}

/** The report lines for one input file, as printed on stderr and stored in fixtures; `notWritten` replaces "converted" in the head. */
export function formatReport(input: string, output: string | undefined, items: ReportItem[], status: MigrationStatus, notWritten?: string): string {
  const from = visible(input);
  const into = output === undefined ? undefined : visible(output);
  const head = status === 'error' ? `${from}: not converted` : `${from} -> ${into}: ${outcome(items, status, notWritten)}`;
  const lines = [head];
  for (const i of items) {
    const where = i.jsonLine !== undefined ? `${from}:${i.jsonLine}` : from;
    const to = i.outputLine !== undefined && into ? ` -> ${into}:${i.outputLine}` : '';
    lines.push(`  ${i.level.padEnd(9)} ${where}${to}: ${visible(i.message)}`);
  }
  return lines.join('\n') + '\n';
}

export type ReportFormat = 'human' | 'json';

/** A place in a file: a JSON input, an output, or a directory (`line` only where there is one). */
export interface ReportPlace {
  file: string;
  line?: number;
}

/** One line of the report as an object (`--report-format json`). */
export interface ReportLine {
  /** A file's head line (`template`, `var-file`), a directory's `layout` line, or an item's level. */
  kind: ReportLevel | 'template' | 'var-file' | 'layout';
  json?: ReportPlace;
  output?: ReportPlace;
  message: string;
  /** Head lines: what became of the file. */
  status?: 'converted' | 'review' | 'failed' | 'not-written';
}

/**
 * What a review is about, for the summary: a coarse kind read from the message (its wording is the converters');
 * anything else is `other`.
 */
const REVIEW_KINDS: [string, RegExp][] = [
  ['duplicate key', /^duplicate key |used by more than one builder/],
  ['Go template', /template (syntax error|control action)|has no HCL2 translation|formatdate|`\{\{timestamp\}\}`|kept as literal text/],
  ['unknown plugin', /is not a known component|whose schema is unknown/],
  ['plugin schema', /plugin's (HCL2 )?schema|in the schema but|decided by shape|not carried over \(value:/],
  ['builder reference', /which is no builder of this template|is not a list of builder names|entry is not a string|"override" is not an object/],
  ['shared directory', /same directory as|cannot be listed/],
  ['variable', /variable|sensitive/],
];

export function reviewKind(message: string): string {
  return REVIEW_KINDS.find(([, re]) => re.test(message))?.[0] ?? 'other';
}

/** The report of a whole run: written as it goes (human) or at the end as one JSON document; a summary at the end. */
export class RunReport {
  private readonly lines: ReportLine[] = [];
  private readonly count = { converted: 0, review: 0, failed: 0, varFiles: 0, varFilesFailed: 0 };
  private readonly reviews = new Map<string, number>();

  constructor(private readonly format: ReportFormat, private readonly write: (text: string) => void) {}

  /** A directory several templates would share, and what the layout did about it. */
  layout(dir: string, message: string): void {
    if (this.format === 'human') this.write(`${visible(dir)}: ${visible(message)}\n`);
    else this.lines.push({ kind: 'layout', output: { file: dir }, message });
  }

  /** An input that is not converted; `named` when the message does not name the file itself. */
  refused(input: string, message: string, named = true): void {
    this.count.failed++;
    if (this.format === 'human') this.write(`${visible(input)}: not converted\n  error     ${named ? `${visible(input)}: ` : ''}${visible(message)}\n`);
    else {
      this.lines.push({ kind: 'template', json: { file: input }, message: 'not converted', status: 'failed' });
      this.lines.push({ kind: 'error', json: { file: input }, message });
    }
  }

  /** A converted (or failed) file with its items, then the lines about its output file. */
  file(kind: 'template' | 'var-file', input: string, output: string | undefined, result: { report: ReportItem[]; status: MigrationStatus }, notWritten?: string, outputLines: { level: ReportLevel; message: string }[] = []): void {
    const status = result.status === 'error' ? 'failed' : notWritten ? 'not-written' : result.status === 'review' ? 'review' : 'converted';
    if (kind === 'var-file') {
      this.count.varFiles++;
      if (status === 'failed' || status === 'not-written') this.count.varFilesFailed++;
    } else this.count[status === 'not-written' ? 'failed' : status]++;
    for (const i of result.report) {
      if (i.level !== 'review') continue;
      const k = reviewKind(i.message);
      this.reviews.set(k, (this.reviews.get(k) ?? 0) + 1);
    }
    if (this.format === 'human') {
      this.write(formatReport(input, output, result.report, result.status, notWritten) + outputLines.map((l) => `  ${l.level.padEnd(9)} ${visible(output ?? input)}: ${visible(l.message)}\n`).join(''));
      return;
    }
    const to = output === undefined || status === 'failed' ? undefined : output;
    this.lines.push({ kind, json: { file: input }, ...(to !== undefined ? { output: { file: to } } : {}), message: outcome(result.report, result.status, notWritten), status });
    for (const i of result.report)
      this.lines.push({ kind: i.level, json: { file: input, ...(i.jsonLine !== undefined ? { line: i.jsonLine } : {}) }, ...(to !== undefined && i.outputLine !== undefined ? { output: { file: to, line: i.outputLine } } : {}), message: i.message });
    for (const l of outputLines) this.lines.push({ kind: l.level, output: { file: output ?? input }, message: l.message });
  }

  /** The summary: a last line of the human report, or with the lines as one JSON document. */
  end(): void {
    const c = this.count;
    const templates = c.converted + c.review + c.failed;
    const kinds = [...this.reviews].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (this.format === 'json') {
      const summary = { templates, converted: c.converted, review: c.review, failed: c.failed, varFiles: c.varFiles, varFilesFailed: c.varFilesFailed, reviews: Object.fromEntries(kinds) };
      this.write(JSON.stringify({ lines: this.lines, summary }, null, 2) + '\n');
      return;
    }
    const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
    let line = `summary: ${n(templates, 'template')}: ${c.converted} converted, ${c.review} needing review, ${c.failed} failed`;
    if (c.varFiles) line += `; ${n(c.varFiles, 'variable file')}${c.varFilesFailed ? ` (${c.varFilesFailed} failed)` : ''}`;
    const total = kinds.reduce((s, [, k]) => s + k, 0);
    line += total ? `; ${n(total, 'review')}: ${kinds.map(([k, v]) => `${v} ${k}`).join(', ')}` : '; no reviews';
    this.write(line + '\n');
  }
}
