// The referee suites (tests that need the real packer) without packer: skipped tests outside CI, a failure in CI.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures, repoRoot, tempDir } from './support.js';

/** Runs a compiled referee suite with a PATH that holds node and no packer. */
function withoutPacker(suite: string, ci: boolean) {
  const bin = tempDir('nopacker');
  symlinkSync(process.execPath, join(bin, 'node'));
  const env: NodeJS.ProcessEnv = { PATH: bin, HOME: bin, ...(ci ? { CI: 'true' } : {}) };
  return spawnSync(process.execPath, [join(repoRoot, 'build', 'test', 'migrate', `${suite}.test.js`)], { env, encoding: 'utf8', timeout: 60_000 });
}

test('without packer, a referee suite lists each of its tests as skipped', () => {
  const r = withoutPacker('build', false);
  assert.is(r.status, 0, r.stdout + r.stderr);
  const builds = fixtures().filter((f) => f.name.startsWith('build-same-')).length;
  assert.ok(builds > 0);
  assert.match(r.stdout, new RegExp(`Skipped:\\s+${builds}\\b`));
  assert.match(r.stdout, /Passed:\s+0\b/);
  assert.match(r.stdout, /packer not on PATH, its tests are skipped/);
});

test('without packer in CI, a referee suite fails', () => {
  const r = withoutPacker('build', true);
  assert.is.not(r.status, 0);
  assert.match(r.stderr, /packer is not on PATH \(required in CI\)/);
});

test.run();
