/**
 * The rule tester: every fixtures/rules/<rule>/<case>/ is one unit. `invalid-*` cases carry their expected findings as
 * `# expect: rule[:severity]` markers at the end of the line where a finding starts (and in case.json `expect`);
 * `valid-*` cases must produce no finding of the rule.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { rules } from '../src/rules/index.js';
import { check, envOf, fixture } from './_helpers.js';

interface CaseFile {
  env?: Record<string, string>;
  packerVersion?: string;
  vars?: Record<string, string>;
  expect?: Array<{ file: string | null; line: number | null; rule: string; severity?: string }>;
}

const MARKER = /(?:#|\/\/)\s*expect:\s*([a-z0-9:, -]+?)\s*$/;

function expectedFromMarkers(dir: string, rule: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (!statSync(p).isFile() || name === 'case.json') continue;
    readFileSync(p, 'utf8').split(/\r?\n/).forEach((line, i) => {
      const m = MARKER.exec(line);
      if (!m) return;
      for (const item of m[1].split(',').map((s) => s.trim()).filter(Boolean)) {
        const [id, sev] = item.split(':');
        if (id === rule) out.push(`${name}:${i + 1}:${id}${sev ? `:${sev}` : ''}`);
      }
    });
  }
  return out;
}

const root = fixture('rules');
let cases = 0;
for (const rule of readdirSync(root).sort()) {
  for (const name of readdirSync(join(root, rule)).sort()) {
    const dir = join(root, rule, name);
    if (!statSync(dir).isDirectory()) continue;
    cases++;
    test(`${rule} / ${name}`, () => {
      const c: CaseFile = existsSync(join(dir, 'case.json')) ? JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) : {};
      const result = check([dir], {
        env: envOf(c.env),
        packerVersion: c.packerVersion,
        vars: Object.entries(c.vars ?? {}),
        // unused-ignore judges the ignores of the other rules, so they all run for it.
        only: rule === 'unused-ignore' ? undefined : [rule],
        configPath: undefined,
      });
      const found = result.diagnostics.filter((d) => d.ruleId === rule);
      if (rule !== 'syntax') {
        const syntax = result.diagnostics.filter((d) => d.ruleId === 'syntax');
        assert.equal(syntax.map((d) => d.message), [], 'fixture must parse');
      }
      const expected = [
        ...expectedFromMarkers(dir, rule),
        ...(c.expect ?? []).filter((e) => e.rule === rule).map((e) => `${e.file ?? '-'}:${e.line ?? '-'}:${e.rule}${e.severity ? `:${e.severity}` : ''}`),
      ];
      // A marker without a severity matches a finding of any severity.
      const actual = found.map((d) => {
        const file = d.file ? relative(dir, d.file.path) : '-';
        const line = d.file && d.start !== undefined ? d.file.lines.position(d.start).line : '-';
        return `${file}:${line}:${d.ruleId}`;
      });
      const withSev = found.map((d, i) => `${actual[i]}:${d.severity}`);
      const actualFor = (e: string) => (e.split(':').length === 4 ? withSev : actual);
      const unmatched = [...expected];
      const remaining = found.map((_, i) => i);
      for (const e of expected) {
        const idx = remaining.findIndex((i) => actualFor(e)[i] === e);
        if (idx >= 0) {
          remaining.splice(idx, 1);
          unmatched.splice(unmatched.indexOf(e), 1);
        }
      }
      const messages = remaining.map((i) => `${withSev[i]} ${found[i].message}`);
      if (name.startsWith('valid-')) assert.equal(messages, [], 'a valid case has no finding of its rule');
      assert.equal(unmatched, [], `expected findings not reported (got: ${JSON.stringify(found.map((d, i) => withSev[i] + ' ' + d.message))})`);
      assert.equal(messages, [], 'unexpected findings');
    });
  }
}

test('every rule has fixtures with valid and invalid cases', () => {
  for (const r of rules) {
    if (r.meta.id === 'syntax' || existsSync(join(root, r.meta.id))) {
      const names = existsSync(join(root, r.meta.id)) ? readdirSync(join(root, r.meta.id)) : [];
      assert.ok(names.some((n) => n.startsWith('invalid-')), `${r.meta.id} has an invalid case`);
      assert.ok(names.some((n) => n.startsWith('valid-')), `${r.meta.id} has a valid case`);
    } else {
      assert.unreachable(`${r.meta.id} has no fixtures/rules/${r.meta.id}`);
    }
  }
  assert.ok(cases > 40);
});

test.run();
