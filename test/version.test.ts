/** The one table of version facts: it agrees with the Packer schema, and rules and migrate use it. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FEATURES, supports } from '../src/packer/version.js';
import { ROOT } from './_helpers.js';

test('every feature that names a schema entry has the schema\'s since', () => {
  const core = JSON.parse(readFileSync(join(ROOT, 'grammar', 'packer-schema', 'core-blocks.json'), 'utf8')) as Record<string, unknown>;
  let checked = 0;
  for (const [name, f] of Object.entries(FEATURES)) {
    if (!('schema' in f)) continue;
    const entry = f.schema.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], core) as { since?: string } | undefined;
    assert.ok(entry?.since, `${name}: ${f.schema} has a since`);
    assert.is(entry.since.replace(/^v/, ''), f.since, name);
    checked++;
  }
  assert.ok(checked >= 4);
});

test('supports() compares against the release that introduced a feature', () => {
  assert.ok(supports('1.13.0', 'top-level-registry'));
  assert.not.ok(supports('1.12.9', 'top-level-registry'));
  assert.ok(supports('1.7.5', 'build-registry'));
  assert.not.ok(supports('1.7.4', 'build-registry'));
});

test('no version literal is left in a rule or in the migrator', () => {
  const dirs = ['src/rules', 'src/migrate'];
  const found: string[] = [];
  for (const d of dirs) {
    for (const f of readdirSync(join(ROOT, d))) {
      const text = readFileSync(join(ROOT, d, f), 'utf8');
      text.split('\n').forEach((line, i) => {
        // Comments may name the Packer release a fact was checked against; code may not hold a version.
        const code = line.replace(/\/\/.*$/, '').trim();
        if (code.startsWith('*') || code.startsWith('/*')) return;
        if (/['"`]v?\d+\.\d+\.\d+['"`]/.test(code) || /Packer \d+\.\d+\.\d+/.test(code)) found.push(`${d}/${f}:${i + 1}: ${line.trim()}`);
      });
    }
  }
  assert.equal(found, []);
});

test.run();
