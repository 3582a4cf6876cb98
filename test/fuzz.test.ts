/**
 * Seeded fuzz over the fixtures: every fixture file of fixtures/templates/<unit>/ and fixtures/rules/<rule>/<case>/
 * gets a few mutants (truncations, byte flips, inserted `{` `}` `"` `$` `%{` `<<EOF` `\r` NUL and non-ASCII, deleted,
 * duplicated and swapped lines), written next to the other files of its unit and checked in-process. Check must never
 * throw, must return well-formed diagnostics, and a truncation that leaves a block, string or heredoc open must give a
 * syntax diagnostic. The mutator lives in bench/fuzz-long.ts, which also runs a long fuzz (`npm run fuzz`).
 *
 * Then a few structural mutants (constructs nested thousands deep, tokens repeated thousands of times) and file-system
 * mutants (links out of the tree, dangling and looping links, links to directories, FIFOs beside the unit's files):
 * each special entry must get a finding, and what lies behind a link out of the tree must never be printed.
 *
 * FUZZ_SEED=<n> replays another seed; FUZZ_MUTANTS=<n> changes the total budget (default 3000); FUZZ_STRUCTURAL=<n>
 * and FUZZ_FS=<n> the number of structural (default 30) and file-system (default 40) mutants.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { relative } from 'node:path';
import {
  checkMutant,
  collectFixtures,
  fixtureKey,
  fsMutant,
  makeWorkDir,
  mulberry32,
  mutantSeed,
  mutate,
  reproducer,
  structuralMutant,
  truncationOracle,
  type FixtureFile,
} from '../bench/fuzz-long.js';
import { ROOT } from './_helpers.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611) >>> 0;
const BUDGET = Number(process.env.FUZZ_MUTANTS ?? 3000);
const STRUCTURAL = Number(process.env.FUZZ_STRUCTURAL ?? 30);
const FS = Number(process.env.FUZZ_FS ?? 40);

const { units, files } = collectFixtures();
const perFile = Math.max(1, Math.ceil(BUDGET / Math.max(files.length, 1)));
const work = makeWorkDir();
const stats = { mutants: 0, truncationsAsserted: 0, syntax: 0, ms: 0, slowest: 0 };

test.after(() => {
  rmSync(work, { recursive: true, force: true });
  console.log(
    `\nfuzz: seed ${SEED}, ${stats.mutants} mutants of ${files.length} files in ${units.length} units, ` +
      `${stats.syntax} with a syntax diagnostic, ${stats.truncationsAsserted} truncations asserted, ` +
      `${(stats.ms / 1000).toFixed(1)} s in check (slowest ${stats.slowest.toFixed(0)} ms)`,
  );
});

test('fixtures are there to fuzz', () => {
  assert.ok(files.length > 50, `only ${files.length} fixture files found`);
});

const byUnit = new Map<string, FixtureFile[]>();
for (const f of files) byUnit.set(f.dir, [...(byUnit.get(f.dir) ?? []), f]);

for (const [dir, fxs] of byUnit) {
  test(`fuzz ${relative(ROOT, dir)}`, () => {
    const failures: string[] = [];
    for (const fx of fxs) {
      const oracle = truncationOracle(work, fx);
      for (let i = 0; i < perFile; i++) {
        const m = mutate(fx.bytes, mulberry32(mutantSeed(SEED, fixtureKey(fx), i)));
        const expectSyntax = m.truncatedAt !== undefined && !!oracle?.(m.truncatedAt);
        const o = checkMutant(work, fx, m.bytes, expectSyntax);
        stats.mutants++;
        stats.ms += o.ms;
        stats.slowest = Math.max(stats.slowest, o.ms);
        if (expectSyntax) stats.truncationsAsserted++;
        if (o.syntax) stats.syntax++;
        if (o.problems.length) failures.push(reproducer(fx, m, SEED, i, o.problems));
      }
    }
    if (failures.length) {
      const shown = failures.slice(0, 3).join('\n\n');
      assert.unreachable(`${failures.length} failing mutant(s) (seed ${SEED}; replay with FUZZ_SEED=${SEED}):\n\n${shown}`);
    }
  });
}

test('fuzz structure: deep nesting and long repetition', () => {
  const rng = mulberry32(mutantSeed(SEED, 'structural', 0));
  const failures: string[] = [];
  for (let i = 0; i < STRUCTURAL; i++) {
    const fx = files[Math.floor(rng() * files.length)];
    const m = structuralMutant(fx.bytes, mulberry32(mutantSeed(SEED, `structural:${fixtureKey(fx)}`, i)), /\.json$/.test(fx.name), 64 * 1024);
    const o = checkMutant(work, fx, m.bytes);
    stats.mutants++;
    stats.ms += o.ms;
    stats.slowest = Math.max(stats.slowest, o.ms);
    if (o.problems.length) failures.push(reproducer(fx, m, SEED, i, o.problems));
  }
  if (failures.length) assert.unreachable(`${failures.length} failing structural mutant(s) (seed ${SEED}):\n\n${failures.slice(0, 2).map((f) => f.slice(0, 3000)).join('\n\n')}`);
});

test('fuzz the file system: links and FIFOs beside a unit', () => {
  const rng = mulberry32(mutantSeed(SEED, 'fs', 0));
  const failures: string[] = [];
  for (let i = 0; i < FS; i++) {
    const fx = files[Math.floor(rng() * files.length)];
    const fs = fsMutant(rng);
    const o = checkMutant(work, fx, fx.bytes, false, fs);
    stats.mutants++;
    stats.ms += o.ms;
    if (o.problems.length) failures.push(`fixture: fixtures/${fixtureKey(fx)}, entry ${fs.name} (${fs.kind})\n${o.problems.join('\n')}`);
  }
  if (failures.length) assert.unreachable(`${failures.length} failing file-system mutant(s) (seed ${SEED}):\n\n${failures.slice(0, 3).join('\n\n')}`);
});

test.run();
