/** The check command as a user runs it: exit statuses, formats, file arguments, environment, configuration. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './_helpers.js';

const SOURCE = `source "null" "example" {
  communicator = "none"
}
`;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const registry = (bucket: string, extra = '') => `hcp_packer_registry {
  bucket_name = "${bucket}"${extra}
}
`;
const build = (name = '') => `build {
${name ? `  name    = "${name}"\n` : ''}  sources = ["source.null.example"]
}
`;

const dirs: string[] = [];
const mk = (files: Record<string, string>) => {
  const d = project(files);
  dirs.push(d);
  return d;
};
const json = (stdout: string) => JSON.parse(stdout) as { version: number; diagnostics: Array<Record<string, unknown>>; summary: Record<string, number> };

test('a clean configuration exits 0 and says so', () => {
  const d = mk({ 'main.pkr.hcl': SOURCE + registry('web-base') + build() });
  const r = cli(['check', '--no-process-env', d]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /no problems in 1 file/);
});

test('an error exits 1; json output has the documented schema with 1-based positions', () => {
  const d = mk({ 'main.pkr.hcl': SOURCE + registry('web_base') + build() });
  const r = cli(['check', '--no-process-env', '--format', 'json', d], { cwd: d });
  assert.is(r.status, 1);
  const out = json(r.stdout);
  assert.is(out.version, 1);
  assert.equal(out.summary, { errors: 1, warnings: 0, infos: 0, files: 1 });
  const [diag] = out.diagnostics;
  assert.equal(
    { file: diag.file, ruleId: diag.ruleId, severity: diag.severity, line: diag.line, column: diag.column, endLine: diag.endLine, endColumn: diag.endColumn },
    { file: 'main.pkr.hcl', ruleId: 'registry-bucket-name', severity: 'error', line: 5, column: 17, endLine: 5, endColumn: 27 },
  );
  assert.match(String(diag.message), /"web_base"/);
});

test('compact format is file:line:col: severity rule message', () => {
  const d = mk({ 'main.pkr.hcl': SOURCE + registry('web-base', '\n  bucket_label = { team = "x" }') + build() });
  const r = cli(['check', '--no-process-env', '--format', 'compact', 'main.pkr.hcl'], { cwd: d });
  assert.is(r.status, 1);
  assert.match(r.stdout, /^main\.pkr\.hcl:6:3: error registry-unknown-argument argument "bucket_label" .*did you mean "bucket_labels"\?/m);
});

test('a fix is part of the json diagnostic', () => {
  const d = mk({ 'main.pkr.hcl': SOURCE + registry('web-base', '\n  bucket_label = { team = "x" }') + build() });
  const out = json(cli(['check', '--no-process-env', '--format', 'json', d], { cwd: d }).stdout);
  // A suggestion (it may change meaning), so --fix leaves it; the rename re-aligns the `=` of its group as packer fmt does.
  assert.equal(out.diagnostics[0].fix, {
    description: 'Rename to bucket_labels',
    suggestion: true,
    edits: [
      { line: 5, column: 14, endLine: 5, endColumn: 15, text: '   ' },
      { line: 6, column: 3, endLine: 6, endColumn: 16, text: 'bucket_labels ' },
    ],
  });
});

test('file arguments: the whole unit is analysed, findings are limited to the named files', () => {
  const d = mk({ 'hcp.pkr.hcl': registry('web_base'), 'build.pkr.hcl': SOURCE + build(), 'other.pkr.hcl': build('second') });
  // Two builds in the directory's configuration while HCP is on: the finding sits in other.pkr.hcl.
  const onlyBuild = cli(['check', '--no-process-env', '--format', 'json', 'build.pkr.hcl'], { cwd: d });
  assert.is(onlyBuild.status, 0, onlyBuild.stdout);
  assert.is(json(onlyBuild.stdout).diagnostics.length, 0);
  const other = json(cli(['check', '--no-process-env', '--format', 'json', 'other.pkr.hcl'], { cwd: d }).stdout);
  assert.equal(other.diagnostics.map((x) => x.ruleId), ['registry-multiple-builds']);
  const all = json(cli(['check', '--no-process-env', '--format', 'json', '.'], { cwd: d }).stdout);
  assert.equal(all.diagnostics.map((x) => x.ruleId).sort(), ['registry-bucket-name', 'registry-multiple-builds']);
});

test('a directory and a file together: the directory reports everything, the file only itself', () => {
  const d = mk({ 'a/hcp.pkr.hcl': registry('bad_a'), 'a/build.pkr.hcl': SOURCE + build(), 'b/hcp.pkr.hcl': registry('bad_b'), 'b/build.pkr.hcl': SOURCE + build() });
  const out = json(cli(['check', '--no-process-env', '--format', 'json', 'a', 'b/build.pkr.hcl'], { cwd: d }).stdout);
  assert.equal(out.diagnostics.map((x) => x.file), ['a/hcp.pkr.hcl']);
  assert.is(out.summary.files, 3);
});

test('a file that does not parse leaves its configuration checked in part: a named sibling file says so', () => {
  const d = mk({ 'hcp.pkr.hcl': registry('bad_name'), 'build.pkr.hcl': 'source "null" "x" {\n' });
  const r = cli(['check', '--no-process-env', '--format', 'compact', 'hcp.pkr.hcl'], { cwd: d });
  assert.is(r.status, 1);
  assert.match(r.stdout, /^pkrlint: error syntax build\.pkr\.hcl:1: unclosed block started at line 1; this file belongs to the same configuration, which was checked only in part$/m);
});

test('--ignore hides the findings of an ignored file that is part of a searched configuration', () => {
  const d = mk({ 'hcp.pkr.hcl': registry('bad_name'), 'build.pkr.hcl': SOURCE + build() });
  assert.is(cli(['check', '--no-process-env', '--ignore', 'hcp.pkr.hcl', '.'], { cwd: d }).status, 0);
  assert.is(cli(['check', '--no-process-env', '.'], { cwd: d }).status, 1);
});

test('a single-valued option given twice: the last one wins', () => {
  const d = mk({ 'main.pkr.hcl': SOURCE + registry('web_base') + build() });
  const r = cli(['check', '--no-process-env', '-f', 'compact', '--packer-version', '1.12.0', '--packer-version', '1.16.0', '.'], { cwd: d });
  assert.match(r.stdout, /^main\.pkr\.hcl:5:17: error registry-bucket-name/);
  // A top-level block needs 1.13.0: the first version given (1.12.0) would have reported it.
  assert.not.match(r.stdout, /registry-placement/);
  assert.match(cli(['check', '--no-process-env', '-f', 'compact', '--packer-version', '1.12.0', '.'], { cwd: d }).stdout, /registry-placement/);
});

test('a missing path is bad input: exit 2, one line, no stack trace', () => {
  const r = cli(['check', 'does-not-exist.pkr.hcl']);
  assert.is(r.status, 2);
  assert.is(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /^pkrlint: does-not-exist\.pkr\.hcl: no such file or directory/);
  assert.not.match(r.stderr, /at .*\.js:\d+/);
});

test('bad usage exits 2', () => {
  assert.is(cli(['check', '--format', 'xml']).status, 2);
  assert.is(cli(['check', '--packer-version', 'banana', '.']).status, 2);
  assert.is(cli(['check', '--env', 'NOEQUALS', '.']).status, 2);
  // Node 20 itself reads --env-file anywhere on its command line; bin/pkrlint keeps the option for pkrlint.
  const missing = cli(['check', '--env-file', 'no-such.env', '.']);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /^pkrlint: no-such\.env: cannot read env file/);
});

test('an env file names the line the override came from', () => {
  const d = mk({ 'main.pkr.hcl': SOURCE + registry('web-base') + build(), 'ci.env': '# CI settings\nHCP_CLIENT_ID=abc\nHCP_CLIENT_SECRET=def\nHCP_PACKER_BUCKET_NAME=legacy-web\n' });
  const r = cli(['check', '--no-process-env', '--env-file', 'ci.env', '--format', 'compact', '.'], { cwd: d });
  assert.is(r.status, 0);
  assert.match(r.stdout, /warning registry-env-override HCP_PACKER_BUCKET_NAME="legacy-web" \(set in ci\.env:4\) overrides bucket_name "web-base"/);
});

test('the process environment counts unless --no-process-env', () => {
  const d = mk({ 'main.pkr.hcl': SOURCE + registry('web-base') + build() });
  const env = { HCP_PACKER_REGISTRY: 'false' };
  const withEnv = cli(['check', '--format', 'compact', '.'], { cwd: d, env });
  assert.match(withEnv.stdout, /hcp-registry-env-value HCP_PACKER_REGISTRY is "false" \(set in the process environment\)/);
  const without = cli(['check', '--no-process-env', '--format', 'compact', '.'], { cwd: d, env });
  assert.is(without.stdout, '');
});

test('variable values: PKR_VAR_, --var-file and --var, later ones winning', () => {
  const d = mk({
    'main.pkr.hcl': `variable "bucket" {\n  type    = string\n  default = "web-base"\n}\n\n` + SOURCE + `hcp_packer_registry {\n  bucket_name = var.bucket\n}\n` + build(),
    'prod.pkrvars.hcl': 'bucket = "prod_web"\n',
  });
  const run = (args: string[], env = {}) => json(cli(['check', '--format', 'json', ...args, '.'], { cwd: d, env }).stdout).diagnostics.map((x) => String(x.message));
  assert.equal(run(['--no-process-env']), []);
  assert.match(run([], { PKR_VAR_bucket: 'from_env' })[0], /"from_env" \(from var\.bucket \(PKR_VAR_bucket in the process environment\)\)/);
  assert.match(run(['--no-process-env', '--var-file', 'prod.pkrvars.hcl'])[0], /"prod_web" \(from var\.bucket \(prod\.pkrvars\.hcl:1\)\)/);
  assert.equal(run(['--no-process-env', '--var-file', 'prod.pkrvars.hcl', '--var', 'bucket=fine-name']), []);
});

test('configuration file: severities and target version; a broken one is fatal with its path', () => {
  const d = mk({
    'main.pkr.hcl': SOURCE + `build {\n  sources = ["source.null.example"]\n  hcp_packer_registry {\n    bucket_name = "web-base"\n  }\n}\n`,
  });
  mkdirSync(join(d, '.git'));
  // Target 1.16.0 by default: the build-level block is deprecated (a warning).
  assert.match(cli(['check', '--no-process-env', '--format', 'compact', '.'], { cwd: d }).stdout, /warning registry-in-build-deprecated/);
  writeFileSync(join(d, '.pkrlintrc.json'), JSON.stringify({ rules: { 'registry-in-build-deprecated': 'error' } }));
  const asError = cli(['check', '--no-process-env', '--format', 'compact', '.'], { cwd: d });
  assert.is(asError.status, 1);
  assert.match(asError.stdout, /error registry-in-build-deprecated/);
  writeFileSync(join(d, '.pkrlintrc.json'), JSON.stringify({ packerVersion: '1.12.0' }));
  assert.is(cli(['check', '--no-process-env', '--format', 'compact', '.'], { cwd: d }).stdout, '');
  writeFileSync(join(d, '.pkrlintrc.json'), '{ "rules": { "no-such-rule": "error" } }');
  const bad = cli(['check', '--no-process-env', '.'], { cwd: d });
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /\.pkrlintrc\.json:1: unknown rule "no-such-rule"/);
});

test('--quiet shows errors only; --max-warnings turns warnings into a failure', () => {
  const d = mk({ 'main.pkr.hcl': SOURCE + registry('web-base-', '\n  labels = { team = "web" }') + build() });
  const all = cli(['check', '--no-process-env', '--format', 'compact', '.'], { cwd: d });
  assert.is(all.status, 0);
  assert.is(all.stdout.trim().split('\n').length, 2);
  assert.is(cli(['check', '--no-process-env', '--quiet', '--format', 'compact', '.'], { cwd: d }).stdout, '');
  assert.is(cli(['check', '--no-process-env', '--max-warnings', '1', '.'], { cwd: d }).status, 1);
  assert.is(cli(['check', '--no-process-env', '--max-warnings', '2', '.'], { cwd: d }).status, 0);
});

test('JSON files that are not templates: silent in directory search, reported when named', () => {
  const arm = JSON.stringify({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', variables: { storageName: "[concat('store', uniqueString(resourceGroup().id))]" }, resources: [] });
  const d = mk({ 'package.json': '{"name": "x"}', 'azuredeploy.json': arm, 'sub/main.pkr.hcl': SOURCE + build() });
  const dirRun = cli(['check', '--no-process-env', '.'], { cwd: d });
  assert.is(dirRun.status, 0);
  assert.is(dirRun.stderr, '');
  const named = cli(['check', '--no-process-env', 'package.json'], { cwd: d });
  assert.is(named.status, 0);
  assert.match(named.stderr, /package\.json: not a Packer template, skipped/);
  // An Azure ARM deployment template has a flat `variables` object too, but other root keys.
  assert.match(cli(['check', '--no-process-env', 'azuredeploy.json'], { cwd: d }).stderr, /azuredeploy\.json: not a Packer template, skipped/);
});

test('directory search skips node_modules, hidden directories and --ignore globs', () => {
  const bad = SOURCE + registry('bad_name') + build();
  const d = mk({ 'node_modules/x/main.pkr.hcl': bad, '.cache/main.pkr.hcl': bad, 'vendor/main.pkr.hcl': bad, 'ok/main.pkr.hcl': bad });
  const out = json(cli(['check', '--no-process-env', '--format', 'json', '--ignore', 'vendor/**', '.'], { cwd: d }).stdout);
  assert.equal(out.diagnostics.map((x) => x.file), ['ok/main.pkr.hcl']);
});

test('colour: only when asked or on a terminal, and never with NO_COLOR', () => {
  const d = mk({ 'main.pkr.hcl': SOURCE + registry('web_base') + build() });
  assert.not.match(cli(['check', '--no-process-env', '.'], { cwd: d }).stdout, /\x1b\[/);
  assert.match(cli(['check', '--no-process-env', '--color', '.'], { cwd: d }).stdout, /\x1b\[/);
  assert.match(cli(['check', '--no-process-env', '.'], { cwd: d, env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout, /\x1b\[/);
});

test('stylish output shows a code frame marking the range', () => {
  const d = mk({ 'main.pkr.hcl': SOURCE + registry('web_base') + build() });
  const r = cli(['check', '--no-process-env', '.'], { cwd: d });
  assert.match(r.stdout, /5 \| {3}bucket_name = "web_base"\n\s+\^{10}\n/);
  assert.match(r.stdout, /1 problem \(1 error, 0 warnings, 0 infos\) in 1 file/);
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
