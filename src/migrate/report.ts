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

/** The report lines for one input file, as printed on stderr and stored in fixtures; `notWritten` replaces "converted" in the head. */
export function formatReport(input: string, output: string | undefined, items: ReportItem[], status: MigrationStatus, notWritten?: string): string {
  const reviews = items.filter((i) => i.level === 'review').length;
  const toReview = `${reviews} construct${reviews === 1 ? '' : 's'} to review`;
  const done = notWritten ? (reviews ? `${notWritten}, ${toReview}` : notWritten) : status === 'complete' ? 'converted completely' : `converted, ${toReview}`;
  const from = visible(input);
  const into = output === undefined ? undefined : visible(output);
  const head = status === 'error' ? `${from}: not converted` : `${from} -> ${into}: ${done}`;
  const lines = [head];
  for (const i of items) {
    const where = i.jsonLine !== undefined ? `${from}:${i.jsonLine}` : from;
    const to = i.outputLine !== undefined && into ? ` -> ${into}:${i.outputLine}` : '';
    lines.push(`  ${i.level.padEnd(9)} ${where}${to}: ${visible(i.message)}`);
  }
  return lines.join('\n') + '\n';
}
