/** check --fix, --fix-dry-run and --fix-rule as a user runs them: files written or not, diffs git accepts. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './_helpers.js';

// A real-looking configuration with CRLF line endings, a byte order mark, comments and tabs outside the fixed ranges,
// and two fixable findings: a build-level registry block (moved) whose deprecated labels argument is renamed.
const BOM = '\ufeff';
const TEMPLATE = [
  '# Web base image\t(owned by the platform team)',
  'source "null" "web" {',
  '  communicator = "none"',
  '}',
  '',
  'build {',
  '  sources = ["source.null.web"]',
  '',
  '  hcp_packer_registry {',
  '    bucket_name = "web-base"',
  '    labels      = { team = "web" }',
  '  }',
  '}',
  '',
].join('\r\n');

const dirs: string[] = [];
function repo(text = BOM + TEMPLATE): string {
  const d = mkdtempSync(join(tmpdir(), 'pkrlint-fixcli-'));
  dirs.push(d);
  writeFileSync(join(d, 'main.pkr.hcl'), text);
  return d;
}

test('--fix-dry-run writes nothing and prints a diff that git apply accepts; the report goes to stderr', () => {
  const d = repo();
  const r = cli(['check', '--no-process-env', '--fix-dry-run', '-f', 'compact', '.'], { cwd: d });
  assert.is(r.status, 0, r.stderr);
  assert.is(readFileSync(join(d, 'main.pkr.hcl'), 'utf8'), BOM + TEMPLATE, 'nothing written');
  assert.equal(readdirSync(d), ['main.pkr.hcl']);
  assert.match(r.stdout, /^diff --git a\/main\.pkr\.hcl b\/main\.pkr\.hcl\n--- a\/main\.pkr\.hcl\n\+\+\+ b\/main\.pkr\.hcl\n@@ /);
  assert.match(r.stdout, /\n\+ {2}bucket_labels/);
  writeFileSync(join(d, 'fix.patch'), r.stdout);
  assert.is(spawnSync('git', ['init', '-q'], { cwd: d }).status, 0);
  const apply = spawnSync('git', ['apply', 'fix.patch'], { cwd: d, encoding: 'utf8' });
  assert.is(apply.status, 0, apply.stderr);
  // Applied, the patch gives exactly what --fix writes.
  const fixedByPatch = readFileSync(join(d, 'main.pkr.hcl'), 'utf8');
  const d2 = repo();
  assert.is(cli(['check', '--no-process-env', '--fix', '-f', 'compact', '.'], { cwd: d2 }).status, 0);
  assert.is(readFileSync(join(d2, 'main.pkr.hcl'), 'utf8'), fixedByPatch);
});

test('--fix rewrites in place: CRLF, the byte order mark, tabs and comments kept; permissions kept; a second run changes nothing', () => {
  const d = repo();
  chmodSync(join(d, 'main.pkr.hcl'), 0o640);
  const r = cli(['check', '--no-process-env', '--fix', '-f', 'compact', '.'], { cwd: d });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, '', 'both findings fixed: nothing remains');
  const fixed = readFileSync(join(d, 'main.pkr.hcl'), 'utf8');
  assert.ok(fixed.startsWith(BOM + '# Web base image\t(owned by the platform team)\r\n'), 'BOM, tab and comment kept');
  assert.not.match(fixed.replace(/\r\n/g, ''), /\n/, 'every line still ends in CRLF');
  assert.match(fixed, /\r\nhcp_packer_registry \{\r\n {2}bucket_name {3}= "web-base"\r\n {2}bucket_labels = \{ team = "web" \}\r\n\}/);
  assert.not.match(fixed, /\n {2}hcp_packer_registry/);
  assert.is(statSync(join(d, 'main.pkr.hcl')).mode & 0o777, 0o640);
  assert.equal(readdirSync(d), ['main.pkr.hcl'], 'no temporary file left');
  const again = cli(['check', '--no-process-env', '--fix', '-f', 'compact', '.'], { cwd: d });
  assert.is(again.status, 0);
  assert.is(readFileSync(join(d, 'main.pkr.hcl'), 'utf8'), fixed);
});

test('--fix-rule fixes only that rule; the other finding is still reported', () => {
  const d = repo();
  const r = cli(['check', '--no-process-env', '--fix-rule', 'registry-labels-deprecated', '-f', 'compact', '.'], { cwd: d });
  assert.is(r.status, 0);
  assert.match(r.stdout, /^main\.pkr\.hcl:9:3: warning registry-in-build-deprecated /);
  const fixed = readFileSync(join(d, 'main.pkr.hcl'), 'utf8');
  assert.match(fixed, /\n {4}bucket_labels/);
  assert.match(fixed, /\n {2}hcp_packer_registry \{/, 'the block was not moved');
  assert.match(cli(['check', '--fix-rule', 'registry-labels-deprecatd', '.'], { cwd: d }).stderr, /unknown rule "registry-labels-deprecatd"; did you mean "registry-labels-deprecated"\?/);
});

test('--fix on a read-only file or directory exits 2 with a clear message and leaves every file as it was', () => {
  const d = repo();
  chmodSync(join(d, 'main.pkr.hcl'), 0o444);
  const r = cli(['check', '--no-process-env', '--fix', '.'], { cwd: d });
  assert.is(r.status, 2);
  assert.is(r.stderr, 'pkrlint: main.pkr.hcl: not fixed: the file is read-only; nothing was written\n');
  assert.is(readFileSync(join(d, 'main.pkr.hcl'), 'utf8'), BOM + TEMPLATE);
  chmodSync(join(d, 'main.pkr.hcl'), 0o644);
  chmodSync(d, 0o555);
  try {
    const r2 = cli(['check', '--no-process-env', '--fix', '.'], { cwd: d });
    assert.is(r2.status, 2);
    assert.is(r2.stderr, 'pkrlint: main.pkr.hcl: not fixed: the directory is read-only; nothing was written\n');
    assert.is(readFileSync(join(d, 'main.pkr.hcl'), 'utf8'), BOM + TEMPLATE);
    assert.equal(readdirSync(d), ['main.pkr.hcl']);
  } finally {
    chmodSync(d, 0o755);
  }
});

test('standard input cannot be fixed in place, only previewed', () => {
  const r = cli(['check', '--no-process-env', '--fix', '--stdin-filename', 'x.pkr.hcl', '-'], { input: TEMPLATE });
  assert.is(r.status, 2);
  assert.match(r.stderr, /--fix cannot write standard input back: use --fix-dry-run/);
  const d = repo('');
  const dry = cli(['check', '--no-process-env', '--fix-dry-run', '-f', 'compact', '--stdin-filename', 'main.pkr.hcl', '-'], { cwd: d, input: TEMPLATE });
  assert.is(dry.status, 0);
  assert.match(dry.stdout, /^diff --git a\/main\.pkr\.hcl b\/main\.pkr\.hcl\n/);
  assert.is(readFileSync(join(d, 'main.pkr.hcl'), 'utf8'), '');
});

test('registry-missing is off until turned on; turned on, --fix adds the block with a bucket name from the directory', () => {
  const d = mkdtempSync(join(tmpdir(), 'pkrlint-fixcli-'));
  dirs.push(d);
  mkdirSync(join(d, 'golden_ubuntu'));
  const unit = join(d, 'golden_ubuntu', 'main.pkr.hcl');
  const text = 'source "null" "base" {\n  communicator = "none"\n}\n\nbuild {\n  sources = ["source.null.base"]\n}\n';
  writeFileSync(unit, text);
  const listed = cli(['rules']).stdout.split('\n').find((l) => l.startsWith('registry-missing '));
  assert.match(listed ?? '', /^registry-missing +off +yes +docs\/rules\/registry-missing\.md$/);
  const json = JSON.parse(cli(['rules', '-f', 'json']).stdout) as { rules: Array<{ id: string; severity: string; severityWhenOn: string }> };
  assert.equal(json.rules.filter((r) => r.id === 'registry-missing').map((r) => [r.severity, r.severityWhenOn]), [['off', 'warning']]);
  assert.is(cli(['check', '--no-process-env', '-f', 'compact', '.'], { cwd: d }).stdout, '', 'off by default');
  const on = cli(['check', '--no-process-env', '--rule', 'registry-missing:error', '-f', 'compact', '.'], { cwd: d });
  assert.is(on.status, 1);
  assert.match(on.stdout, /^golden_ubuntu\/main\.pkr\.hcl:5:1: error registry-missing /);
  writeFileSync(join(d, '.pkrlintrc.json'), JSON.stringify({ rules: { 'registry-missing': 'warning' } }));
  const fixed = cli(['check', '--no-process-env', '--fix', '-f', 'compact', '.'], { cwd: d });
  assert.is(fixed.status, 0, fixed.stderr);
  assert.is(fixed.stdout, '');
  assert.is(readFileSync(unit, 'utf8'), 'source "null" "base" {\n  communicator = "none"\n}\n\nhcp_packer_registry {\n  bucket_name = "golden-ubuntu"\n}\n\nbuild {\n  sources = ["source.null.base"]\n}\n');
});

test('JSON and SARIF: a fix that edits another file of the configuration names that file', () => {
  const d = mkdtempSync(join(tmpdir(), 'pkrlint-fixcli-'));
  dirs.push(d);
  writeFileSync(join(d, 'data.pkr.hcl'), 'data "hcp_packer_version" "golden" {\n  bucket_name  = "golden"\n  channel_name = "production"\n}\n');
  writeFileSync(join(d, 'build.pkr.hcl'), 'source "null" "web" {\n  communicator = "none"\n}\n\nbuild {\n  sources = ["source.null.web"]\n\n  provisioner "shell-local" {\n    inline = ["echo ${data.hcp_packer_version.golden.fingerprint}"]\n  }\n}\n');
  const json = JSON.parse(cli(['check', '--no-process-env', '-f', 'json', '.'], { cwd: d }).stdout) as { diagnostics: Array<{ ruleId: string; file: string; fix?: { edits: Array<{ file?: string; line: number; text: string }> } }> };
  const f = json.diagnostics.find((x) => x.ruleId === 'hcp-datasource-type')!;
  assert.is(f.file, 'data.pkr.hcl');
  assert.equal(f.fix!.edits.map((e) => [e.file ?? null, e.line, e.text]), [[null, 1, '"hcp-packer-version"'], ['build.pkr.hcl', 9, 'hcp-packer-version']]);
  const sarif = JSON.parse(cli(['check', '--no-process-env', '-f', 'sarif', '.'], { cwd: d }).stdout) as { runs: Array<{ results: Array<{ ruleId: string; fixes?: Array<{ artifactChanges: Array<{ artifactLocation: { uri: string }; replacements: unknown[] }> }> }> }> };
  const r = sarif.runs[0].results.find((x) => x.ruleId === 'hcp-datasource-type')!;
  assert.equal(r.fixes![0].artifactChanges.map((c) => [c.artifactLocation.uri, c.replacements.length]), [['data.pkr.hcl', 1], ['build.pkr.hcl', 1]]);
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
