#!/usr/bin/env node
// Runs every compiled uvu suite (build/test/**/*.test.js) and ends with the plain line CI reads:
// "N passed, N failed". uvu's own summary counts test cases per run; we add them up across files.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, 'build', 'test');
const only = process.argv.slice(2);

function walk(d) {
  return readdirSync(d).flatMap((n) => {
    const p = join(d, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.js') ? [p] : [];
  });
}

const files = walk(dir).sort().filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of files) {
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', env: process.env, maxBuffer: 64 * 1024 * 1024 });
  const out = (r.stdout ?? '') + (r.stderr ?? '');
  process.stdout.write(out);
  const total = Number(/Total:\s+(\d+)/.exec(out)?.[1] ?? NaN);
  const ok = Number(/Passed:\s+(\d+)/.exec(out)?.[1] ?? NaN);
  const sk = Number(/Skipped:\s+(\d+)/.exec(out)?.[1] ?? 0);
  if (Number.isNaN(total) || Number.isNaN(ok)) {
    // A suite that crashed before reporting counts as one failure, so it can never pass silently.
    console.error(`\n${file}: no uvu summary (exit ${r.status}${r.signal ? `, ${r.signal}` : ''})`);
    failed += 1;
    continue;
  }
  passed += ok;
  skipped += sk;
  // uvu's Total counts the tests that ran: skipped ones are not in it.
  failed += total - ok;
  if (r.status !== 0 && total - ok === 0) failed += 1;
}
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
