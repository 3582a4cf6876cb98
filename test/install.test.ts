/**
 * Installing pkrlint as its users do: a clone installed on a machine without a C/C++ toolchain, the committed
 * bundle, and the pre-commit hook run by the real pre-commit. These tests use the npm registry (and its cache).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './_helpers.js';

const dirs: string[] = [];
const temp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), `pkrlint-${prefix}-`));
  dirs.push(d);
  return d;
};

function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, ...opts });
  return { status: r.status, out: String(r.stdout ?? '') + String(r.stderr ?? ''), stdout: String(r.stdout ?? ''), error: r.error };
}

/** A clean clone of this repository at HEAD (what CI and pre-commit see). */
function cloneHead(): string {
  const d = join(temp('clone'), 'pkrlint');
  const r = run('git', ['clone', '-q', '--no-hardlinks', ROOT, d]);
  assert.is(r.status, 0, r.out);
  return d;
}

/** Native build products of node-gyp anywhere under a tree. */
function nativeBuilds(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (e.name === 'build' && existsSync(join(p, 'Release'))) found.push(p);
        else walk(p);
      }
    }
  };
  walk(dir);
  return found;
}

test('the committed dist/ is what the sources build (run npm run build and commit dist/)', () => {
  // npm test has just rebuilt dist/; it must equal HEAD's, or installs from git would run stale code.
  const r = run('git', ['status', '--porcelain', '--', 'dist'], { cwd: ROOT });
  assert.is(r.status, 0, r.out);
  assert.is(r.stdout, '', `dist/ differs from the committed one:\n${r.stdout}`);
});

test('a clone installs and runs with no C or C++ compiler and node-gyp unable to build', () => {
  const d = cloneHead();
  // Every way to compile fails: no C/C++ compiler, node-gyp itself replaced by `false`.
  const env = { ...process.env, CC: 'false', CXX: 'false', npm_config_node_gyp: '/bin/false', npm_config_build_from_source: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };
  const install = run('npm', ['ci', '--no-progress'], { cwd: d, env });
  assert.is(install.status, 0, install.out);
  assert.equal(nativeBuilds(join(d, 'node_modules')), [], 'nothing was compiled');
  const check = run(join(d, 'bin', 'pkrlint'), ['check', '--no-process-env', '-f', 'compact', 'examples/hcp-ubuntu'], { cwd: d, env: { ...process.env, NO_COLOR: '1' } });
  assert.is(check.status, 1, check.out);
  assert.equal(
    check.stdout.trim().split('\n').map((l) => l.split(' ').slice(0, 3).join(' ')),
    [
      'examples/hcp-ubuntu/ubuntu.pkr.hcl:2:1: warning hcp-datasource-deprecated',
      'examples/hcp-ubuntu/ubuntu.pkr.hcl:25:3: warning registry-in-build-deprecated',
      'examples/hcp-ubuntu/ubuntu.pkr.hcl:26:19: error registry-bucket-name',
      'examples/hcp-ubuntu/ubuntu.pkr.hcl:29:5: error registry-unknown-argument',
    ],
  );
});

test('the package has no runtime dependency, no install script and ships what bin/pkrlint loads', () => {
  const d = temp('pack');
  const r = run('npm', ['pack', '--json', '--pack-destination', d], { cwd: ROOT });
  assert.is(r.status, 0, r.out);
  const [info] = JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>;
  const files = info.files.map((f) => f.path);
  for (const f of ['bin/pkrlint', 'dist/pkrlint.mjs', 'dist/tree-sitter.wasm', 'dist/tree-sitter-hcl.wasm', 'dist/THIRD-PARTY-NOTICES.txt', 'grammar/packer-schema/core-blocks.json', 'grammar/packer-schema/components.json']) {
    assert.ok(files.includes(f), `${f} is in the package`);
  }
  assert.not.ok(files.some((f) => f.startsWith('src/') || f.startsWith('test/') || f.startsWith('build/')), 'no sources or tests');
  const pkg = (JSON.parse(run('node', ['-p', 'JSON.stringify(require("./package.json"))'], { cwd: ROOT }).stdout) as { dependencies?: object; scripts: Record<string, string> });
  assert.equal(pkg.dependencies ?? {}, {});
  for (const s of ['preinstall', 'install', 'postinstall', 'prepare', 'prepack']) assert.not.ok(s in pkg.scripts, `no ${s} script`);
});

/** pre-commit, as CI installs it (Debian's package); skipped outside CI when it is missing. */
function havePreCommit(): boolean {
  if (run('pre-commit', ['--version']).status === 0) return true;
  if (process.env.CI === 'true') return true; // the test then fails, saying so
  console.log('install.test: pre-commit not on PATH, skipping its test');
  return false;
}

const preCommitTest = havePreCommit() ? test : test.skip.bind(test);
preCommitTest('the pre-commit hook installs from a clone at HEAD and fails on the bad template only', () => {
  assert.is(run('pre-commit', ['--version']).status, 0, 'pre-commit must be on PATH (CI: apt-get install pre-commit)');
  const head = run('git', ['rev-parse', 'HEAD'], { cwd: ROOT }).stdout.trim();
  const repo = temp('precommit');
  const home = temp('precommit-home');
  assert.is(run('git', ['init', '-q'], { cwd: repo }).status, 0);
  writeFileSync(join(repo, '.pre-commit-config.yaml'), `repos:\n  - repo: ${ROOT}\n    rev: ${head}\n    hooks:\n      - id: pkrlint\n`);
  const template = (bucket: string) => `source "null" "web" {\n  communicator = "none"\n}\n\nhcp_packer_registry {\n  bucket_name = "${bucket}"\n}\n\nbuild {\n  sources = ["source.null.web"]\n}\n`;
  mkdirSync(join(repo, 'bad'));
  mkdirSync(join(repo, 'good'));
  writeFileSync(join(repo, 'bad', 'web.pkr.hcl'), template('web_base'));
  writeFileSync(join(repo, 'good', 'web.pkr.hcl'), template('web-base'));
  // Not a Packer file: the hook's pattern must not hand it to pkrlint.
  writeFileSync(join(repo, 'package.json'), '{ "name": "infra" }\n');
  assert.is(run('git', ['add', '-A'], { cwd: repo }).status, 0);
  const env = { ...process.env, PRE_COMMIT_HOME: home, NO_COLOR: '1', PRE_COMMIT_COLOR: 'never' };
  const all = run('pre-commit', ['run', '--all-files'], { cwd: repo, env });
  assert.is(all.status, 1, all.out);
  assert.match(all.out, /pkrlint\.+Failed/);
  assert.match(all.out, /bad\/web\.pkr\.hcl\n\s+6:17\s+error\s+bucket name "web_base" is not valid/);
  assert.not.match(all.out, /good\/web\.pkr\.hcl/);
  assert.not.match(all.out, /package\.json|not a Packer template/);
  const good = run('pre-commit', ['run', '--files', 'good/web.pkr.hcl'], { cwd: repo, env });
  assert.is(good.status, 0, good.out);
  assert.match(good.out, /pkrlint\.+Passed/);
  assert.ok(statSync(home).isDirectory());
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
