// Go template control actions and undeclared variables build the same: every fixture with a var-sets.json is built
// by the real `packer build` from the JSON and from the HCL2 migrated for 1.6.6, once per -var set (values that flip
// Go's truth: empty, "false", "0", "yes"); the OUT: lines must be the same. Without packer the builds are skipped
// (visibly; CI fails), the checks on the migrated text still run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrateTemplate } from '../../src/migrate/index.js';
import { dirWith, fixtures, havePacker, migrateCli, migrateFixture, pool, runPacker, tempDir, type Fixture, type Ran } from './support.js';

type VarSet = Record<string, string>;

const built = fixtures().filter((f) => existsSync(join(f.dir, 'var-sets.json')));
const varSets = (f: Fixture) => JSON.parse(readFileSync(join(f.dir, 'var-sets.json'), 'utf8')) as VarSet[];

/** What the steps printed from `OUT:` on, sorted (builds run in parallel). */
function printed(r: Ran): string[] {
  return r.out
    .split('\n')
    .filter((l) => /^\s*[\w.-]+: OUT:/.test(l))
    .map((l) => l.slice(l.indexOf('OUT:')).trimEnd())
    .sort();
}

test('the fixtures with -var sets are there', () => {
  assert.equal(built.map((f) => f.name), ['control-actions', 'undeclared-variables']);
});

test('control-actions: every control action is translated, none kept as text', () => {
  const f = built.find((x) => x.name === 'control-actions')!;
  const r = migrateFixture(f, '1.6.6');
  assert.equal(r.report.filter((i) => i.level === 'review'), []);
  assert.not.match(r.hcl, /\{\{"\{\{/);
  // The plugin's own placeholders stay for the plugin, control actions included.
  assert.match(r.hcl, '"{{if .Vars}}{{.Vars}} {{end}}${var.x != "" ?');
});

test('undeclared-variables: each undeclared variable is declared with an empty default and reviewed once', () => {
  const f = built.find((x) => x.name === 'undeclared-variables')!;
  const r = migrateFixture(f, '1.6.6');
  const reviews = r.report.filter((i) => i.level === 'review').map((i) => /variable "([^"]+)"/.exec(i.message)?.[1]);
  assert.equal(reviews, ['suffix', 'content', 'b', 'other', 'my var']);
  for (const name of ['suffix', 'content', 'b', 'other', 'my_var_2']) assert.match(r.hcl, `variable "${name}" {\n  type    = string\n  default = ""\n}`);
  assert.equal(r.variables?.find((v) => v.jsonName === 'my var')?.name, 'my_var_2');
});

/** The migration of a template whose one shell-local step runs `line`. */
function migrateLine(line: string) {
  const json = JSON.stringify({ variables: { x: '' }, builders: [{ type: 'null', communicator: 'none' }], provisioners: [{ type: 'shell-local', inline: [line] }] });
  return migrateTemplate(json, 'web.json', { env: {}, packerVersion: '1.6.6' });
}

test('hostile control actions: long chains and deep nesting are kept as text with a review, never a crash', () => {
  const chain = `{{if eq (user \`x\`) \`0\`}}0${Array.from({ length: 150 }, (_, i) => `{{else if eq (user \`x\`) \`${i + 1}\`}}${i + 1}`).join('')}{{end}}`;
  // 90 blocks, each nested in the last of its 90 branches: about 8000 conditionals deep.
  const nested = `${`{{if user \`x\`}}a${'{{else if user `x`}}b'.repeat(89)}`.repeat(90)}${'{{end}}'.repeat(90)}`;
  const wide = `{{if eq (user \`x\`)${' `a`'.repeat(5000)}}}w{{end}}`;
  const notAnd = `{{if not (and${' (user `x`)'.repeat(200)})}}n{{end}}`;
  const many = `{{if user \`x\`}}${'{{user `x`}}.'.repeat(100_000)}{{end}}`;
  for (const [line, message] of [
    [chain, /more than 100 `else if` branches are not translated/],
    [nested, /nest more than 400 deep; the value is kept as literal text/],
    [wide, /`eq` with more than 100 arguments is not translated/],
    [notAnd, /`and` with more than 100 arguments is not translated/],
  ] as const) {
    const r = migrateLine(line);
    assert.match(r.report.map((i) => i.message).join('\n'), message);
    assert.match(r.hcl, '{{\\"{{if ');
  }
  const r = migrateLine(many);
  assert.equal(r.report.filter((i) => i.level === 'review'), []);
  assert.ok(r.hcl.includes('var.x != "" ? "${var.x}.${var.x}.'));
});

interface Build {
  name: string;
  vars: VarSet;
  json: Ran;
  hcl: Ran;
  hclText: string;
}

async function buildAll(f: Fixture): Promise<Build[]> {
  const r = migrateFixture(f, '1.6.6');
  const hclName = new Map(r.variables?.map((v) => [v.jsonName, v.name]));
  const out: Build[] = [];
  for (const [i, vars] of varSets(f).entries()) {
    const root = tempDir(`control-${f.name}-${i}`);
    const jsonDir = join(root, 'json');
    const hclDir = join(root, 'hcl');
    mkdirSync(jsonDir);
    mkdirSync(hclDir);
    copyFileSync(join(f.dir, f.file), join(jsonDir, 'template.json'));
    writeFileSync(join(hclDir, 'template.pkr.hcl'), r.hcl);
    const args = (names: (k: string) => string) => Object.entries(vars).flatMap(([k, v]) => ['-var', `${names(k)}=${v}`]);
    const [json, hcl] = await Promise.all([
      runPacker(['build', '-color=false', ...args((k) => k), 'template.json'], jsonDir),
      runPacker(['build', '-color=false', ...args((k) => hclName.get(k) ?? k), 'template.pkr.hcl'], hclDir),
    ]);
    out.push({ name: f.name, vars, json, hcl, hclText: r.hcl });
  }
  return out;
}

if (havePacker('migrate/control')) {
  process.env.PKR_TEST_VALUE = 'from-the-environment';
  const builds = (await pool(built, 2, buildAll)).flat();
  for (const b of builds) {
    test(`${b.name} with ${JSON.stringify(b.vars)}: JSON and migrated HCL2 build the same`, () => {
      assert.is(b.json.code, 0, `JSON build failed:\n${b.json.out}`);
      assert.is(b.hcl.code, 0, `HCL2 build failed:\n${b.hcl.out}\n${b.hclText}`);
      const j = printed(b.json);
      assert.ok(j.length >= 5, `too few OUT: lines:\n${b.json.out}`);
      assert.equal(printed(b.hcl), j);
    });
  }
  const f = fixtures().find((x) => x.name === 'undeclared-in-default')!;
  const dirs = { json: tempDir('undeclared-json'), hcl: tempDir('undeclared-hcl') };
  copyFileSync(join(f.dir, f.file), join(dirs.json, 'template.json'));
  writeFileSync(join(dirs.hcl, 'template.pkr.hcl'), migrateFixture(f, '1.6.6').hcl);
  const [jsonUnset, hclUnset, jsonSet, hclSet] = await Promise.all([
    runPacker(['build', '-color=false', 'template.json'], dirs.json),
    runPacker(['build', '-color=false', 'template.pkr.hcl'], dirs.hcl),
    runPacker(['build', '-color=false', '-var', 'flavour=q', 'template.json'], dirs.json),
    runPacker(['build', '-color=false', '-var', 'flavour=q', 'template.pkr.hcl'], dirs.hcl),
  ]);
  test('undeclared-in-default: as the review says, legacy Packer stops unless -var sets it; with -var both build the same', () => {
    assert.is.not(jsonUnset.code, 0, jsonUnset.out);
    assert.match(jsonUnset.out, 'Failed to interpolate "image_name"');
    assert.is(hclUnset.code, 0, hclUnset.out);
    assert.equal(printed(hclUnset), ['OUT: base- x']);
    assert.is(jsonSet.code, 0, jsonSet.out);
    assert.equal(printed(jsonSet), ['OUT: base-q q x']);
    assert.equal(printed(hclSet), printed(jsonSet));
  });
  // A variable file migrated with the template sets the undeclared variables, as -var-file did.
  const u = fixtures().find((x) => x.name === 'undeclared-variables')!;
  const varDir = dirWith('undeclared-var-file', { 'template.json': u.text, 'vars.json': JSON.stringify({ b: 'from-file', 'my var': 'spaced' }) });
  const migrated = migrateCli(varDir, ['--packer-version', '1.6.6', 'template.json', 'vars.json']);
  const [jsonFile, hclFile] = await Promise.all([
    runPacker(['build', '-color=false', '-var-file', 'vars.json', 'template.json'], varDir),
    runPacker(['build', '-color=false', '-var-file', 'vars.pkrvars.hcl', 'template.pkr.hcl'], varDir),
  ]);
  test('undeclared-variables: a variable file migrated with the template sets them as -var-file did', () => {
    assert.is(migrated.code, 1, migrated.err);
    assert.is(jsonFile.code, 0, jsonFile.out);
    assert.is(hclFile.code, 0, hclFile.out);
    assert.ok(printed(jsonFile).includes('OUT: upper [FROM-FILE] name [spaced]'), jsonFile.out);
    assert.equal(printed(hclFile), printed(jsonFile));
  });
  test('the -var sets change what the builds print', () => {
    for (const f of built) {
      const outs = new Set(builds.filter((b) => b.name === f.name).map((b) => printed(b.json).join('\n')));
      assert.is(outs.size, varSets(f).length, `${f.name}: some -var sets print the same as another`);
    }
  });
}

test.run();
