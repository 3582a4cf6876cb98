/** The command-line conventions CI users and editors expect: --version, standard input, outputs, rules, --rule. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ROOT } from './_helpers.js';

// A realistic configuration split across two files, with one mistake: an invalid bucket name (an underscore).
const VARIABLES = `variable "region" {
  type    = string
  default = "eu-west-1"
}
`;
const MAIN = (bucket: string) => `source "null" "web" {
  communicator = "none"
}

hcp_packer_registry {
  bucket_name = "${bucket}"
  description = "Web server base image"
}

build {
  sources = ["source.null.web"]
}
`;

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-conv-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test('--version prints pkrlint\'s own version, wherever it runs', () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  // A directory with a package.json of another project: yargs' default would print that one's version.
  const d = project({ 'package.json': '{"name":"other","version":"9.9.9"}' });
  for (const cwd of [d, tmpdir()]) {
    const r = cli(['--version'], { cwd });
    assert.is(r.status, 0);
    assert.is(r.stdout.trim(), version);
  }
  assert.is(cli(['check', '--version'], { cwd: d }).stdout.trim(), version);
});

test('--stdin lints the text as the named file, with the rest of its unit from disk', () => {
  const d = project({ 'web/variables.pkr.hcl': VARIABLES, 'web/main.pkr.hcl': MAIN('web-base') });
  // The editor buffer has a mistake that the file on disk does not.
  const r = cli(['check', '--no-process-env', '-f', 'compact', '--stdin', '--stdin-filename', 'web/main.pkr.hcl'], { cwd: d, input: MAIN('web_base') });
  assert.is(r.status, 1);
  assert.is(
    r.stdout,
    'web/main.pkr.hcl:6:17: error registry-bucket-name bucket name "web_base" is not valid: it contains "_"; Packer requires 3 to 36 ASCII letters, digits and hyphens ("hcp_packer_registry.bucket_name can only contain between 3 and 36 ASCII letters, numbers and hyphens")\n',
  );
  // The file on disk was not read for that name, and nothing was written.
  assert.is(readFileSync(join(d, 'web/main.pkr.hcl'), 'utf8'), MAIN('web-base'));
});

test('- as the path is standard input; the unit\'s other files count (a second build block in the buffer)', () => {
  const d = project({ 'base.pkr.hcl': MAIN('web-base') });
  const r = cli(['check', '--no-process-env', '-f', 'compact', '-', '--stdin-filename', 'web.pkr.hcl'], { cwd: d, input: 'build {\n  sources = ["source.null.web"]\n}\n' });
  assert.is(r.status, 1);
  assert.match(r.stdout, /^web\.pkr\.hcl:1:1: error registry-multiple-builds a second build block while HCP Packer is enabled by an hcp_packer_registry block \(the first build is at base\.pkr\.hcl:10\)/);
  assert.not.ok(existsSync(join(d, 'web.pkr.hcl')));
});

test('standard input without --stdin-filename is bad usage, and so are other paths beside it', () => {
  const r = cli(['check', '--stdin'], { input: 'build {}\n' });
  assert.is(r.status, 2);
  assert.is(r.stderr, 'pkrlint: standard input needs --stdin-filename: the file it stands for, such as images/web.pkr.hcl\n');
  const both = cli(['check', '-', 'examples', '--stdin-filename', 'x.pkr.hcl'], { input: 'build {}\n' });
  assert.is(both.status, 2);
  assert.match(both.stderr, /standard input is the only input/);
});

test('-o writes the report to a file; several formats in one run, each to its place', () => {
  const d = project({ 'main.pkr.hcl': MAIN('web_base') });
  // The report directory is made when missing.
  const ok = cli(['check', '--no-process-env', '-f', 'json:report/out.json', '-f', 'compact', '.'], { cwd: d });
  assert.is(ok.status, 1);
  const report = JSON.parse(readFileSync(join(d, 'report/out.json'), 'utf8')) as { diagnostics: Array<{ ruleId: string; line: number }> };
  assert.equal(report.diagnostics.map((x) => `${x.ruleId}:${x.line}`), ['registry-bucket-name:6']);
  assert.match(ok.stdout, /registry-bucket-name/);
  const o = cli(['check', '--no-process-env', '-f', 'compact', '-o', 'report/c.txt', '.'], { cwd: d });
  assert.is(o.stdout, '');
  assert.match(readFileSync(join(d, 'report/c.txt'), 'utf8'), /^main\.pkr\.hcl:6:17: error registry-bucket-name /);
  // No temporary file is left beside the reports.
  assert.equal(readdirSync(join(d, 'report')).sort(), ['c.txt', 'out.json']);
});

test('CI formats from the command line: SARIF to a file and GitHub annotations on standard output', () => {
  const d = project({ 'main.pkr.hcl': MAIN('web_base') });
  const r = cli(['check', '--no-process-env', '-f', 'sarif:pkrlint.sarif', '-f', 'github', '.'], { cwd: d });
  assert.is(r.status, 1);
  assert.match(r.stdout, /^::error file=main\.pkr\.hcl,line=6,endLine=6,col=17,endColumn=26,title=pkrlint \(registry-bucket-name\)::bucket name "web_base" is not valid/);
  const sarif = JSON.parse(readFileSync(join(d, 'pkrlint.sarif'), 'utf8')) as { version: string; runs: Array<{ tool: { driver: { version: string } }; results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }> }> }> };
  assert.is(sarif.version, '2.1.0');
  const [res] = sarif.runs[0].results;
  assert.is(res.ruleId, 'registry-bucket-name');
  assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'main.pkr.hcl');
  assert.equal(res.locations[0].physicalLocation.region.startLine, 6);
  assert.is(sarif.runs[0].tool.driver.version, (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
});

test('an output that cannot be written exits 2 and names the file and the cause', () => {
  const d = project({ 'main.pkr.hcl': MAIN('web-base'), 'taken': 'a file, not a directory\n' });
  const r = cli(['check', '--no-process-env', '-o', 'taken/out.txt', '.'], { cwd: d });
  assert.is(r.status, 2);
  assert.match(r.stderr, /^pkrlint: cannot write the report: .*taken.*not a directory/);
});

test('outputs that would mix on standard output or share a file are bad usage', () => {
  assert.match(cli(['check', '-f', 'json', '-f', 'compact', 'examples']).stderr, /2 formats would be printed together on standard output/);
  assert.match(cli(['check', '-f', 'json', '-f', 'compact', '-o', 'x', 'examples']).stderr, /2 formats would be written to one file/);
  const unknown = cli(['check', '-f', 'stylsh', 'examples']);
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, /unknown format "stylsh" .*did you mean "stylish"\?/);
});

test('pkrlint rules lists every rule with its severity, fix and docs; --format json too', () => {
  const text = cli(['rules']);
  assert.is(text.status, 0);
  const lines = text.stdout.trim().split('\n');
  assert.match(lines[0], /^rule\s+severity\s+fix\s+docs$/);
  assert.match(text.stdout, /\nregistry-in-build-deprecated\s+warning\s+yes\s+docs\/rules\/registry-in-build-deprecated\.md\n/);
  const j = JSON.parse(cli(['rules', '--format', 'json']).stdout) as { rules: Array<{ id: string; severity: string; fixable: boolean; docs: string }> };
  assert.is(j.rules.length, lines.length - 1);
  const docs = readdirSync(join(ROOT, 'docs', 'rules')).map((f) => f.replace(/\.md$/, '')).sort();
  assert.equal(j.rules.map((x) => x.id).sort(), docs);
  for (const r of j.rules) assert.ok(existsSync(join(ROOT, r.docs)), r.docs);
  assert.equal(j.rules.find((x) => x.id === 'hcp-registry-disabled'), { ...j.rules.find((x) => x.id === 'hcp-registry-disabled')!, severity: 'info', fixable: false });
});

test('--rule ID:SEVERITY sets a severity for this run; warn is warning; mistakes are bad usage with a did-you-mean', () => {
  const d = project({ 'main.pkr.hcl': MAIN('web_base') });
  const off = cli(['check', '--no-process-env', '-f', 'compact', '--rule', 'registry-bucket-name:off', '.'], { cwd: d });
  assert.is(off.status, 0);
  assert.is(off.stdout, '');
  const warn = cli(['check', '--no-process-env', '-f', 'compact', '--rule', 'registry-bucket-name:warn', '.'], { cwd: d });
  assert.is(warn.status, 0);
  assert.match(warn.stdout, /^main\.pkr\.hcl:6:17: warning registry-bucket-name /);
  const typo = cli(['check', '--rule', 'registry-bucket-nme:error', '.'], { cwd: d });
  assert.is(typo.status, 2);
  assert.match(typo.stderr, /unknown rule "registry-bucket-nme"; did you mean "registry-bucket-name"\?/);
  assert.is(cli(['check', '--rule', 'syntax:off', '.'], { cwd: d }).status, 2);
  assert.is(cli(['check', '--rule', 'registry-bucket-name', '.'], { cwd: d }).status, 2);
});

test('the configuration file accepts warn for warning', () => {
  const d = project({ 'main.pkr.hcl': MAIN('web_base'), '.pkrlintrc.json': '{ "rules": { "registry-bucket-name": "warn" } }\n' });
  const r = cli(['check', '--no-process-env', '-f', 'compact', '.'], { cwd: d });
  assert.is(r.status, 0);
  assert.match(r.stdout, /warning registry-bucket-name/);
});

test('an unknown command gets a did-you-mean; options follow one rule', () => {
  const r = cli(['chek', 'examples']);
  assert.is(r.status, 2);
  assert.match(r.stderr, /^pkrlint: unknown command "chek"; did you mean "check"\?/);
  // A value-taking option at the end with no value, and a junk boolean value, are bad usage.
  assert.match(cli(['check', 'examples', '--format']).stderr, /^pkrlint: --format needs a value\n/);
  assert.match(cli(['check', '--color=banana', 'examples']).stderr, /--color takes no value, or true or false \(got "banana"\)/);
  assert.is(cli(['check', '--quiet=maybe', 'examples']).status, 2);
});

test('-- ends the options: a file whose name starts with a dash', () => {
  const d = project({ '-dash.pkr.hcl': MAIN('web_base') });
  const r = cli(['check', '--no-process-env', '-f', 'compact', '--', '-dash.pkr.hcl'], { cwd: d });
  assert.is(r.status, 1);
  assert.match(r.stdout, /^-dash\.pkr\.hcl:6:17: error registry-bucket-name /);
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
