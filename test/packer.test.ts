/** The meaning layer: target versions, variable values and their precedence, what turns HCP on. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lowestAllowed, parseVersion, resolveConstraints, resolveMinimum } from '../src/packer/version.js';
import { ROOT_KEYS } from '../src/packer/legacy.js';
import { compileGlob, globProblem } from '../src/packer/glob.js';
import { check, envOf, ROOT } from './_helpers.js';

test('required_version: the lowest release every constraint allows', () => {
  assert.is(lowestAllowed('>= 1.7.0, < 2.0.0'), '1.7.0');
  assert.is(lowestAllowed('~> 1.12'), '1.12.0');
  assert.is(lowestAllowed('~> 1.9.2'), '1.9.2');
  assert.is(lowestAllowed('!= 1.13.0, >= 1.14.0'), '1.14.0');
  assert.is(lowestAllowed('>= 1.13.0, != 1.13.0'), '1.13.1');
  assert.is(lowestAllowed('>= 1.7.0', '>= 1.14.0'), '1.14.0', 'every packer block counts');
  assert.is(lowestAllowed('= 1.13.0', '!= 1.13.0'), undefined);
  assert.is(lowestAllowed('garbage'), undefined);
});

test('versions: numbers past what Packer or pkrlint can hold are bad usage, invalid or unsatisfiable, never 0.0.0', () => {
  assert.is(parseVersion('1.13'), '1.13.0');
  assert.is(parseVersion('12345678901234567890.0.0'), undefined);
  assert.is(parseVersion('1.99999999999999999999.0'), undefined);
  assert.is(parseVersion(`1.0.0-${'a'.repeat(300)}`), undefined);
  // packer 1.6.6 validate -syntax-only: "Invalid version constraint" past int64, "Unsupported Packer Core version" when
  // nothing it could be meets the constraint.
  assert.equal(resolveConstraints(['>= 12345678901234567890.0.0']), { ok: false, reason: 'invalid', problem: '12345678901234567890 is too large for a version number' });
  assert.equal(resolveConstraints(['>= 9000000000000000000.0.0']), { ok: false, reason: 'unsatisfiable', problem: '>= 9000000000000000000.0.0 asks for a version no Packer release has' });
  assert.equal(resolveConstraints(['< 9000000000000000000.0.0, >= 1.7']), { ok: true, version: '1.7.0' });
  assert.equal(resolveConstraints(['']), { ok: false, reason: 'invalid', problem: '"" is not a version constraint' });
  assert.equal(resolveConstraints(['>= 1.0,']).ok, false);
  assert.equal(resolveConstraints(['>= 1.2.3.4']), { ok: false, reason: 'unreadable', problem: 'pkrlint cannot read the four-part version in ">= 1.2.3.4"' });
  assert.equal(resolveConstraints(['>= 1.2.0.0']), { ok: true, version: '1.2.0' });
  assert.equal(resolveMinimum('banana'), { ok: false, reason: 'invalid', problem: '"banana" is not a version' });
});

test('versions in templates: a finding at the constraint, and the configuration is not judged against target 0.0.0', () => {
  const d = unit({ 'main.pkr.hcl': 'packer {\n  required_version = ">= 12345678901234567890.0.0"\n}\n\nbuild {\n  name = "x"\n\n  hcp_packer_registry {\n    bucket_name = "ok-name"\n  }\n  sources = ["source.null.x"]\n}\n\nsource "null" "x" {\n  communicator = "none"\n}\n' });
  assert.equal(messages(d), ['syntax: required_version ">= 12345678901234567890.0.0" is not a valid version constraint: 12345678901234567890 is too large for a version number (Packer: "Invalid version constraint")']);
  const two = unit({ 'a.pkr.hcl': 'packer {\n  required_version = "= 1.13.0"\n}\n', 'b.pkr.hcl': 'packer {\n  required_version = "!= 1.13.0"\n}\n' + SRC });
  assert.match(messages(two)[0], /^syntax: required_version "= 1\.13\.0" in .*a\.pkr\.hcl:2 and "!= 1\.13\.0" in .*b\.pkr\.hcl:2 together allow no Packer version \(no Packer version meets every constraint\): Packer fails with "Unsupported Packer Core version"$/);
  const legacy = unit({ 't.json': '{"min_packer_version": "12345678901234567890.0.0", "builders": [{"type": "null", "communicator": "none"}]}' });
  assert.equal(messages(legacy), ['syntax: min_packer_version "12345678901234567890.0.0" cannot be read by Packer (12345678901234567890 is too large for a version number): packer validate and packer build fail ("min_version is invalid")']);
});

test('ignore globs: the usual syntax, matched by an automaton (no backtracking)', () => {
  const m = (g: string, p: string) => compileGlob(g)(p);
  assert.ok(m('legacy/**', 'legacy') && m('legacy/**', 'legacy/a/b.json') && !m('legacy/**', 'x/legacy/a'));
  assert.ok(m('**/legacy/**', 'x/legacy/a') && m('**/*.pkr.hcl', 'main.pkr.hcl') && m('a/**/b', 'a/b') && m('a/**/b', 'a/x/y/b'));
  assert.ok(m('*.json', '.hidden.json') && !m('*.json', 'x/a.json') && m('x?.json', 'x1.json') && !m('x?.json', 'x/.json'));
  assert.ok(m('[abc]*.hcl', 'b.hcl') && !m('[!a]*', 'a.json') && m('[!a]*', 'b.json') && m('[a-c]', 'b'));
  assert.ok(m('a/{b,c/{d,e}}/f', 'a/c/e/f') && !m('a/{b,c/{d,e}}/f', 'a/c/f') && m('a\\*b', 'a*b') && !m('a\\*b', 'axb'));
  assert.ok(m('./foo/*', 'foo/x') && m('foo/', 'foo'));
  assert.is(globProblem('@(a|b)'), 'extended globs such as @(a|b) or !(x) are not supported; use {a,b}');
  assert.is(globProblem('!legacy/**'), 'a negated glob (leading "!") is not supported');
  assert.is(globProblem('x'.repeat(257)), 'longer than 256 characters');
  assert.is(globProblem('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}'), 'more than 64 alternatives');
  assert.is(globProblem('*a*a*a*a*a*a*a*a*b'), undefined, 'any number of stars is fine: matching is linear');
});

const dirs: string[] = [];
function unit(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'pkrlint-packer-'));
  dirs.push(d);
  for (const [n, t] of Object.entries(files)) writeFileSync(join(d, n), t);
  return d;
}
const SRC = 'source "null" "x" {\n  communicator = "none"\n}\n\nbuild {\n  sources = ["source.null.x"]\n}\n';
const messages = (d: string, opts: Parameters<typeof check>[1] = {}) => check([d], opts).diagnostics.map((x) => `${x.ruleId}: ${x.message}`);

test('a top-level block is judged against every packer block of the configuration', () => {
  const d = unit({
    'a.pkr.hcl': 'packer {\n  required_version = ">= 1.7.0"\n}\n',
    'b.pkr.hcl': 'packer {\n  required_version = ">= 1.14.0"\n}\n\nhcp_packer_registry {\n  bucket_name = "web-base"\n}\n\n' + SRC,
  });
  assert.equal(messages(d), []);
});

test('typed variables: a --var or PKR_VAR_ value is an HCL expression for maps and lists', () => {
  const d = unit({
    'main.pkr.hcl':
      'variable "labels" {\n  type = map(string)\n}\n\nvariable "channels" {\n  type    = list(string)\n  default = []\n}\n\n' +
      'hcp_packer_registry {\n  bucket_name   = "web-base"\n  bucket_labels = var.labels\n  channels      = var.channels\n}\n\n' + SRC,
  });
  assert.equal(messages(d, { env: envOf({ PKR_VAR_labels: '{ team = "web" }' }), vars: [['channels', '["dev", "prod"]']] }), []);
  const bad = messages(d, { vars: [['labels', '{ team = ["web"] }'], ['channels', '["latest"]']] });
  assert.equal(bad.map((m) => m.split(':')[0]).sort(), ['registry-channels', 'registry-label-type']);
});

test('variable files: every HCL file is read before every JSON one, so JSON wins', () => {
  const d = unit({
    'main.pkr.hcl': 'variable "bucket" {\n  type = string\n}\n\nhcp_packer_registry {\n  bucket_name = var.bucket\n}\n\n' + SRC,
    'a.auto.pkrvars.json': '{"bucket": "from_json"}',
    'b.auto.pkrvars.hcl': 'bucket = "from-hcl"\n',
  });
  assert.match(messages(d)[0], /registry-bucket-name: bucket name "from_json" \(from var\.bucket \(.*a\.auto\.pkrvars\.json:1\)\)/);
});

test('a registry block where Packer rejects it does not turn HCP on', () => {
  const d = unit({
    'main.pkr.hcl':
      'source "null" "x" {\n  communicator = "none"\n\n  hcp_packer_registry {\n    bucket_name = "web-base"\n  }\n}\n\nbuild {\n  sources = ["source.null.x"]\n}\n\nbuild {\n  name    = "two"\n  sources = ["source.null.x"]\n}\n',
  });
  assert.equal(messages(d).map((m) => m.split(':')[0]), ['registry-placement']);
});

test('data sources are not called deprecated when the target predates their replacements', () => {
  const d = unit({ 'main.pkr.hcl': 'data "hcp-packer-iteration" "base" {\n  bucket_name = "web-base"\n  channel     = "prod"\n}\n\n' + SRC });
  assert.equal(messages(d, { packerVersion: '1.9.4' }), []);
  assert.equal(messages(d).map((m) => m.split(':')[0]), ['hcp-datasource-deprecated']);
});

test('Packer 1.10.2 to 1.11.2 reject an empty bucket_name', () => {
  const d = unit({ 'main.pkr.hcl': 'build {\n  name    = "web"\n  sources = ["source.null.x"]\n\n  hcp_packer_registry {\n    bucket_name = ""\n  }\n}\n\nsource "null" "x" {\n  communicator = "none"\n}\n' });
  assert.match(messages(d, { packerVersion: '1.11.0' })[0], /registry-bucket-name: an empty bucket_name is rejected by Packer 1\.10\.2 to 1\.11\.2/);
  assert.equal(messages(d, { packerVersion: '1.12.0' }), []);
});

test('the legacy root keys are the schema\'s', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'grammar', 'packer-schema', 'core-blocks.json'), 'utf8')) as { legacy_json_template: { root_keys: Record<string, unknown> } };
  assert.equal([...ROOT_KEYS].sort(), Object.keys(schema.legacy_json_template.root_keys).sort());
});

test('a .pkr.json string whose interpolation does not parse is a syntax error', () => {
  const d = unit({ 'main.pkr.json': JSON.stringify({ source: { null: { x: { communicator: 'none' } } }, build: { name: '${var.x', sources: ['source.null.x'] } }) });
  assert.match(messages(d)[0], /^syntax: invalid template in string/);
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
