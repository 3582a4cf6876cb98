// The `pkrlint migrate` command end to end: outputs beside the JSON, --out-dir, --stdout, --dry-run, --force,
// variable files, and exit statuses 0/1/2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dirWith, fixtures, fixturesDir, migrateCli, migrateFixture, repoRoot, tempDir } from './support.js';

const bin = join(repoRoot, 'bin', 'pkrlint');
const clean = readFileSync(join(fixturesDir, 'build-same-names', 'template.json'), 'utf8');

function pkrlint(cwd: string, ...args: string[]) {
  const r = spawnSync(bin, ['migrate', ...args], { cwd, encoding: 'utf8', env: { ...process.env, HCP_PACKER_BUCKET_NAME: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function setup(): string {
  const dir = tempDir('cli');
  mkdirSync(join(dir, 'templates', 'nested'), { recursive: true });
  copyFileSync(join(fixturesDir, 'build-same-names', 'template.json'), join(dir, 'templates', 'clean.json'));
  copyFileSync(join(fixturesDir, 'untranslatable', 'template.json'), join(dir, 'templates', 'nested', 'review.json'));
  writeFileSync(join(dir, 'templates', 'package.json'), '{"name": "not-a-template", "version": "1.0.0", "dependencies": {}}');
  return dir;
}

test('complete conversion: T.json becomes T.pkr.hcl beside it, exit 0', () => {
  const dir = setup();
  const r = pkrlint(dir, 'templates/clean.json');
  assert.is(r.code, 0, r.err);
  assert.ok(existsSync(join(dir, 'templates', 'clean.pkr.hcl')));
  assert.ok(!existsSync(join(dir, 'templates', 'clean.json.pkr.hcl')));
  assert.match(r.err, 'templates/clean.json -> templates/clean.pkr.hcl: converted completely');
  assert.ok(readFileSync(join(dir, 'templates', 'clean.json'), 'utf8').includes('web-server'), 'the JSON is untouched');
});

test('a directory: templates found by content, review needed gives exit 1, never overwrites without --force', () => {
  const dir = setup();
  const r = pkrlint(dir, 'templates');
  assert.is(r.code, 1, r.err);
  assert.ok(existsSync(join(dir, 'templates', 'nested', 'review.pkr.hcl')));
  assert.ok(!existsSync(join(dir, 'templates', 'package.pkr.hcl')));
  assert.match(r.err, /review\s+templates\/nested\/review\.json:\d+ -> templates\/nested\/review\.pkr\.hcl:\d+/);
  assert.ok(readFileSync(join(dir, 'templates', 'nested', 'review.pkr.hcl'), 'utf8').includes('# TODO(pkrlint):'));
  writeFileSync(join(dir, 'templates', 'clean.pkr.hcl'), 'mine\n');
  const again = pkrlint(dir, 'templates');
  assert.is(again.code, 2);
  assert.match(again.err, 'already exists');
  assert.is(readFileSync(join(dir, 'templates', 'clean.pkr.hcl'), 'utf8'), 'mine\n');
  const forced = pkrlint(dir, '--force', 'templates');
  assert.is(forced.code, 1, forced.err);
  assert.ok(readFileSync(join(dir, 'templates', 'clean.pkr.hcl'), 'utf8').includes('source "null" "web-server"'));
  assert.equal(readdirSync(join(dir, 'templates')).filter((f) => f.endsWith('.tmp')), []);
});

test('--out-dir mirrors the tree relative to the current directory', () => {
  const dir = setup();
  const r = pkrlint(dir, 'templates', '--out-dir', 'out', '--bucket-label', 'team=ops', '--build-label', 'ci=1', '--channel', 'dev');
  assert.is(r.code, 1, r.err);
  assert.ok(existsSync(join(dir, 'out', 'templates', 'clean.pkr.hcl')));
  assert.ok(existsSync(join(dir, 'out', 'templates', 'nested', 'review.pkr.hcl')));
  const hcl = readFileSync(join(dir, 'out', 'templates', 'clean.pkr.hcl'), 'utf8');
  assert.match(hcl, /bucket_labels = \{\n\s+team = "ops"/);
  assert.match(hcl, /channels\s+= \["dev"\]/);
  assert.ok(!existsSync(join(dir, 'templates', 'clean.pkr.hcl')));
});

test('--out-dir with same-named templates of different directories keeps them apart; one output per run', () => {
  const dir = setup();
  mkdirSync(join(dir, 'a'));
  mkdirSync(join(dir, 'b'));
  copyFileSync(join(dir, 'templates', 'clean.json'), join(dir, 'a', 'web.json'));
  copyFileSync(join(dir, 'templates', 'clean.json'), join(dir, 'b', 'web.json'));
  const r = pkrlint(dir, '--out-dir', 'out', 'a/web.json', 'b/web.json', 'a/web.json');
  assert.is(r.code, 0, r.err);
  assert.ok(existsSync(join(dir, 'out', 'a', 'web.pkr.hcl')));
  assert.ok(existsSync(join(dir, 'out', 'b', 'web.pkr.hcl')));
  // Inputs outside the current directory mirror below the deepest directory that holds them all.
  const outside = pkrlint(join(dir, 'templates'), '--out-dir', '../out2', '../a/web.json', '../b/web.json');
  assert.is(outside.code, 0, outside.err);
  assert.ok(existsSync(join(dir, 'out2', 'a', 'web.pkr.hcl')) && existsSync(join(dir, 'out2', 'b', 'web.pkr.hcl')));
  // Two inputs with one output path: the later one is an error and is not written, even with --force.
  copyFileSync(join(fixturesDir, 'untranslatable', 'template.json'), join(dir, 'a', 'web.JSON'));
  const clash = pkrlint(dir, '--force', 'a/web.json', 'a/web.JSON');
  assert.is(clash.code, 2, clash.err);
  assert.match(clash.err, /a\/web\.JSON: not converted\n\s+error\s+a\/web\.JSON: a\/web\.pkr\.hcl is already the output of a\/web\.json in this run/);
  assert.ok(readFileSync(join(dir, 'a', 'web.pkr.hcl'), 'utf8').includes('web-server'));
});

test('templates migrated into one directory: a review line names the others (Packer loads them as one configuration)', () => {
  const dir = setup();
  copyFileSync(join(dir, 'templates', 'clean.json'), join(dir, 'templates', 'second.json'));
  const r = pkrlint(dir, 'templates/clean.json', 'templates/second.json');
  assert.is(r.code, 1, r.err);
  assert.match(r.err, 'templates/clean.json -> templates/clean.pkr.hcl: converted completely');
  assert.match(r.err, /review\s+templates\/second\.json -> templates\/second\.pkr\.hcl:1: templates\/second\.pkr\.hcl is in the same directory as templates\/clean\.pkr\.hcl: Packer loads all \*\.pkr\.hcl files of a directory as one configuration/);
  assert.match(r.err, /--out-dir/);
  assert.match(readFileSync(join(dir, 'templates', 'second.pkr.hcl'), 'utf8'), /^# TODO\(pkrlint\): templates\/second\.pkr\.hcl is in the same directory/);
  // An HCL template already in the output directory counts too.
  writeFileSync(join(dir, 'templates', 'nested', 'hand.pkr.hcl'), 'build {}\n');
  const third = pkrlint(dir, 'templates/nested/review.json');
  assert.match(third.err, /review\s+templates\/nested\/review\.json -> templates\/nested\/review\.pkr\.hcl:1: templates\/nested\/review\.pkr\.hcl is in the same directory as templates\/nested\/hand\.pkr\.hcl/);
});

test('a same-directory review names at most five others; a template that failed to convert is no neighbour', () => {
  const files: Record<string, string> = { 'a-broken.json': '{"builders": [' };
  for (const n of [1, 2, 3, 4, 5, 6, 7]) files[`t${n}.json`] = clean;
  const dir = dirWith('many', files);
  const r = migrateCli(dir, ['.']);
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /review\s+t7\.json -> t7\.pkr\.hcl:1: t7\.pkr\.hcl is in the same directory as t1\.pkr\.hcl, t2\.pkr\.hcl, t3\.pkr\.hcl, t4\.pkr\.hcl, t5\.pkr\.hcl and 1 more: Packer loads/);
  assert.match(r.err, /t1\.json -> t1\.pkr\.hcl: converted completely/);
  assert.not.match(r.err, /a-broken\.pkr\.hcl/);
});

test('a directory: broken templates are errors, other broken JSON is skipped, linked templates are followed', () => {
  const dir = setup();
  writeFileSync(join(dir, 'templates', 'truncated.json'), '{"builders":[{"type":"null","communicator":"none"}');
  writeFileSync(join(dir, 'templates', 'broken-config.json'), '{"name": ');
  // An Azure ARM template has a flat `variables` object too, but other root keys: not a Packer template.
  const arm = { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', parameters: {}, variables: { location: 'westeurope' }, resources: [] };
  writeFileSync(join(dir, 'templates', 'azuredeploy.json'), JSON.stringify(arm));
  mkdirSync(join(dir, 'elsewhere'));
  copyFileSync(join(fixturesDir, 'build-same-basic', 'template.json'), join(dir, 'elsewhere', 'real.json'));
  symlinkSync(join(dir, 'elsewhere', 'real.json'), join(dir, 'templates', 'linked.json'));
  symlinkSync(join(dir, 'templates'), join(dir, 'templates', 'nested', 'loop'));
  const r = pkrlint(dir, 'templates');
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /templates\/truncated\.json: not converted\n\s+error\s+templates\/truncated\.json:1: JSON syntax error/);
  assert.not.match(r.err, 'broken-config');
  assert.ok(existsSync(join(dir, 'templates', 'linked.pkr.hcl')), r.err);
  assert.ok(existsSync(join(dir, 'templates', 'nested', 'review.pkr.hcl')));
  assert.not.match(r.err, 'loop');
  assert.not.match(r.err, 'azuredeploy');
  assert.ok(!existsSync(join(dir, 'templates', 'azuredeploy.pkr.hcl')));
});

test('a variable file migrated with its template uses the template\'s variable names and reports values that set nothing', () => {
  const dir = tempDir('varfile');
  writeFileSync(
    join(dir, 'app.json'),
    JSON.stringify({
      variables: { 'a b': '1', a_b: '2', x: 'x', combo: '{{user `x`}}/y' },
      builders: [{ type: 'null', communicator: 'none' }],
      provisioners: [{ type: 'shell-local', inline: ['echo {{user `a b`}} {{user `a_b`}} {{user `combo`}}'] }],
    }),
  );
  writeFileSync(join(dir, 'prod.pkrvars.json'), JSON.stringify({ 'a b': 'v1', a_b: 'v2', combo: 'c', nope: 'n' }, null, 1));
  const r = pkrlint(dir, 'prod.pkrvars.json', 'app.json');
  assert.is(r.code, 1, r.err);
  assert.ok(!existsSync(join(dir, 'prod.pkrvars.pkrvars.hcl')));
  const hcl = readFileSync(join(dir, 'prod.pkrvars.hcl'), 'utf8');
  assert.match(hcl, /^a_b_2 = "v1"$/m);
  assert.match(hcl, /^a_b\s+= "v2"$/m);
  assert.match(hcl, /# TODO\(pkrlint\): variable "combo" became local\.combo in app\.json .*: this value is not used\ncombo\s+= "c"/);
  assert.match(hcl, /# TODO\(pkrlint\): app\.json has no variable "nope"/);
  assert.match(r.err, /prod\.pkrvars\.json -> prod\.pkrvars\.hcl: converted, 2 constructs to review/);
  assert.match(r.err, /renamed\s+prod\.pkrvars\.json:2: variable "a b" is now "a_b_2" \(as in app\.json\)/);
  assert.match(r.err, /review\s+prod\.pkrvars\.json:4 -> prod\.pkrvars\.hcl:\d+: variable "combo" became local\.combo/);
});

test('--dry-run writes nothing and shows a unified diff', () => {
  const dir = setup();
  const r = pkrlint(dir, '--dry-run', 'templates/clean.json');
  assert.is(r.code, 0, r.err);
  assert.ok(!existsSync(join(dir, 'templates', 'clean.pkr.hcl')));
  assert.match(r.out, '--- /dev/null');
  assert.match(r.out, '+++ templates/clean.pkr.hcl');
  assert.match(r.out, '+source "null" "web-server" {');
  writeFileSync(join(dir, 'templates', 'clean.pkr.hcl'), 'mine\n');
  const exists = pkrlint(dir, '--dry-run', 'templates/clean.json');
  assert.is(exists.code, 2, exists.err);
  assert.match(exists.err, 'templates/clean.json -> templates/clean.pkr.hcl: not written\n');
  assert.match(exists.err, 'already exists; would not be overwritten (use --force)');
  assert.is(readFileSync(join(dir, 'templates', 'clean.pkr.hcl'), 'utf8'), 'mine\n');
  assert.is(pkrlint(dir, '--dry-run', '--force', 'templates/clean.json').code, 0);
});

test('--stdout prints one template; more than one is bad usage', () => {
  const dir = setup();
  const r = pkrlint(dir, '--stdout', '--bucket-name', 'my-bucket', 'templates/clean.json');
  assert.is(r.code, 0, r.err);
  assert.match(r.out, 'bucket_name = "my-bucket"');
  const two = pkrlint(dir, '--stdout', 'templates');
  assert.is(two.code, 2);
  assert.match(two.err, /^pkrlint: --stdout needs exactly one template/m);
});

test('JSON variable files named on the command line become .pkrvars.hcl', () => {
  const dir = setup();
  cpSync(join(fixturesDir, 'var-file', 'vars.json'), join(dir, 'vars.json'));
  const r = pkrlint(dir, 'vars.json');
  assert.is(r.code, 0, r.err);
  assert.is(readFileSync(join(dir, 'vars.pkrvars.hcl'), 'utf8'), 'region   = "eu-west-1"\nami_name = "x-$${y}"\n');
});

test('an unparseable template: exit 2, the others are still converted', () => {
  const dir = setup();
  writeFileSync(join(dir, 'templates', 'broken.json'), '{"builders": [');
  const r = pkrlint(dir, 'templates/broken.json', 'templates/clean.json');
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /templates\/broken\.json: not converted\n\s+error\s+templates\/broken\.json:1: JSON syntax error/);
  assert.ok(existsSync(join(dir, 'templates', 'clean.pkr.hcl')));
});

test('bad usage: exit 2 with one line', () => {
  const dir = setup();
  for (const args of [['--packer-version', '1.x', 'templates'], ['--bucket-name', 'no spaces allowed', 'templates'], ['--bucket-label', 'novalue', 'templates'], []]) {
    const r = pkrlint(dir, ...args);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.err, /^pkrlint: /, args.join(' '));
    assert.not.match(r.err, /\n\s+at /, 'no stack trace');
  }
  const missing = pkrlint(dir, 'nope.json');
  assert.is(missing.code, 2);
});

test('pkrlint check finds no errors in any migrated fixture (default target)', () => {
  const dir = tempDir('check');
  for (const f of fixtures()) {
    mkdirSync(join(dir, f.name));
    writeFileSync(join(dir, f.name, 'template.pkr.hcl'), migrateFixture(f).hcl);
  }
  const r = spawnSync(bin, ['check', '--format', 'json', dir], { encoding: 'utf8' });
  const result = JSON.parse(r.stdout) as { summary: { errors: number; files: number }; diagnostics: { severity: string; ruleId: string; message: string; file?: string; line?: number }[] };
  assert.is(result.summary.files, fixtures().length);
  // An argument the migrator keeps under a review note because the plugin's schema lacks it is unknown-argument's finding.
  const flagged = (d: (typeof result.diagnostics)[number]) =>
    d.ruleId === 'unknown-argument' && !!d.file && !!d.line && /TODO\(pkrlint\).*is not an argument in the plugin's schema/.test(readFileSync(d.file, 'utf8').split('\n')[d.line - 2] ?? '');
  assert.equal(result.diagnostics.filter((d) => d.severity === 'error' && !flagged(d)), []);
});

test('--channel names that pkrlint check rejects are bad usage: one line, exit 2, nothing written', () => {
  const dir = setup();
  for (const name of ['latest', 'a_b', 'ab', '-dev']) {
    const r = pkrlint(dir, `--channel=${name}`, 'templates/clean.json');
    assert.is(r.code, 2, name);
    assert.match(r.err, /^pkrlint: --channel: channel "[^"]*" (is managed by HCP Packer|breaks HCP's channel name rule)[^\n]*\n$/, name);
    assert.not.ok(existsSync(join(dir, 'templates', 'clean.pkr.hcl')), name);
  }
});

test('command line: a path after --, the last of a repeated option wins, a missing value or a junk boolean is bad usage', () => {
  const dir = dirWith('argv', { '-dash.json': clean, 'web.json': clean, '1e3': clean });
  mkdirSync(join(dir, 'x'));
  // Paths after `--` are taken as written: a dash is no option, 1e3 is no number (1000).
  const dash = migrateCli(dir, ['--out-dir', 'x', '--', '-dash.json', '1e3']);
  assert.is(dash.code, 1, dash.err); // two templates in one directory: a review
  assert.equal(readdirSync(join(dir, 'x')).sort(), ['-dash.pkr.hcl', '1e3.pkr.hcl']);
  const twice = migrateCli(dir, ['--out-dir', 'a', '--out-dir', 'b', '--packer-version', '1.6.6', '--packer-version', '1.13', '--bucket-name', 'abc', '--bucket-name', 'def-bucket', 'web.json']);
  assert.is(twice.code, 0, twice.err);
  assert.not.ok(existsSync(join(dir, 'a')));
  const hcl = readFileSync(join(dir, 'b', 'web.pkr.hcl'), 'utf8');
  assert.match(hcl, /bucket_name = "def-bucket"/);
  assert.match(hcl, /^hcp_packer_registry \{/m, 'a top-level registry block: the target is 1.13, not 1.6.6');
  for (const [args, message] of [
    [['web.json', '--out-dir'], 'pkrlint: --out-dir needs a value'],
    [['--packer-version', '--force', 'web.json'], 'pkrlint: --packer-version needs a value'],
    [['--force=banana', 'web.json'], 'pkrlint: --force takes no value, or true or false (got "banana")'],
    [['--dry-run=0', 'web.json'], 'pkrlint: --dry-run takes no value, or true or false (got "0")'],
  ] as [string[], string][]) {
    const r = migrateCli(dir, args);
    assert.is(r.code, 2, args.join(' '));
    assert.is(r.err.split('\n')[0], message, args.join(' '));
    assert.not.ok(existsSync(join(dir, 'web.pkr.hcl')), `${args.join(' ')}: nothing written`);
  }
});

test.run();
