// Migration time grows about linearly with the input: inputs of size N and 8N are timed (the best of three runs
// each), and the ratio must stay far below the 64 that quadratic work would take. These shapes took quadratic time
// once: many duplicate keys (a copied list per duplicate), many builders of one name (a suffix search from _2 each
// time), `only` lists naming many builders (a scan per name), many templates written into one directory (a listing and
// a review naming all the others, per template), long runs of `$` or of spaces before a trim marker (backtracking
// regular expressions).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrateTemplate } from '../../src/migrate/index.js';
import { runMigrate } from '../../src/migrate/run.js';
import { tempDir } from './support.js';

/** Linear work gives about 8 for 8 times the input; quadratic work 64. */
const MAX_RATIO = 24;

/** The best of three timings of `times` runs each. */
function best(run: () => void, times: number): number {
  let min = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    for (let k = 0; k < times; k++) run();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/** Times `run(input(n))` and `run(input(8n))` and checks the growth. */
function assertLinear(what: string, n: number, input: (n: number) => () => void): void {
  input(Math.max(1, n >> 4))(); // warm-up: compiled code, loaded schema
  const small = input(n);
  // Runs that take a few milliseconds are repeated, so that timer and scheduling noise cannot decide the ratio.
  const t0 = performance.now();
  small();
  const times = Math.min(50, Math.ceil(50 / Math.max(performance.now() - t0, 0.1)));
  const smallMs = best(small, times);
  const largeMs = best(input(8 * n), times);
  const ratio = largeMs / smallMs;
  if (process.env.SCALING_DEBUG) console.log(what, times, smallMs.toFixed(0), largeMs.toFixed(0), ratio.toFixed(1));
  assert.ok(ratio < MAX_RATIO, `${what}: ${smallMs.toFixed(0)} ms for N, ${largeMs.toFixed(0)} ms for 8N (${times} runs each; ratio ${ratio.toFixed(1)}, limit ${MAX_RATIO})`);
}

const migrate = (text: string) => () => {
  const r = migrateTemplate(text, 'web.json', { env: {} });
  if (r.status === 'error') throw new Error(r.report.map((i) => i.message).join('\n'));
};

test('duplicate keys (variables, builder arguments)', () => {
  assertLinear('duplicate variables', 5000, (n) => {
    const vars = Array.from({ length: n }, (_, i) => `    "ami_name": "web-${i}"`).join(',\n');
    return migrate(`{\n  "variables": {\n${vars}\n  },\n  "builders": [{"type": "null", "communicator": "none"}]\n}`);
  });
  assertLinear('duplicate builder arguments', 5000, (n) => {
    const args = Array.from({ length: n }, (_, i) => `      "ami_name": "web-${i}"`).join(',\n');
    return migrate(`{\n  "builders": [{\n      "type": "amazon-ebs", "region": "eu-west-1", "source_ami": "ami-1", "instance_type": "t3.micro", "ssh_username": "ubuntu",\n${args}\n  }]\n}`);
  });
});

test('many builders of the same name', () => {
  assertLinear('same-name builders', 1500, (n) => {
    const builders = Array.from({ length: n }, () => ({ type: 'null', name: 'web', communicator: 'none' }));
    return migrate(JSON.stringify({ builders }, null, 2));
  });
});

test('only, except and override naming many builders', () => {
  assertLinear('only/override', 2500, (n) => {
    const builders = Array.from({ length: n }, (_, i) => ({ type: 'null', name: `web-${i}`, communicator: 'none' }));
    const names = builders.map((b) => b.name);
    const provisioners = [
      { type: 'shell-local', only: names, inline: ['echo'] },
      { type: 'shell-local', except: names, inline: ['echo'], override: Object.fromEntries(names.map((x) => [x, { inline: ['echo {{build_name}}'] }])) },
    ];
    return migrate(JSON.stringify({ builders, provisioners }));
  });
});

test('long runs of $ before an interpolation, and of spaces before a trim marker', () => {
  assertLinear('$ run', 20_000, (n) => migrate(JSON.stringify({ variables: { v: 'x' }, builders: [{ type: 'null', communicator: 'none' }], provisioners: [{ type: 'shell-local', inline: [`${'$'.repeat(n)}x{{user \`v\`}}`] }] })));
  assertLinear('space run', 20_000, (n) => migrate(JSON.stringify({ variables: { v: 'x' }, builders: [{ type: 'null', communicator: 'none' }], provisioners: [{ type: 'shell-local', inline: [`${' '.repeat(n)}x{{- user \`v\`}}`] }] })));
});

test('many templates written into one directory', () => {
  const template = JSON.stringify({ builders: [{ type: 'null', communicator: 'none' }] });
  assertLinear('templates in one directory', 150, (n) => {
    // Each run gets a fresh directory (the outputs of one run would block the next): one to calibrate, three timed.
    const dirs: string[] = [];
    for (let k = 0; k < 4; k++) {
      const dir = tempDir('scale-dir');
      for (let i = 0; i < n; i++) writeFileSync(join(dir, `t${i}.json`), template);
      dirs.push(dir);
    }
    return () => {
      const dir = dirs.shift()!;
      let report = 0;
      const status = runMigrate({ paths: [dir], env: {} }, { out: () => {}, err: (t) => (report += t.length), cwd: dir });
      if (status !== 0) throw new Error(`exit ${status}`);
      // The shared directory is said once: the report grows with the templates, not with their pairs.
      if (report > 1000 * (n + 1)) throw new Error(`a report of ${report} characters for ${n} templates`);
    };
  });
});

test.run();
