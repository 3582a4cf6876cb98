import type { OutDiagnostic, Results } from './model.js';
import { visible } from './text.js';

const COMMAND: Record<OutDiagnostic['severity'], string> = { error: 'error', warning: 'warning', info: 'notice' };

// The runner's own escapes (actions/runner ActionCommand.cs); `%` first, so that no escape is escaped again.
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
// Message and title reach the log and the annotation: other control characters there become visible escapes. The file
// stays exact, or the annotation would miss its file.
const shown = (s: string) => visible(s, '\r\n');

/**
 * `--format github`: one GitHub Actions workflow command per finding, which the runner turns into an annotation:
 * `::error file=F,line=L,endLine=EL,col=C,endColumn=EC,title=pkrlint (rule-id)::message`. GitHub's end column is
 * inclusive (ours is exclusive) and columns exist only on a one-line range; a finding with no file has no place.
 */
export function formatGithub(r: Results): string {
  return r.diagnostics
    .map((d) => {
      const props: string[] = [];
      if (d.file !== null) {
        props.push(`file=${property(d.file)}`);
        if (d.line) {
          const endLine = d.endLine ?? d.line;
          props.push(`line=${d.line}`, `endLine=${endLine}`);
          if (d.column && endLine === d.line) props.push(`col=${d.column}`, `endColumn=${Math.max(d.column, (d.endColumn ?? d.column) - 1)}`);
        }
      }
      props.push(`title=${property(shown(`pkrlint (${d.ruleId})`))}`);
      return `::${COMMAND[d.severity]} ${props.join(',')}::${data(shown(d.message))}\n`;
    })
    .join('');
}
