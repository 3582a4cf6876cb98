// Builds the same: templates using the null and file builders with shell-local steps are built by the real
// `packer build`, once from the JSON and once from the HCL2 migrated for 1.6.6 (with the -var values of the fixture's
// build-vars.json, if any); the OUT: lines must be the same.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures, havePacker, migrateFixture, pool, refereeTest, runPacker, tempDir, type Fixture, type Ran } from './support.js';

const enabled = havePacker('migrate/build');

/** What the shell-local steps printed after `OUT:`, sorted (builds run in parallel). */
function printed(r: Ran): string[] {
  return r.out
    .split('\n')
    .filter((l) => l.includes('OUT:') && !l.includes('echo OUT') && !l.includes('Running'))
    .map((l) => l.slice(l.indexOf('OUT:')).trimEnd())
    .sort();
}

async function build(f: Fixture): Promise<{ name: string; json: Ran; hcl: Ran; hclText: string }> {
  const root = tempDir(`build-${f.name}`);
  const jsonDir = join(root, 'json');
  const hclDir = join(root, 'hcl');
  mkdirSync(jsonDir);
  mkdirSync(hclDir);
  copyFileSync(join(f.dir, f.file), join(jsonDir, 'template.json'));
  const r = migrateFixture(f, '1.6.6');
  writeFileSync(join(hclDir, 'template.pkr.hcl'), r.hcl);
  // build-vars.json: -var values given to both builds under the same names (variables whose names are valid keep them).
  const varsFile = join(f.dir, 'build-vars.json');
  const vars = existsSync(varsFile) ? Object.entries(JSON.parse(readFileSync(varsFile, 'utf8')) as Record<string, string>).flatMap(([k, v]) => ['-var', `${k}=${v}`]) : [];
  const [json, hcl] = await Promise.all([
    runPacker(['build', '-color=false', ...vars, 'template.json'], jsonDir),
    runPacker(['build', '-color=false', ...vars, 'template.pkr.hcl'], hclDir),
  ]);
  return { name: f.name, json, hcl, hclText: r.hcl };
}

const referee = refereeTest(enabled);
process.env.PKR_TEST_VALUE = 'from-the-environment';
const sameBuilds = fixtures().filter((f) => f.name.startsWith('build-same-'));
// Without packer nothing is built, and every test below is registered as skipped.
const builds = enabled ? await pool(sameBuilds, 2, build) : undefined;
sameBuilds.forEach((f, i) => {
  const b = builds?.[i];
  referee(`${f.name}: JSON and migrated HCL2 build the same`, () => {
    assert.is(b!.json.code, 0, `JSON build failed:\n${b!.json.out}`);
    assert.is(b!.hcl.code, 0, `HCL2 build failed:\n${b!.hcl.out}\n${b!.hclText}`);
    const j = printed(b!.json);
    assert.ok(j.length >= 5, `too few OUT: lines:\n${b!.json.out}`);
    assert.equal(printed(b!.hcl), j);
  });
});

test.run();
