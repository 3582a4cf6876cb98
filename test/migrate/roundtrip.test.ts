// Semantic round trip: every leaf value of each fixture's JSON is found in the HCL output (converted) or in the
// report (needs review). Literal text is looked up as the printer escapes it; template actions by what they name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeLiteral } from '../../src/hcl/print.js';
import { parseTemplate, type Arg, type Pipeline } from '../../src/migrate/gotemplate.js';
import { parseJson, type JsonNode } from '../../src/syntax/json.js';
import { fixtures, migrateFixture } from './support.js';

function leaves(node: JsonNode, path: string, out: { path: string; node: JsonNode }[]): void {
  if (node.kind === 'object') for (const m of node.members) leaves(m.value, `${path}.${m.key}`, out);
  else if (node.kind === 'array') node.items.forEach((i, n) => leaves(i, `${path}[${n}]`, out));
  else if (node.kind !== 'null') out.push({ path, node });
}

function literals(p: Pipeline): string[] {
  const arg = (a: Arg): string[] => (a.kind === 'string' ? [a.value] : a.kind === 'pipeline' ? literals(a.pipeline) : []);
  return p.commands.flatMap((c) => c.args.flatMap(arg));
}

/** What must be findable for one string leaf. */
function expectations(value: string): string[][] {
  let segs;
  try {
    segs = parseTemplate(value);
  } catch {
    return [[escapeLiteral(value)]];
  }
  return segs.flatMap((s): string[][] => {
    if (s.kind === 'text') return s.text.split('\n').map((l) => l.replace(/[$%]+$/, '')).filter((l) => l.trim() !== '').map((l) => [escapeLiteral(l), l]);
    // A translated control action leaves the literals of its condition; `else`/`end` leave nothing of their own.
    if (s.kind === 'control') return s.pipeline ? literals(s.pipeline).map((l) => [escapeLiteral(l), s.source, escapeLiteral(JSON.stringify(s.source))]) : [];
    if (s.kind !== 'action') return [[escapeLiteral(s.source), escapeLiteral(JSON.stringify(s.source))]];
    const fns = s.pipeline.commands.map((c) => c.args[0]).filter((a) => a.kind === 'ident').map((a) => (a as { name: string }).name);
    if (fns.includes('isotime') || fns.includes('strftime')) return [['formatdate(', 'legacy_', s.source, escapeLiteral(JSON.stringify(s.source))]];
    return literals(s.pipeline).map((l) => [escapeLiteral(l).replace(/[^A-Za-z0-9_]/g, '_'), escapeLiteral(l), s.source, escapeLiteral(JSON.stringify(s.source))]);
  });
}

for (const f of fixtures()) {
  test(`round trip ${f.name}`, () => {
    const r = migrateFixture(f);
    const report = r.report.map((i) => i.message).join('\n');
    const doc = parseJson(f.text);
    const all: { path: string; node: JsonNode }[] = [];
    leaves(doc.root!, '', all);
    const missing: string[] = [];
    for (const { path, node } of all) {
      const wants = node.kind === 'string' ? expectations(node.value) : [[node.kind === 'number' ? node.raw : node.kind === 'boolean' ? String(node.value) : '']];
      for (const alternatives of wants) if (!alternatives.some((w) => r.hcl.includes(w) || report.includes(w))) missing.push(`${path}: ${alternatives[0]}`);
    }
    assert.equal(missing, []);
  });
}

test.run();
