/** The parsing layer: what a template means to the model, and syntax errors a person can act on. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseHcl, type Attribute, type Expr, type Statement } from '../src/syntax/hcl.js';
import { parseHclJson } from '../src/syntax/hcljson.js';
import { parseJson, plainValue } from '../src/syntax/json.js';
import { jsonBlockLabels } from '../src/packer/schema.js';
import { check, fixture } from './_helpers.js';

const attr = (src: string, i = 0) => parseHcl(src).body.statements[i] as Attribute;
const lit = (e: Expr) => (e.kind === 'literal' ? e.value : e.kind === 'template' ? e.parts : e.kind);

test('exponent numbers are valid HCL (tree-sitter-hcl rejects them) and keep their value', () => {
  const f = parseHcl('a = 1e10\nb = 2.5E-3\nc = 7e+2\nname = "x1e5"\n');
  assert.equal(f.errors, []);
  assert.equal(f.body.statements.map((s) => lit((s as Attribute).expr)), [1e10, 2.5e-3, 700, ['x1e5']]);
});

test('quoted templates unescape; $${ and %%{ are literal', () => {
  const a = attr('a = "tab\\there \\"q\\" $${not} %%{nor} \\u00e9"\n');
  assert.equal(lit(a.expr), ['tab\there "q" ${not} %{nor} é']);
});

test('%%{ is an escape, not a directive, in quoted strings and heredocs', () => {
  const f = parseHcl('a = "%%%{z}"\nb = <<EOT\n%%{ if x }\nEOT\n');
  assert.equal(f.errors, []);
  assert.equal(f.body.statements.map((s) => lit((s as Attribute).expr)), [['%%{z}'], ['%{ if x }\n']]);
});

test('heredocs keep their lines and trailing newline; <<- strips the common indent', () => {
  assert.equal(lit(attr('a = <<EOT\nline one\n  line two\nEOT\n').expr), ['line one\n  line two\n']);
  assert.equal(lit(attr('a = <<-EOT\n    one\n      two\n    EOT\n').expr), ['one\n  two\n']);
});

test('interpolations become expressions in the template parts', () => {
  const a = attr('a = "img-${var.name}-${local.stamp}"\n');
  assert.is(a.expr.kind, 'template');
  const parts = (a.expr as Extract<Expr, { kind: 'template' }>).parts;
  assert.is(parts[0], 'img-');
  assert.equal((parts[1] as Extract<Expr, { kind: 'traversal' }>).steps.map((s) => s.name), ['name']);
});

test('a byte order mark and CRLF line endings do not disturb positions', () => {
  const f = parseHcl('a = 1\r\nb = "x"\r\n');
  assert.equal(f.errors, []);
  const b = f.body.statements[1] as Attribute;
  assert.equal(f.lines.position(b.expr.start), { line: 2, column: 5 });
});

test('syntax errors: unclosed block, reported where it opens', () => {
  const f = parseHcl('locals {\n  a = 1\n}\n\nsource "null" "x" {\n  communicator = "none"\n\nbuild {\n  sources = []\n}\n');
  assert.is(f.errors.length, 1);
  assert.is(f.errors[0].message, 'unclosed block started at line 5');
  assert.is(f.lines.position(f.errors[0].start).line, 5);
});

test('syntax errors: unterminated string, missing =, two arguments on one line', () => {
  const s = parseHcl('a = "abc\nb = 2\n');
  assert.is(s.errors[0].message, 'unterminated string started at line 1');
  const m = parseHcl('source "null" "x" {\n  communicator "none"\n  other = 1\n}\n');
  assert.is(m.errors[0].message, `expected '=' after "communicator"`);
  assert.is(m.lines.position(m.errors[0].start).line, 2);
  const two = parseHcl('a = 1 b = 2\n');
  assert.is(two.errors[0].message, 'each argument or block must be on its own line');
});

test('syntax errors: what tree-sitter-hcl accepts and HCL does not (hex numbers, a redefined attribute, JSON in a .pkr.hcl)', () => {
  assert.match(parseHcl('a = 0x10\n').errors[0].message, /^invalid number "0x10"/);
  const dup = parseHcl('locals {\n  a = 1\n  a = 2\n}\n');
  assert.is(dup.errors[0].message, 'attribute "a" is already defined at line 2 (Packer: "Attribute redefined")');
  assert.is(dup.lines.position(dup.errors[0].start).line, 3);
  // packer 1.6.6 validate -syntax-only: "Argument or block definition required" at line 1.
  const json = parseHcl('{"locals": {"a": 1}}\n');
  assert.is(json.errors[0].message, 'expected an argument or a block, not an object (is this JSON? HCL in JSON syntax goes in a .pkr.json file) (Packer: "Argument or block definition required")');
  assert.is(json.errors[0].start, 0);
});

test('deep nesting that Packer accepts is accepted: past the modelled depth an expression is opaque, not an error', () => {
  // packer 1.6.6 validate -syntax-only passes 20 000 nested brackets and 20 000 nested blocks.
  const deep = parseHcl(`locals {\n  a = ${'['.repeat(20000)}${']'.repeat(20000)}\n}\n`);
  assert.equal(deep.errors, []);
  const e = (deep.body.statements[0] as Extract<Statement, { kind: 'block' }>).body.statements[0] as Attribute;
  let levels = 0;
  for (let x: Expr = e.expr; x.kind === 'tuple'; x = x.items[0]) levels++;
  assert.ok(levels > 100 && levels < 20000, `modelled to a bounded depth (${levels})`);
  const blocks = parseHcl(`${'a {\n'.repeat(20000)}${'}\n'.repeat(20000)}`);
  assert.equal(blocks.errors, []);
  assert.match(parseHcl(`a = ${'['.repeat(20000)}\n`).errors[0]?.message ?? '', /./, 'an unclosed deep list is still an error');
});

/** `line:column message` of a parse's first error. */
function firstError(parsed: { lines: { position(o: number): { line: number; column: number } }; errors: Array<{ start: number; message: string }> }): string {
  const p = parsed.lines.position(parsed.errors[0].start);
  return `${p.line}:${p.column} ${parsed.errors[0].message}`;
}

test('syntax errors inside a broken region point at the offending token', () => {
  const at = (src: string) => firstError(parseHcl(src));
  assert.is(at('locals {\n  x = 1\n}\nb = $x\n'), "4:5 unexpected character '$'");
  assert.is(at('locals {\n  a = 1e\n}\n'), `2:8 unexpected 'e' after "a = 1"`);
  assert.is(at('a = "${"\n'), "1:6 unclosed interpolation '${' started at line 1");
  assert.is(at('a = 1\nb = \n'), '2:1 expected a value after "b ="');
});

test('JSON: errors name the unclosed object where it opens', () => {
  const d = parseJson('{\n  "builders": [\n    {"type": "null"}\n  ]\n');
  assert.is(d.errors.length, 1);
  assert.match(d.errors[0].message, /^unclosed object started at line 1/);
});

test('JSON: a legacy template is read as Go reads it (packer 1.6.6: max depth 10000, float64 numbers)', () => {
  const nest = (n: number) => `{"builders":[{"type":"null","x":${'['.repeat(n)}${']'.repeat(n)}}]}`;
  // Three containers around the list: 9997 more is 10000 deep, which Packer accepts; one more it refuses, at
  // "line 1, column 10030".
  assert.equal(parseJson(nest(9997), { go: true }).errors, []);
  const over = parseJson(nest(9998), { go: true });
  assert.is(over.errors[0].message, `nested more than 10000 levels deep: Packer's JSON reader stops there ("exceeded max depth")`);
  assert.equal(over.lines.position(over.errors[0].start), { line: 1, column: 10030 });
  assert.ok(over.root?.kind === 'object' && over.root.members[0].key === 'builders', 'what was read before the error is kept');
  // HCL's JSON reader (.pkr.json) has no such limit, and neither has the parser: no recursion.
  assert.equal(parseJson(nest(200000)).errors, []);
  assert.is(parseJson('{"x": 1e999999}', { go: true }).errors[0].message, 'number 1e999999 is out of range: Packer cannot read it ("cannot unmarshal number 1e999999 into Go value of type float64")');
  assert.equal(parseJson('{"x": 1e-999999, "y": 1e308}', { go: true }).errors, []);
  assert.equal(parseJson('{"x": 1e999999}').errors, [], 'HCL JSON reads numbers as big floats');
});

test('JSON: strict syntax, one error at the offending token', () => {
  const at = (t: string) => firstError(parseJson(t));
  assert.is(at('{"a": 1,}'), "1:9 property name expected");
  assert.is(at('[1, 2,]'), '1:7 value expected');
  assert.is(at('{"a": 1 "b": 2}'), "1:9 ',' expected");
  assert.is(at('{"a" 1}'), "1:6 ':' expected");
  assert.is(at('{"a": tru}'), '1:7 invalid symbol');
  assert.is(at('{"a": "x\\q"}'), '1:9 invalid escape character');
  assert.is(at('{"a": 1} // note'), '1:10 comments are not allowed in JSON');
  assert.is(at('{"a": 1}\u00a0'), '1:9 end of file expected');
  assert.is(at('{"a": "abc'), '1:7 unterminated string');
  assert.is(at(''), '1:1 value expected');
  assert.equal(plainValue(parseJson('{"__proto__": {"x": 1}, "a": [1, {"b": null}], "a2": 2, "a2": 3}').root!), JSON.parse('{"__proto__": {"x": 1}, "a": [1, {"b": null}], "a2": 3}'));
  const deep = plainValue(parseJson(`${'['.repeat(100000)}${']'.repeat(100000)}`).root!);
  assert.ok(Array.isArray(deep));
});

test('HCL JSON syntax (.pkr.json) maps to blocks and attributes by the schema', () => {
  const f = parseHclJson(
    JSON.stringify({
      source: { 'amazon-ebs': { web: { region: 'us-east-1' } } },
      build: { sources: ['source.amazon-ebs.web'], hcp_packer_registry: { bucket_name: 'web-${var.env}' } },
    }),
    jsonBlockLabels,
  );
  assert.equal(f.errors, []);
  const [src, build] = f.body.statements;
  assert.is(src.kind === 'block' && `${src.type} ${src.labels.map((l) => l.value).join(' ')}`, 'source amazon-ebs web');
  assert.ok(build.kind === 'block');
  const reg = build.body.statements.find((s) => s.kind === 'block');
  assert.ok(reg && reg.kind === 'block' && reg.type === 'hcp_packer_registry');
  const bn = reg.body.statements[0] as Attribute;
  assert.is(bn.expr.kind, 'template');
});

test('realistic templates parse without a syntax error', () => {
  const root = fixture('templates');
  assert.ok(existsSync(root), 'fixtures/templates exists');
  const names = readdirSync(root);
  assert.ok(names.length >= 10, 'at least ten realistic templates');
  for (const n of names) {
    const r = check([join(root, n)]);
    const syntax = r.diagnostics.filter((d) => d.ruleId === 'syntax');
    assert.equal(syntax.map((d) => `${d.file?.display}:${d.message}`), [], n);
    assert.ok(r.files.length > 0, `${n} has files`);
  }
});

test.run();
