// removed-argument's fixes that are only offered (suggestions): a rewrite whose value is built from expressions, which
// may already hold what the rewrite adds (a "sha256:" prefix, or "none").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { applyEdits } from '../src/fix/apply.js';
import { check, envOf, fixture } from './_helpers.js';

test('an iso_checksum built from a variable is a suggestion that interpolates it', () => {
  const dir = fixture('rules', 'removed-argument', 'invalid-iso-checksum');
  const result = check([dir], { env: envOf(), only: ['removed-argument'], configPath: undefined });
  const offered = result.diagnostics.filter((d) => d.fix?.suggestion);
  assert.is(offered.length, 2);
  const text = readFileSync(`${dir}/main.pkr.hcl`, 'utf8');
  const fixed = applyEdits(text, offered.flatMap((d) => d.fix!.edits));
  assert.equal(fixed.skipped, []);
  const block = (name: string) => fixed.text.slice(fixed.text.indexOf(`source "qemu" "${name}"`)).split('\n}')[0];
  for (const name of ['from-variable', 'template']) {
    assert.match(block(name), /\n {2}iso_checksum += "sha256:\$\{var\.iso_checksum\}"\n/);
    assert.not.match(block(name), /iso_checksum_type/);
  }
});

test.run();
