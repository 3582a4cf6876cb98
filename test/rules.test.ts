/**
 * The rule tester: every fixtures/rules/<rule>/<case>/ is one unit, checked for what a user sees of its rule's
 * findings (docs/adding-a-rule.md):
 * - `invalid-*` cases state each expected finding as a marker at the end of the line where it starts,
 *   `# expect: rule/messageId[:severity] @column..endColumn` (or `@column..endLine:endColumn` when it ends on another
 *   line; columns 1-based in UTF-16 code units, the end exclusive, as in the JSON output), or in case.json `expect`
 *   for files that cannot carry comments and findings with no place. The message must be the rule's template for that
 *   id (src/rules), every finding must be expected, and every expected finding reported.
 * - `messages.txt` holds each finding's place and message, filled in, one a line in the order reported: the wording
 *   the user reads (a template, or the data a rule puts in it) is pinned too.
 * - Each file a case's fixes edit has `<file>.fixed` beside it: the file with those edits applied (src/fix/apply.ts),
 *   byte for byte; a `.fixed` file whose file no fix edits fails.
 * - `valid-*` cases carry no marker and must produce no finding of the rule.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { rules } from '../src/rules/index.js';
import { formatMessage, type TextEdit } from '../src/rules/types.js';
import { applyEdits } from '../src/fix/apply.js';
import type { Diagnostic } from '../src/lint/lint.js';
import { check, envOf, fixture } from './_helpers.js';

interface CaseFile {
  env?: Record<string, string>;
  packerVersion?: string;
  vars?: Record<string, string>;
  /** Read the case's CI files (.github/workflows, .gitlab-ci.yml, ci.envFiles of its .pkrlintrc.json), as --ci does. */
  ci?: boolean;
  /** Check a copy of the case outside any git repository. */
  outsideGit?: boolean;
  expect?: Array<{
    file: string | null;
    line: number | null;
    column: number | null;
    endLine: number | null;
    endColumn: number | null;
    rule: string;
    messageId?: string;
    severity?: string;
  }>;
}

/** One finding as compared: `file:line:column-endLine:endColumn rule/messageId`, and its severity if stated. */
interface Finding {
  key: string;
  severity?: string;
}

const FIXED = '.fixed';
const MESSAGES = 'messages.txt';
const MARKER = /(?:#|\/\/)\s*expect:(.*)$/;
const ITEM = /^([a-z0-9-]+)(?:\/([A-Za-z0-9]+))?(?::(error|warning|info))?\s+@(\d+)\.\.(?:(\d+):)?(\d+)$/;

function readCase(dir: string): CaseFile {
  const p = join(dir, 'case.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as CaseFile) : {};
}

const keyOf = (file: string, line: number | string, col: number | string, endLine: number | string, endCol: number | string, rule: string, messageId?: string) =>
  `${file}:${line}:${col}-${endLine}:${endCol} ${rule}${messageId ? `/${messageId}` : ''}`;

/** Every marker in the case's files (of any rule), or a message naming a marker that does not parse. */
function markers(dir: string): Array<Finding & { rule: string }> {
  const out: Array<Finding & { rule: string }> = [];
  for (const name of readdirSync(dir, { recursive: true }).map(String)) {
    const p = join(dir, name);
    if (!statSync(p).isFile() || name === 'case.json' || name === MESSAGES || name.endsWith(FIXED)) continue;
    readFileSync(p, 'utf8').split(/\r?\n/).forEach((line, i) => {
      const m = MARKER.exec(line);
      if (!m) return;
      for (const item of m[1].split(',').map((s) => s.trim())) {
        const x = ITEM.exec(item);
        if (!x) assert.unreachable(`${name}:${i + 1}: marker "${item}" is not "rule/messageId[:severity] @column..[endLine:]endColumn"`);
        const [, rule, messageId, severity, col, endLine, endCol] = x!;
        out.push({ rule, severity, key: keyOf(name, i + 1, col, endLine ?? i + 1, endCol, rule, messageId) });
      }
    });
  }
  return out;
}

function actualOf(dir: string, d: Diagnostic): Finding {
  const f = d.file;
  const s = f && d.start !== undefined ? f.lines.position(d.start) : undefined;
  const e = f && d.end !== undefined ? f.lines.position(d.end) : s;
  const key = keyOf(f ? relative(dir, f.path) : '-', s?.line ?? '-', s?.column ?? '-', e?.line ?? '-', e?.column ?? '-', d.ruleId, d.messageId);
  return { key, severity: d.severity };
}

/**
 * Each file the findings' fixes edit, with the edits applied in one pass (the files' own text, BOM kept). Only fixes
 * that --fix applies: suggestions are offered to editors, never applied.
 */
function fixedFiles(dir: string, found: Diagnostic[]): Map<string, string> {
  const byFile = new Map<string, TextEdit[]>();
  for (const ed of found.flatMap((d) => (d.fix && !d.fix.suggestion ? d.fix.edits : []))) byFile.set(ed.file.path, [...(byFile.get(ed.file.path) ?? []), ed]);
  const out = new Map<string, string>();
  for (const edits of byFile.values()) {
    const file = edits[0].file;
    const r = applyEdits(file.text, edits);
    assert.equal(r.skipped.length, 0, `${file.display}: overlapping fix edits`);
    out.set(relative(dir, file.path), (file.bom ? '\uFEFF' : '') + r.text);
  }
  return out;
}

/** A copy of a case in a temporary directory, outside any git repository; removed after the suite. */
const copies: string[] = [];
function outsideGit(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'pkrlint-rules-'));
  cpSync(dir, copy, { recursive: true });
  copies.push(copy);
  return copy;
}
test.after(() => {
  for (const d of copies) rmSync(d, { recursive: true, force: true });
});

const root = fixture('rules');
const byId = new Map(rules.map((r) => [r.meta.id, r.meta]));
let cases = 0;
for (const rule of readdirSync(root).sort()) {
  for (const name of readdirSync(join(root, rule)).sort()) {
    const source = join(root, rule, name);
    if (!statSync(source).isDirectory()) continue;
    cases++;
    test(`${rule} / ${name}`, () => {
      const c = readCase(source);
      const dir = c.outsideGit ? outsideGit(source) : source;
      const marked = markers(dir);
      if (name.startsWith('valid-')) assert.equal([...marked.map((m) => m.key), ...(c.expect ?? []).map((e) => e.rule)], [], 'a valid case carries no expectation');
      const result = check([dir], {
        env: envOf(c.env),
        packerVersion: c.packerVersion,
        vars: Object.entries(c.vars ?? {}),
        // unused-ignore judges the ignores of the other rules, so they all run for it.
        only: rule === 'unused-ignore' ? undefined : [rule],
        configPath: undefined,
        ci: c.ci,
      });
      const found = result.diagnostics.filter((d) => d.ruleId === rule);
      if (rule !== 'syntax') {
        const syntax = result.diagnostics.filter((d) => d.ruleId === 'syntax');
        assert.equal(syntax.map((d) => d.message), [], 'fixture must parse');
      }
      const expected: Finding[] = [
        ...marked.filter((m) => m.rule === rule),
        ...(c.expect ?? [])
          .filter((e) => e.rule === rule)
          .map((e) => ({ key: keyOf(e.file ?? '-', e.line ?? '-', e.column ?? '-', e.endLine ?? '-', e.endColumn ?? '-', e.rule, e.messageId), severity: e.severity })),
      ];
      const actual = found.map((d) => actualOf(dir, d));
      const show = (f: Finding) => `${f.key}${f.severity ? `:${f.severity}` : ''}`;
      const unmatched: Finding[] = [];
      const remaining = actual.map((_, i) => i);
      // A marker without a severity matches a finding of any severity.
      for (const e of expected) {
        const idx = remaining.findIndex((i) => actual[i].key === e.key && (e.severity === undefined || actual[i].severity === e.severity));
        if (idx >= 0) remaining.splice(idx, 1);
        else unmatched.push(e);
      }
      const unexpected = remaining.map((i) => `${show(actual[i])} ${found[i].message}`);
      if (name.startsWith('valid-')) assert.equal(unexpected, [], 'a valid case has no finding of its rule');
      assert.equal(unmatched.map(show), [], `expected findings not reported (got: ${JSON.stringify(found.map((d, i) => `${show(actual[i])} ${d.message}`))})`);
      assert.equal(unexpected, [], 'unexpected findings');

      // The messages as a user reads them (templates filled with data), in the order reported.
      const messages = found.map((d, i) => `${d.file ? actual[i].key.split(' ')[0] : '-'} ${d.message}\n`).join('');
      if (found.length || existsSync(join(dir, MESSAGES))) assert.fixture(messages, readFileSync(join(dir, MESSAGES), 'utf8'), `the findings' messages (${MESSAGES})`);

      const fixed = fixedFiles(dir, found);
      const expectedFixed = readdirSync(dir).filter((n) => n.endsWith(FIXED)).map((n) => n.slice(0, -FIXED.length));
      assert.equal([...fixed.keys()].sort(), expectedFixed.sort(), `files the fixes edit (each needs <file>${FIXED})`);
      // UPDATE_FIXED=1 rewrites the expected outputs from what the fixes do now (review the diff before committing).
      if (process.env.UPDATE_FIXED === '1') for (const [file, text] of fixed) writeFileSync(join(dir, file + FIXED), text);
      for (const [file, text] of fixed) assert.fixture(text, readFileSync(join(dir, file + FIXED), 'utf8'), `${file} with the fixes applied`);
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

test('a message template fills every placeholder from the data, and fails on a missing one', () => {
  const meta = byId.get('registry-bucket-name')!;
  assert.is(
    formatMessage(meta, 'invalidName', { name: '"ub"', from: '', why: 'it is 2 characters long' }),
    'bucket name "ub" is not valid: it is 2 characters long',
  );
  assert.throws(() => formatMessage(meta, 'invalidName', { name: '"ub"' }), /no data for \{\{from\}\}/);
  assert.throws(() => formatMessage(meta, 'noSuchId'), /no message "noSuchId"/);
});

test('every message id of every rule is used by a fixture marker', () => {
  const used = new Set<string>();
  for (const rule of readdirSync(root)) {
    for (const name of readdirSync(join(root, rule))) {
      const dir = join(root, rule, name);
      if (!statSync(dir).isDirectory()) continue;
      for (const m of markers(dir)) used.add(m.key.split(' ')[1]);
      const c = readCase(dir);
      for (const e of c.expect ?? []) if (e.messageId) used.add(`${e.rule}/${e.messageId}`);
    }
  }
  const missing = rules.flatMap((r) => Object.keys(r.meta.messages).map((id) => `${r.meta.id}/${id}`)).filter((k) => !used.has(k));
  assert.equal(missing, [], 'message ids no fixture expects');
});

test.run();
