/**
 * Incremental reparse (IncrementalHcl: tree-sitter's edit + reparse, as the language server parses open documents):
 * after every change the model, comments, errors and damaged places equal those of a full parse of the same text.
 * The changes are what an editor sends (typing a line a character at a time, deleting it) and the fuzz mutants.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectFixtures, fixtureKey, mulberry32, mutantSeed, mutate } from '../bench/fuzz-long.js';
import { IncrementalHcl, parseHcl, type HclFile } from '../src/syntax/hcl.js';

const SEED = 20240611;
const hcl = collectFixtures().files.filter((f) => f.name.endsWith('.pkr.hcl') || f.name.endsWith('.pkrvars.hcl'));

/** What a parse says, without the line index (rebuilt from the same text either way). */
const said = (f: HclFile) => ({ body: f.body, comments: f.comments, errors: f.errors, damaged: f.damaged });

/** Steps where a parse ran out of time (docs/security.md: the deadline grows with the text, not the machine's load). */
let outOfTime = 0;
const gaveUp = (f: HclFile) => f.errors.some((e) => e.message.startsWith('pkrlint gave up parsing'));

function same(doc: IncrementalHcl, text: string, what: string): void {
  const inc = doc.parse(text);
  const full = parseHcl(text);
  // On a loaded machine one of the two may stop at the deadline: that step says nothing about reuse.
  if (gaveUp(inc) || gaveUp(full)) outOfTime++;
  else assert.equal(said(inc), said(full), what);
}

test.after(() => {
  assert.ok(outOfTime < 20, `${outOfTime} steps ran out of time`);
});

test('there are templates to edit', () => {
  assert.ok(hcl.length > 40, `${hcl.length} files`);
});

test('typing a line a character at a time, then deleting it, in the fixture templates', () => {
  const line = '  bucket_name = "web-${var.x}" # 1e3 %%{\n';
  for (const f of hcl.filter((x) => x.dir.includes('/fixtures/templates/'))) {
    const text = f.bytes.toString('utf8');
    const doc = new IncrementalHcl();
    try {
      same(doc, text, `${f.dir}/${f.name}: first parse`);
      // Inside the first block, if there is one: where most typing happens.
      const at = text.indexOf('{\n') + 2 || text.length;
      for (let i = 1; i <= line.length; i++) same(doc, text.slice(0, at) + line.slice(0, i) + text.slice(at), `${f.dir}/${f.name}: typed ${i}`);
      for (let i = line.length - 1; i >= 0; i -= 3) same(doc, text.slice(0, at) + line.slice(0, i) + text.slice(at), `${f.dir}/${f.name}: deleted to ${i}`);
    } finally {
      doc.delete();
    }
  }
});

test('the fuzz mutants, one after another in the same document, and back to the original', () => {
  let steps = 0;
  for (const f of hcl) {
    const text = f.bytes.toString('utf8');
    const doc = new IncrementalHcl();
    try {
      same(doc, text, f.name);
      for (let i = 0; i < 3; i++) {
        const m = mutate(f.bytes, mulberry32(mutantSeed(SEED, fixtureKey(f), i)));
        same(doc, m.bytes.toString('utf8'), `${f.dir}/${f.name}: mutant ${i} (${m.ops.join(', ')})`);
        steps++;
      }
      same(doc, text, `${f.dir}/${f.name}: back to the original`);
    } finally {
      doc.delete();
    }
  }
  assert.ok(steps > 100, `${steps} mutants`);
});

test.run();
