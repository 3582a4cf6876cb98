import { groupByFile, type OutDiagnostic, type Results } from './model.js';
import { plural, xml } from './text.js';

const NO_FILE = '(no file)';

/** The finding as one compact line, for the failure's body. */
const describe = (d: OutDiagnostic) => `${d.file === null ? 'pkrlint' : `${d.file}:${d.line ?? 1}:${d.column ?? 1}`}: ${d.severity} ${d.ruleId} ${d.message}`;

function testcase(d: OutDiagnostic): string {
  const file = d.file ?? NO_FILE;
  const name = d.line ? `${d.ruleId} at ${d.line}:${d.column}` : d.ruleId;
  const place = d.file === null ? '' : ` file="${xml(d.file)}"${d.line ? ` line="${d.line}"` : ''}`;
  return (
    `    <testcase classname="${xml(file)}" name="${xml(name)}"${place} time="0">\n` +
    `      <failure type="${d.severity}" message="${xml(d.message)}">${xml(describe(d))}</failure>\n` +
    '    </testcase>\n'
  );
}

/**
 * `--format junit`: JUnit XML as CI test reports read it: a `<testsuite>` per file with findings, a `<testcase>` with a
 * `<failure>` per finding (findings with no file in a suite named "(no file)"). With no findings, one passing test
 * case stands for the files checked, so that a report is never empty.
 */
export function formatJunit(r: Results): string {
  const total = r.diagnostics.length;
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="pkrlint" tests="${Math.max(1, total)}" failures="${total}" errors="0" time="0">\n`;
  if (total === 0) {
    out += '  <testsuite name="pkrlint" tests="1" failures="0" errors="0" skipped="0" time="0">\n';
    out += `    <testcase classname="pkrlint" name="no problems in ${plural(r.summary.files, 'file')}" time="0"/>\n`;
    out += '  </testsuite>\n';
  }
  for (const [file, ds] of groupByFile(r.diagnostics)) {
    out += `  <testsuite name="${xml(file ?? NO_FILE)}" tests="${ds.length}" failures="${ds.length}" errors="0" skipped="0" time="0">\n`;
    out += ds.map(testcase).join('');
    out += '  </testsuite>\n';
  }
  return `${out}</testsuites>\n`;
}
