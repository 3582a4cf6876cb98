// The `pkrlint migrate` command end to end: outputs beside the JSON, --out-dir, --stdout, --dry-run, --force,
// variable files, and exit statuses 0/1/2.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures, fixturesDir, migrateFixture, repoRoot, tempDir } from './support.js';

const bin = join(repoRoot, 'bin', 'pkrlint');

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

test('--out-dir mirrors the tree', () => {
  const dir = setup();
  const r = pkrlint(dir, 'templates', '--out-dir', 'out', '--bucket-label', 'team=ops', '--build-label', 'ci=1', '--channel', 'dev');
  assert.is(r.code, 1, r.err);
  assert.ok(existsSync(join(dir, 'out', 'clean.pkr.hcl')));
  assert.ok(existsSync(join(dir, 'out', 'nested', 'review.pkr.hcl')));
  const hcl = readFileSync(join(dir, 'out', 'clean.pkr.hcl'), 'utf8');
  assert.match(hcl, /bucket_labels = \{\n\s+team = "ops"/);
  assert.match(hcl, /channels\s+= \["dev"\]/);
  assert.ok(!existsSync(join(dir, 'templates', 'clean.pkr.hcl')));
});

test('--dry-run writes nothing and shows a unified diff', () => {
  const dir = setup();
  const r = pkrlint(dir, '--dry-run', 'templates/clean.json');
  assert.is(r.code, 0, r.err);
  assert.ok(!existsSync(join(dir, 'templates', 'clean.pkr.hcl')));
  assert.match(r.out, '--- /dev/null');
  assert.match(r.out, '+++ templates/clean.pkr.hcl');
  assert.match(r.out, '+source "null" "web-server" {');
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
  const result = JSON.parse(r.stdout) as { summary: { errors: number; files: number }; diagnostics: { severity: string; message: string; file?: string }[] };
  assert.is(result.summary.files, fixtures().length);
  assert.equal(result.diagnostics.filter((d) => d.severity === 'error'), []);
});

test.run();
