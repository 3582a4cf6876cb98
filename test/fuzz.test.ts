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
 * Then `--fix` on mutants of the fixture cases that have fixes (those with `.fixed` files): fixing never throws, and never
 * gives a file it changes a syntax error (a unit with a syntax error gets no fix at all, so a changed file must parse).
 *
 * FUZZ_SEED=<n> replays another seed; FUZZ_MUTANTS=<n> changes the total budget (default 3000); FUZZ_STRUCTURAL=<n>,
 * FUZZ_FS=<n> and FUZZ_FIX=<n> the number of structural (default 30), file-system (default 40) and --fix (default 300)
 * mutants.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { runFix } from '../src/fix/run.js';
import { fileFrom, type FileKind } from '../src/packer/unit.js';
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
import { envOf, ROOT } from './_helpers.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20240611) >>> 0;
const BUDGET = Number(process.env.FUZZ_MUTANTS ?? 3000);
const STRUCTURAL = Number(process.env.FUZZ_STRUCTURAL ?? 30);
const FS = Number(process.env.FUZZ_FS ?? 40);
const FIX = Number(process.env.FUZZ_FIX ?? 300);

const { units, files } = collectFixtures();
const perFile = Math.max(1, Math.ceil(BUDGET / Math.max(files.length, 1)));
const work = makeWorkDir();
const stats = { mutants: 0, truncationsAsserted: 0, syntax: 0, ms: 0, slowest: 0, fixMutants: 0, fixed: 0 };

test.after(() => {
  rmSync(work, { recursive: true, force: true });
  console.log(
    `\nfuzz: seed ${SEED}, ${stats.mutants} mutants of ${files.length} files in ${units.length} units, ` +
      `${stats.syntax} with a syntax diagnostic, ${stats.truncationsAsserted} truncations asserted, ` +
      `${(stats.ms / 1000).toFixed(1)} s in check (slowest ${stats.slowest.toFixed(0)} ms); ` +
      `--fix on ${stats.fixMutants} mutants changed files in ${stats.fixed}`,
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

const kindOf = (name: string): FileKind =>
  name.endsWith('.pkrvars.hcl') ? 'pkrvars-hcl' : name.endsWith('.pkrvars.json') ? 'pkrvars-json' : name.endsWith('.pkr.json') ? 'hcl-json' : name.endsWith('.json') ? 'legacy-json' : 'hcl';

test('fuzz --fix: never throws, never writes a file with a syntax error', () => {
  const fixable = files.filter((f) => readdirSync(f.dir).some((n) => n.endsWith('.fixed')));
  assert.ok(fixable.length > 20, `only ${fixable.length} files of cases with fixes`);
  const failures: string[] = [];
  const unit = join(work, 'fix-unit');
  for (let i = 0; i < FIX; i++) {
    const fx = fixable[i % fixable.length];
    const m = mutate(fx.bytes, mulberry32(mutantSeed(SEED, `fix:${fixtureKey(fx)}`, i)));
    rmSync(unit, { recursive: true, force: true });
    mkdirSync(unit);
    for (const n of readdirSync(fx.dir)) if (n !== fx.name && /\.(hcl|json)$/.test(n) && n !== 'case.json' && statSync(join(fx.dir, n)).isFile()) copyFileSync(join(fx.dir, n), join(unit, n));
    writeFileSync(join(unit, fx.name), m.bytes);
    const c = existsSync(join(fx.dir, 'case.json')) ? (JSON.parse(readFileSync(join(fx.dir, 'case.json'), 'utf8')) as { env?: Record<string, string>; packerVersion?: string }) : {};
    stats.fixMutants++;
    try {
      // registry-missing is off by default: turned on here, so that its fix is fuzzed too.
      const run = runFix({ paths: [unit], cwd: work, ignore: [], env: envOf(c.env), varFiles: [], vars: [], packerVersion: c.packerVersion, rules: { 'registry-missing': 'warning' } });
      if (run.changes.length) stats.fixed++;
      for (const ch of run.changes) {
        const errors = fileFrom(ch.path, work, kindOf(ch.path), ch.after).syntaxErrors;
        if (errors.length) failures.push(reproducer(fx, m, SEED, i, [`--fix would write ${ch.display} with a syntax error: ${errors[0].message}`]));
      }
    } catch (e) {
      failures.push(reproducer(fx, m, SEED, i, [`--fix threw: ${e instanceof Error ? e.stack ?? e.message : String(e)}`]));
    }
  }
  if (failures.length) assert.unreachable(`${failures.length} failing --fix mutant(s) (seed ${SEED}):\n\n${failures.slice(0, 3).join('\n\n')}`);
});

test.run();
