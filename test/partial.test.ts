/**
 * Units with a file that does not parse (fixtures/partial/): `check` reports the syntax error and what the broken
 * part cannot make wrong, and nothing else; the same units made whole report what the missing part was hiding.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, fixture } from './_helpers.js';

const cases = readdirSync(fixture('partial'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

for (const c of cases) {
  test(`${c}: the syntax error and the findings nothing broken could change`, () => {
    const dir = fixture('partial', c);
    const r = cli(['check', '--no-process-env', '--format', 'compact', '.'], { cwd: dir });
    assert.is(r.status, 1, r.stderr);
    assert.is(r.stderr, '');
    assert.fixture(r.stdout, readFileSync(join(dir, 'expected.txt'), 'utf8'));
    assert.match(r.stdout, / error syntax /);
  });
}

/** A copy of a case with some files replaced: the unit made whole. */
function whole(c: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-partial-'));
  cpSync(fixture('partial', c), dir, { recursive: true });
  for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
  return dir;
}

const compact = (dir: string) => cli(['check', '--no-process-env', '--format', 'compact', '.'], { cwd: dir }).stdout;

test('made whole, each case reports what its broken part was hiding', () => {
  const dirs = [
    whole('unclosed-block', { 'broken.pkr.hcl': 'source "null" "example" {\n  communicator = "none"\n}\n' }),
    whole('broken-variable-file', { 'prod.auto.pkrvars.hcl': 'bucket = "Web_Base_2"\n' }),
    whole('damaged-block', { 'main.pkr.hcl': readFileSync(fixture('partial', 'damaged-block', 'main.pkr.hcl'), 'utf8').replace('channels = [', 'channels = []') }),
    whole('required-version', { 'packer.pkr.hcl': 'packer {\n  required_version = ">= 1.9.0"\n}\n' }),
    whole('ignores', { 'variables.pkr.hcl': 'variable "bucket" {\n  default = "web-base"\n}\n' }),
  ];
  try {
    const [unclosed, varFile, damaged, version, ignores] = dirs.map(compact);
    // A whole-unit rule, silent while a file did not parse.
    assert.match(unclosed, /main\.pkr\.hcl:9:1: error registry-multiple-builds /);
    // The variable file's value, which the broken file may have set, is the one judged.
    assert.match(varFile, /registry-bucket-name bucket name "Web_Base_2" \(from var\.bucket \(prod\.auto\.pkrvars\.hcl:1\)\)/);
    // A finding inside the block the error was in.
    assert.match(damaged, /main\.pkr\.hcl:3:3: error registry-unknown-argument /);
    // Once the required_version that sets the target parses, the rules judge again.
    assert.match(version, /registry-bucket-name bucket name "Web_Base"/);
    // Ignores that suppress nothing, once that can be known.
    assert.match(ignores, /main\.pkr\.hcl:1:1: warning unused-ignore this ignore of 'registry-multiple-builds' suppressed nothing/);
    assert.match(ignores, /main\.pkr\.hcl:5:3: warning unused-ignore this ignore of 'registry-bucket-name' suppressed nothing/);
    for (const out of [unclosed, varFile, damaged, version, ignores]) assert.not.match(out, / syntax /);
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});

test.run();
