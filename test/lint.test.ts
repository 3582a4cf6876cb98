/** The project's own code passes ESLint with typescript-eslint's type-checked rules (eslint.config.js). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './_helpers.js';

test('eslint reports no problem in src/, test/ and bench/', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings', '0', '.'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.is(r.status, 0, `${r.stdout}${r.stderr}`);
});

test.run();
