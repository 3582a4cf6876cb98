/**
 * `npm run bench`: runs each benchmark as its own process, one after the other: build/bench/check.js (pkrlint against
 * packer validate -syntax-only), build/bench/migrate.js, then build/bench/lsp.js. Exits non-zero when a
 * benchmark failed; a missing one is reported and skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../test/_helpers.js';

const benches = ['check', 'migrate', 'lsp'];
let failed = 0;
for (const name of benches) {
  const script = join(ROOT, 'build', 'bench', `${name}.js`);
  console.log(`\n=== bench/${name} ===`);
  if (!existsSync(script)) {
    console.log(`build/bench/${name}.js does not exist (bench/${name}.ts not written or not built): skipped`);
    continue;
  }
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [script], { stdio: 'inherit', cwd: ROOT });
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  if (r.error || r.status !== 0) {
    failed++;
    console.log(`bench/${name}: FAILED (${r.error?.message ?? (r.signal ? `signal ${r.signal}` : `exit ${r.status}`)}) after ${s} s`);
  } else {
    console.log(`bench/${name}: done in ${s} s`);
  }
}
process.exitCode = failed ? 1 : 0;
