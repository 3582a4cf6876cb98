/**
 * The output formats as their readers see them: terminals (stylish, compact), editors' errorformat, GitHub (workflow
 * commands, SARIF checked by the official validator), and CI test reports (checkstyle, JUnit). Results come from real
 * `check` runs over the rule fixtures; hand-built ones only where no fixture can carry the case.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rules } from '../src/rules/index.js';
import { DOCS_BASE_URL, PROJECT_URL, toResults, toRuleInfo, type OutDiagnostic, type Results } from '../src/report/model.js';
import { format, FORMATS } from '../src/report/index.js';
import { formatCheckstyle } from '../src/report/checkstyle.js';
import { formatCompact } from '../src/report/compact.js';
import { formatGithub } from '../src/report/github.js';
import { formatJson } from '../src/report/json.js';
import { formatJunit } from '../src/report/junit.js';
import { formatSarif, NO_FILE_URI, type SarifOptions } from '../src/report/sarif.js';
import { formatStylish } from '../src/report/stylish.js';
import { check, envOf, fixture } from './_helpers.js';

const RULES = rules.map((r) => toRuleInfo(r.meta));
const SARIF_OPTS: SarifOptions = { rules: RULES, toolVersion: '0.1.0', docsBaseUrl: DOCS_BASE_URL, informationUri: PROJECT_URL };

/** A check of rule fixture cases, run from fixtures/rules so that paths read `<rule>/<case>/<file>`. */
function results(cases: string[], env: Record<string, string> = {}): Results {
  const r = check(cases, { cwd: fixture('rules'), env: envOf(env) });
  return toResults(r.diagnostics, r.files.length);
}

/**
 * A small project with one finding of every kind: an error and a warning on the same place, an error with a fix, an
 * info with a file, and a warning caused by the environment alone (no file).
 */
const PROJECT = () =>
  results(['registry-bucket-name/invalid-checked-despite-env-override', 'registry-unknown-argument/invalid-build-level-typo', 'json-legacy-template/invalid-amazon-ebs'], {
    HCP_PACKER_BUCKET_NAME: 'web-base',
    HCP_PACKER_REGISTRY: 'false',
  });

const ENV_VALUE = 'HCP_PACKER_REGISTRY is "false" (set in --env HCP_PACKER_REGISTRY): Packer disables HCP only for exactly "off" or "0" (any case), so this ENABLES HCP Packer; write HCP_PACKER_REGISTRY=off, or unset it';
const BUCKET = 'bucket name "ubuntu_jammy" is not valid: it contains "_"; Packer requires 3 to 36 ASCII letters, digits and hyphens ("hcp_packer_registry.bucket_name can only contain between 3 and 36 ASCII letters, numbers and hyphens")';
const OVERRIDE = 'HCP_PACKER_BUCKET_NAME="web-base" (set in --env HCP_PACKER_BUCKET_NAME) overrides bucket_name "ubuntu_jammy": Packer will publish to bucket "web-base" without saying so';
const TYPO = 'argument "bucket_nmae" is not part of hcp_packer_registry: Packer ignores it without a word; did you mean "bucket_name"? (known: bucket_labels, bucket_name, build_labels, channels, description, labels)';
const LEGACY = 'legacy JSON template: HCP Packer metadata (bucket name, description, labels, channels) can only come from HCP_PACKER_BUCKET_NAME; run `pkrlint migrate json-legacy-template/invalid-amazon-ebs/template.json` to convert it to HCL2 with an hcp_packer_registry block';
const OVERRIDE_FILE = 'registry-bucket-name/invalid-checked-despite-env-override/main.pkr.hcl';
const TYPO_FILE = 'registry-unknown-argument/invalid-build-level-typo/main.pkr.hcl';
const LEGACY_FILE = 'json-legacy-template/invalid-amazon-ebs/template.json';

/** A hand-built finding, for what no fixture produces. */
const finding = (d: Partial<OutDiagnostic>): OutDiagnostic => ({ file: null, ruleId: 'registry-bucket-name', severity: 'error', message: 'm', line: null, column: null, endLine: null, endColumn: null, ...d });
const handBuilt = (diagnostics: OutDiagnostic[]): Results => ({
  diagnostics,
  summary: { errors: diagnostics.length, warnings: 0, infos: 0, files: 1, filesWithProblems: new Set(diagnostics.map((d) => d.file)).size },
  sources: new Map(),
});

/** Control characters other than the newlines between lines, which must never reach a terminal. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

// ---------------------------------------------------------------------------------------------------------------------
// stylish

test('stylish: the footer counts the files with findings; "no problems" counts the files read', () => {
  const one = results(['registry-bucket-name/invalid-via-auto-pkrvars']);
  assert.equal({ files: one.summary.files, filesWithProblems: one.summary.filesWithProblems }, { files: 3, filesWithProblems: 1 });
  assert.is(
    formatStylish(one, false),
    [
      '',
      'registry-bucket-name/invalid-via-auto-pkrvars/main.pkr.hcl',
      '  10:17   error    bucket name "web_servers_prod" (from var.bucket_name (registry-bucket-name/invalid-via-auto-pkrvars/prod.auto.pkrvars.hcl:1)) is not valid: it contains "_"; Packer requires 3 to 36 ASCII letters, digits and hyphens ("hcp_packer_registry.bucket_name can only contain between 3 and 36 ASCII letters, numbers and hyphens")  registry-bucket-name',
      '    10 |   bucket_name = var.bucket_name # expect: registry-bucket-name/invalidName @17..32',
      '                         ^^^^^^^^^^^^^^^',
      '',
      '✖ 1 problem (1 error, 0 warnings, 0 infos) in 1 file',
      '',
    ].join('\n'),
  );
  assert.is(formatStylish(results(['registry-bucket-name/valid-pkrvars-overrides-bad-default']), false), '✔ no problems in 3 files\n');
});

test('stylish: messages line up after any severity; a finding with no file has its own group and is counted apart', () => {
  assert.is(
    formatStylish(PROJECT(), false),
    [
      '',
      '(no file)',
      `  -       warning  ${ENV_VALUE}  hcp-registry-env-value`,
      '',
      LEGACY_FILE,
      `  1:1     info     ${LEGACY}  json-legacy-template`,
      '    1 | {',
      '        ^',
      '',
      OVERRIDE_FILE,
      `  10:17   error    ${BUCKET}  registry-bucket-name`,
      '    10 |   bucket_name = "ubuntu_jammy" # expect: registry-bucket-name/invalidName @17..31',
      '                         ^^^^^^^^^^^^^^',
      `  10:17   warning  ${OVERRIDE}  registry-env-override`,
      '    10 |   bucket_name = "ubuntu_jammy" # expect: registry-bucket-name/invalidName @17..31',
      '                         ^^^^^^^^^^^^^^',
      '',
      TYPO_FILE,
      `  26:5    error    ${TYPO}  registry-unknown-argument`,
      '    26 |     bucket_nmae = "ubuntu-jammy" # expect: registry-unknown-argument/unknownArgument @5..16',
      '             ^^^^^^^^^^^',
      '',
      '✖ 5 problems (2 errors, 2 warnings, 1 info) in 3 files and 1 with no file',
      '',
    ].join('\n'),
  );
  assert.is(formatStylish(results(['hcp-registry-env-value/invalid-false'], { HCP_PACKER_REGISTRY: 'false' }), false).split('\n').at(-2), '✖ 1 problem (0 errors, 1 warning, 0 infos) with no file');
});

test('stylish: carets take the colour of their severity (red error, yellow warning, blue info)', () => {
  const lines = formatStylish(PROJECT(), true).split('\n');
  const carets = lines.filter((l) => l.includes('^'));
  assert.equal(carets, [
    '        \x1b[34m^\x1b[39m',
    '                         \x1b[31m^^^^^^^^^^^^^^\x1b[39m',
    '                         \x1b[33m^^^^^^^^^^^^^^\x1b[39m',
    '             \x1b[31m^^^^^^^^^^^\x1b[39m',
  ]);
  assert.ok(lines.includes(`  \x1b[2m10:17  \x1b[22m \x1b[33mwarning\x1b[39m  ${OVERRIDE}  \x1b[2mregistry-env-override\x1b[22m`));
});

// ---------------------------------------------------------------------------------------------------------------------
// control characters

const tmpDirs: string[] = [];
function hostileProject(): Results {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-report-'));
  tmpDirs.push(dir);
  // A comment that would retitle the terminal and clear it, a tab, and a file name with a colour code and a newline.
  const template = 'source "null" "example" {\n  communicator = "none"\n}\n\nhcp_packer_registry {\n  bucket_name = "web_base" # \x1b]0;pwned\x07 \x1b[2J\tdone\n}\n\nbuild {\n  sources = ["source.null.example"]\n}\n';
  writeFileSync(join(dir, 'evil\x1b[31m\nname.pkr.hcl'), template);
  const r = check(['.'], { cwd: dir });
  return toResults(r.diagnostics, r.files.length);
}

const HOSTILE_MESSAGE = 'bucket name "web_base" is not valid: it contains "_"; Packer requires 3 to 36 ASCII letters, digits and hyphens ("hcp_packer_registry.bucket_name can only contain between 3 and 36 ASCII letters, numbers and hyphens")';

test('control characters from a template and a file name reach the terminal as visible escapes, the carets still in place', () => {
  const r = hostileProject();
  const plain = formatStylish(r, false);
  assert.is(
    plain,
    [
      '',
      'evil\\x1b[31m\\nname.pkr.hcl',
      `  6:17    error    ${HOSTILE_MESSAGE}  registry-bucket-name`,
      '    6 |   bucket_name = "web_base" # \\x1b]0;pwned\\x07 \\x1b[2J done',
      '                        ^^^^^^^^^^',
      '',
      '✖ 1 problem (1 error, 0 warnings, 0 infos) in 1 file',
      '',
    ].join('\n'),
  );
  // In colour, the only escape sequences left are pkrlint's own colours.
  assert.not.match(formatStylish(r, true).replace(/\x1b\[\d+m/g, ''), RAW_CONTROL);
  // A newline in a file name does not split the compact line that names it.
  assert.is(formatCompact(r), `evil\\x1b[31m\\nname.pkr.hcl:6:17: error registry-bucket-name ${HOSTILE_MESSAGE}\n`);
});

test('control characters in a message are escaped in stylish, compact, github and the XML formats', () => {
  const r = handBuilt([finding({ file: 'a.pkr.hcl', line: 1, column: 1, endLine: 1, endColumn: 2, message: 'x\x1b[2Jy\x9bz\u0000' })]);
  assert.match(formatStylish(r, false), '  1:1     error    x\\x1b[2Jy\\x9bz\\x00  registry-bucket-name\n');
  assert.is(formatCompact(r), 'a.pkr.hcl:1:1: error registry-bucket-name x\\x1b[2Jy\\x9bz\\x00\n');
  assert.is(formatGithub(r), '::error file=a.pkr.hcl,line=1,endLine=1,col=1,endColumn=1,title=pkrlint (registry-bucket-name)::x\\x1b[2Jy\\x9bz\\x00\n');
  assert.match(formatCheckstyle(r), 'message="x\\x1b[2Jy\\x9bz\\x00"');
  for (const f of ['stylish', 'compact', 'github', 'checkstyle', 'junit'] as const) assert.not.match(format(f, r, { ...SARIF_OPTS, color: false }), RAW_CONTROL, f);
});

// ---------------------------------------------------------------------------------------------------------------------
// compact

test('compact: file:line:col: severity rule message; a finding with no file starts "pkrlint:" instead of a fake place', () => {
  assert.is(
    formatCompact(PROJECT()),
    [
      `pkrlint: warning hcp-registry-env-value ${ENV_VALUE}`,
      `${LEGACY_FILE}:1:1: info json-legacy-template ${LEGACY}`,
      `${OVERRIDE_FILE}:10:17: error registry-bucket-name ${BUCKET}`,
      `${OVERRIDE_FILE}:10:17: warning registry-env-override ${OVERRIDE}`,
      `${TYPO_FILE}:26:5: error registry-unknown-argument ${TYPO}`,
      '',
    ].join('\n'),
  );
});

// ---------------------------------------------------------------------------------------------------------------------
// github

/** How the Actions runner reads a workflow command (actions/runner ActionCommand.TryParseV2 and its unescaping). */
function runnerParse(line: string) {
  const m = /^::(\S+?)(?: (.*?))?::(.*)$/.exec(line.trimStart());
  if (!m) return undefined;
  const unescape = (s: string, property: boolean) => {
    const pairs: Array<[string, string]> = [['%0D', '\r'], ['%0A', '\n'], ...(property ? ([['%3A', ':'], ['%2C', ',']] as Array<[string, string]>) : []), ['%25', '%']];
    return pairs.reduce((acc, [from, to]) => acc.split(from).join(to), s);
  };
  const properties: Record<string, string> = {};
  for (const p of (m[2] ?? '').split(',').filter(Boolean)) {
    const i = p.indexOf('=');
    if (i > 0) properties[p.slice(0, i)] = unescape(p.slice(i + 1), true);
  }
  return { command: m[1], properties, data: unescape(m[3], false) };
}

test('github: one workflow command per finding, inclusive end column, info as a notice, no place for a finding with no file', () => {
  assert.is(
    formatGithub(PROJECT()),
    [
      `::warning title=pkrlint (hcp-registry-env-value)::${ENV_VALUE}`,
      `::notice file=${LEGACY_FILE},line=1,endLine=1,col=1,endColumn=1,title=pkrlint (json-legacy-template)::${LEGACY}`,
      `::error file=${OVERRIDE_FILE},line=10,endLine=10,col=17,endColumn=30,title=pkrlint (registry-bucket-name)::${BUCKET}`,
      `::warning file=${OVERRIDE_FILE},line=10,endLine=10,col=17,endColumn=30,title=pkrlint (registry-env-override)::${OVERRIDE}`,
      `::error file=${TYPO_FILE},line=26,endLine=26,col=5,endColumn=15,title=pkrlint (registry-unknown-argument)::${TYPO}`,
      '',
    ].join('\n'),
  );
  // "bucket_nmae" spans columns 5 to 15 inclusive: the source line has it there.
  assert.is('    bucket_nmae = "ubuntu-jammy"'.slice(5 - 1, 15), 'bucket_nmae');
  // A range over several lines: GitHub takes columns only on one line.
  assert.is(formatGithub(handBuilt([finding({ file: 'a.pkr.hcl', line: 2, column: 3, endLine: 4, endColumn: 2 })])), '::error file=a.pkr.hcl,line=2,endLine=4,title=pkrlint (registry-bucket-name)::m\n');
});

test('github: file names and messages with %, line breaks, commas and colons come out of the runner as they went in', () => {
  const file = 'dir, with: colon/100%\r\nsure.pkr.hcl';
  const message = 'value "50%25" is not 50%: line one\r\nline two, ::error::not a command';
  const lines = formatGithub(handBuilt([finding({ file, line: 3, column: 2, endLine: 3, endColumn: 9, message })])).split('\n');
  assert.is(lines.length, 2, 'one command, one line');
  assert.equal(runnerParse(lines[0]), {
    command: 'error',
    properties: { file, line: '3', endLine: '3', col: '2', endColumn: '8', title: 'pkrlint (registry-bucket-name)' },
    data: message,
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// checkstyle and JUnit

test('checkstyle: a <file> per file, an <error> per finding, findings with no file under <file name="">', () => {
  const q = (s: string) => s.replace(/"/g, '&quot;');
  assert.is(
    formatCheckstyle(PROJECT()),
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<checkstyle version="4.3">',
      '  <file name="">',
      `    <error severity="warning" message="${q(ENV_VALUE)}" source="pkrlint.hcp-registry-env-value"/>`,
      '  </file>',
      `  <file name="${LEGACY_FILE}">`,
      `    <error line="1" column="1" severity="info" message="${LEGACY}" source="pkrlint.json-legacy-template"/>`,
      '  </file>',
      `  <file name="${OVERRIDE_FILE}">`,
      `    <error line="10" column="17" severity="error" message="${q(BUCKET)}" source="pkrlint.registry-bucket-name"/>`,
      `    <error line="10" column="17" severity="warning" message="${q(OVERRIDE)}" source="pkrlint.registry-env-override"/>`,
      '  </file>',
      `  <file name="${TYPO_FILE}">`,
      `    <error line="26" column="5" severity="error" message="${q(TYPO)}" source="pkrlint.registry-unknown-argument"/>`,
      '  </file>',
      '</checkstyle>',
      '',
    ].join('\n'),
  );
});

test('XML formats escape markup, keep line breaks as references and show characters XML 1.0 cannot hold', () => {
  const r = handBuilt([finding({ file: 'a&b.pkr.hcl', line: 2, column: 1, endLine: 2, endColumn: 3, message: `<x a='1'> & "y"\nz\u0001\ud800` })]);
  const attr = '&lt;x a=&apos;1&apos;&gt; &amp; &quot;y&quot;&#10;z\\x01\\ud800';
  assert.match(formatCheckstyle(r), `  <file name="a&amp;b.pkr.hcl">\n    <error line="2" column="1" severity="error" message="${attr}" source="pkrlint.registry-bucket-name"/>\n`);
  assert.match(formatJunit(r), `<failure type="error" message="${attr}">a&amp;b.pkr.hcl:2:1: error registry-bucket-name ${attr}</failure>`);
});

test('junit: a suite per file, a failing test case per finding; a clean run is one passing test case', () => {
  const out = formatJunit(PROJECT()).split('\n');
  const q = (s: string) => s.replace(/"/g, '&quot;');
  assert.equal(out.slice(0, 5), [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="pkrlint" tests="5" failures="5" errors="0" time="0">',
    '  <testsuite name="(no file)" tests="1" failures="1" errors="0" skipped="0" time="0">',
    '    <testcase classname="(no file)" name="hcp-registry-env-value" time="0">',
    `      <failure type="warning" message="${q(ENV_VALUE)}">pkrlint: warning hcp-registry-env-value ${q(ENV_VALUE)}</failure>`,
  ]);
  const suite = out.indexOf(`  <testsuite name="${OVERRIDE_FILE}" tests="2" failures="2" errors="0" skipped="0" time="0">`);
  assert.ok(suite > 0, 'a suite for the file with two findings');
  assert.equal(out.slice(suite + 1, suite + 4), [
    `    <testcase classname="${OVERRIDE_FILE}" name="registry-bucket-name at 10:17" file="${OVERRIDE_FILE}" line="10" time="0">`,
    `      <failure type="error" message="${q(BUCKET)}">${OVERRIDE_FILE}:10:17: error registry-bucket-name ${q(BUCKET)}</failure>`,
    '    </testcase>',
  ]);
  assert.is(out.filter((l) => l.includes('<testcase ')).length, 5);
  assert.is(out.at(-2), '</testsuites>');
  assert.is(
    formatJunit(results(['registry-bucket-name/valid-pkrvars-overrides-bad-default'])),
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="pkrlint" tests="1" failures="0" errors="0" time="0">',
      '  <testsuite name="pkrlint" tests="1" failures="0" errors="0" skipped="0" time="0">',
      '    <testcase classname="pkrlint" name="no problems in 3 files" time="0"/>',
      '  </testsuite>',
      '</testsuites>',
      '',
    ].join('\n'),
  );
});

// ---------------------------------------------------------------------------------------------------------------------
// json

test('json: the documented schema is unchanged (summary.files is the files read)', () => {
  const out = JSON.parse(formatJson(results(['registry-bucket-name/invalid-via-auto-pkrvars'])));
  assert.equal(Object.keys(out), ['version', 'diagnostics', 'summary']);
  assert.equal(out.summary, { errors: 1, warnings: 0, infos: 0, files: 3 });
});

// ---------------------------------------------------------------------------------------------------------------------
// SARIF

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

test('sarif: one run with every rule, results pointing into them, regions in UTF-16 columns, fixes as replacements', () => {
  const log: Json = JSON.parse(formatSarif(PROJECT(), SARIF_OPTS));
  assert.is(log.version, '2.1.0');
  assert.is(log.runs.length, 1);
  const run = log.runs[0];
  assert.is(run.columnKind, 'utf16CodeUnits');
  assert.equal(
    { name: run.tool.driver.name, version: run.tool.driver.version, informationUri: run.tool.driver.informationUri },
    { name: 'pkrlint', version: '0.1.0', informationUri: PROJECT_URL },
  );
  assert.equal(run.tool.driver.rules.map((r: Json) => r.id), rules.map((r) => r.meta.id));
  assert.equal(run.tool.driver.rules.find((r: Json) => r.id === 'registry-env-override'), {
    id: 'registry-env-override',
    shortDescription: { text: "Reports HCP_PACKER_BUCKET_NAME silently overriding the template's bucket_name." },
    fullDescription: { text: "Reports HCP_PACKER_BUCKET_NAME silently overriding the template's bucket_name." },
    helpUri: 'https://github.com/pkrlint/pkrlint/blob/main/docs/rules/registry-env-override.md',
    help: {
      text: "Reports HCP_PACKER_BUCKET_NAME silently overriding the template's bucket_name.\n\nDocumentation: https://github.com/pkrlint/pkrlint/blob/main/docs/rules/registry-env-override.md",
      markdown: "Reports HCP_PACKER_BUCKET_NAME silently overriding the template's bucket_name.\n\n[Documentation](https://github.com/pkrlint/pkrlint/blob/main/docs/rules/registry-env-override.md)",
    },
    defaultConfiguration: { level: 'warning' },
    properties: { fixable: false },
  });
  for (const res of run.results) assert.is(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
  const byRule = (id: string) => run.results.find((res: Json) => res.ruleId === id);
  assert.equal(byRule('registry-unknown-argument'), {
    ruleId: 'registry-unknown-argument',
    ruleIndex: 9,
    level: 'error',
    message: { text: TYPO },
    locations: [{ physicalLocation: { artifactLocation: { uri: TYPO_FILE, uriBaseId: '%SRCROOT%' }, region: { startLine: 26, startColumn: 5, endLine: 26, endColumn: 16 } } }],
    fixes: [
      {
        description: { text: 'Rename to bucket_name' },
        artifactChanges: [
          {
            artifactLocation: { uri: TYPO_FILE, uriBaseId: '%SRCROOT%' },
            replacements: [{ deletedRegion: { startLine: 26, startColumn: 5, endLine: 26, endColumn: 17 }, insertedContent: { text: 'bucket_name ' } }],
          },
        ],
      },
    ],
  });
  assert.is(byRule('json-legacy-template').level, 'note');
  // GitHub rejects a whole upload with a result without a location: the finding with no file gets the placeholder.
  assert.equal(byRule('hcp-registry-env-value').locations, [{ physicalLocation: { artifactLocation: { uri: NO_FILE_URI, uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } } }]);
  assert.is(decodeURIComponent(NO_FILE_URI), 'no file associated with this alert');
});

test('sarif: without a documentation base, no helpUri but help still names the page; odd paths become URI references', () => {
  const log: Json = JSON.parse(formatSarif(handBuilt([finding({ file: 'my dir/a#1:%.pkr.hcl', line: 1, column: 1, endLine: 1, endColumn: 2 })]), { rules: RULES, toolVersion: '0.1.0' }));
  const rule = log.runs[0].tool.driver.rules[0];
  assert.not.ok('helpUri' in rule);
  assert.is(rule.help.text, 'Reports parse errors in HCL2 and JSON templates.\n\nDocumentation: docs/rules/syntax.md in the pkrlint repository');
  assert.is(rule.help.markdown, 'Reports parse errors in HCL2 and JSON templates.\n\nDocumentation: `docs/rules/syntax.md` in the pkrlint repository');
  assert.is(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'my%20dir/a%231%3A%25.pkr.hcl');
});

test('sarif: a rule turned off is listed as disabled', () => {
  const log: Json = JSON.parse(formatSarif(handBuilt([]), { rules: [toRuleInfo(rules[1].meta, 'off')], toolVersion: '0.1.0' }));
  assert.equal(log.runs[0].tool.driver.rules[0].defaultConfiguration, { enabled: false });
  assert.equal(log.runs[0].results, []);
});

// The official validator, @microsoft/sarif-multitool (a devDependency), with the SARIF rules and GitHub's ingestion
// rules ("Sarif;Gh"). It reports through a SARIF log of its own; its exit status is 0 either way.
function validatorPath(): string | undefined {
  try {
    const p = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The validator's errors and warnings for these SARIF texts, as `file: RULE arguments` lines. */
function validate(bin: string, logs: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-sarif-'));
  tmpDirs.push(dir);
  const files = Object.entries(logs).map(([name, text]) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  });
  const out = join(dir, 'validation.sarif');
  const run = spawnSync(bin, ['validate', ...files, '--output', out, '--log', 'ForceOverwrite', '--rule-kind', 'Sarif;Gh'], { encoding: 'utf8', timeout: 120_000 });
  assert.is(run.status, 0, `validator failed to run: ${run.error?.message ?? ''}${run.stdout}${run.stderr}`);
  const report: Json = JSON.parse(readFileSync(out, 'utf8'));
  assert.is(report.runs[0].invocations?.[0]?.executionSuccessful, true, 'the validator ran to the end');
  return report.runs[0].results
    .filter((r: Json) => (r.level ?? 'warning') === 'error' || (r.level ?? 'warning') === 'warning')
    .map((r: Json) => `${r.locations?.[0]?.physicalLocation?.artifactLocation?.uri?.split('/').pop()}: ${r.ruleId} ${(r.message.arguments ?? []).join(' | ')}`);
}

const validator = validatorPath();
if (validator) {
  test('sarif: the official validator (SARIF and GitHub ingestion rules) accepts every shape pkrlint writes', () => {
    const clean = results(['registry-bucket-name/valid-pkrvars-overrides-bad-default']);
    // A fix of two edits, one a pure insertion (registry-in-build-deprecated moves the block).
    const moved = results(['registry-in-build-deprecated/invalid-default-target']);
    assert.ok(moved.diagnostics.some((d) => d.fix && d.fix.edits.length === 2), 'the fixture still has a two-edit fix');
    const problems = validate(validator, {
      'project.sarif': formatSarif(PROJECT(), SARIF_OPTS),
      'no-docs-base.sarif': formatSarif(PROJECT(), { rules: RULES, toolVersion: '0.1.0' }),
      'moved.sarif': formatSarif(moved, SARIF_OPTS),
      'clean.sarif': formatSarif(clean, SARIF_OPTS),
      'hostile.sarif': formatSarif(hostileProject(), SARIF_OPTS),
    });
    assert.equal(problems, []);
  });

  test('sarif: the validator check fails where GitHub would: a result without a location', () => {
    const log: Json = JSON.parse(formatSarif(PROJECT(), SARIF_OPTS));
    for (const res of log.runs[0].results) if (res.ruleId === 'hcp-registry-env-value') delete res.locations;
    const problems = validate(validator, { 'no-location.sarif': JSON.stringify(log) });
    assert.ok(problems.some((p) => p.startsWith('no-location.sarif: GH1015')), problems.join('\n'));
  });
} else if (process.env.CI === 'true') {
  test('sarif: the official validator is installed (npm ci installs @microsoft/sarif-multitool)', () => {
    assert.unreachable('@microsoft/sarif-multitool is missing: SARIF output cannot be validated');
  });
} else {
  test.skip('sarif: the official validator accepts every shape pkrlint writes (needs @microsoft/sarif-multitool)', () => {});
}

// ---------------------------------------------------------------------------------------------------------------------
// every format

test('every format keeps a finding with no file', () => {
  const r = results(['hcp-registry-env-value/invalid-false'], { HCP_PACKER_REGISTRY: 'false' });
  assert.is(r.diagnostics[0].file, null);
  for (const f of FORMATS) {
    const out = format(f, r, { ...SARIF_OPTS, color: false });
    assert.ok(out.includes('hcp-registry-env-value') && out.includes('so this ENABLES HCP Packer; write HCP_PACKER_REGISTRY=off, or unset it'), `${f}:\n${out}`);
  }
});

test.after(() => {
  for (const d of tmpDirs) rmSync(d, { recursive: true, force: true });
});

test.run();
