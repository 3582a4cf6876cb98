/**
 * The schema rules (issue 13) over whole realistic templates: silent on every valid template of fixtures/templates/,
 * and the unit-wide ones silent on a unit with a file that does not parse (a partial tree), even when run directly.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../src/packer/analysis.js';
import { loadDirectoryUnit } from '../src/packer/unit.js';
import { ruleById } from '../src/rules/index.js';
import type { Report } from '../src/rules/types.js';
import { check, envOf, fixture } from './_helpers.js';

const SCHEMA_RULES = ['unknown-argument', 'undefined-reference', 'unused-variable', 'unknown-component', 'argument-form', 'argument-type', 'required-plugins'].filter((id) => ruleById.has(id));

test('no finding of the schema rules on the realistic templates', () => {
  const root = fixture('templates');
  const names = readdirSync(root);
  assert.ok(names.length >= 10, 'at least ten realistic templates');
  for (const n of names) {
    const r = check([join(root, n)], { only: SCHEMA_RULES });
    const found = r.diagnostics.filter((d) => SCHEMA_RULES.includes(d.ruleId));
    assert.equal(found.map((d) => `${d.file?.display}: ${d.ruleId}: ${d.message}`), [], n);
  }
});

test('the realistic templates with typos: each schema rule finds its mistake', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-schema-'));
  try {
    writeFileSync(
      join(dir, 'main.pkr.hcl'),
      [
        'source "amazon-ebs" "ubuntu" {',
        '  region        = "us-east-1"',
        '  instance_type = "t3.micro"',
        '  source_ami    = "ami-0c7217cdde317cfec"',
        '  ssh_usernme   = "ubuntu"',
        '  ami_name      = "ubuntu"',
        '}',
        '',
        'build {',
        '  sources = ["source.amazon-ebs.ubuntu"]',
        '}',
        '',
      ].join('\n'),
    );
    const r = check([dir], { env: envOf() });
    const ids = r.diagnostics.filter((d) => SCHEMA_RULES.includes(d.ruleId)).map((d) => `${d.ruleId}: ${d.message}`);
    assert.ok(ids.some((m) => m.startsWith('unknown-argument: argument "ssh_usernme"') && m.includes('did you mean "ssh_username"?')), JSON.stringify(ids));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unit-wide rules judge nothing when a file of the unit does not parse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-schema-'));
  try {
    writeFileSync(join(dir, 'variables.pkr.hcl'), 'variable "region" {\n  type = string\n');
    writeFileSync(join(dir, 'main.pkr.hcl'), 'variable "unused" {}\nsource "null" "x" {\n  communicator = var.region\n}\nbuild {\n  sources = ["source.null.x"]\n}\n');
    const unit = loadDirectoryUnit(dir, dir);
    assert.ok(unit.files.some((f) => f.syntaxErrors.length), 'variables.pkr.hcl does not parse');
    for (const id of ['undefined-reference', 'unused-variable'].filter((x) => ruleById.has(x))) {
      const reports: Report[] = [];
      ruleById.get(id)!.check({ ...analyze(unit, { env: envOf() }), report: (x) => reports.push(x) });
      assert.equal(reports, [], `${id} is silent on a partial tree`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('unused-variable: a variable set by a variable file in a directory above, up to the repository root, is not reported', () => {
  const repo = mkdtempSync(join(tmpdir(), 'pkrlint-schema-'));
  try {
    mkdirSync(join(repo, '.git'));
    mkdirSync(join(repo, 'builds', 'ubuntu'), { recursive: true });
    writeFileSync(join(repo, 'builds', 'common.pkrvars.hcl'), 'vcenter_server = "vcenter.example.com"\n');
    writeFileSync(join(repo, 'outside.pkrvars.hcl'), 'build_key = "ssh-ed25519 AAAA"\n');
    writeFileSync(
      join(repo, 'builds', 'ubuntu', 'main.pkr.hcl'),
      'variable "vcenter_server" {\n  type = string\n}\nvariable "build_key" {\n  type = string\n}\nvariable "leftover" {\n  type = string\n}\nsource "null" "x" {\n  communicator = "none"\n}\nbuild {\n  sources = ["source.null.x"]\n}\n',
    );
    const found = check([join(repo, 'builds', 'ubuntu')], { only: ['unused-variable'] }).diagnostics.filter((d) => d.ruleId === 'unused-variable');
    // build_key is set only by a file at the repository root, which is above the configuration too.
    assert.equal(found.map((d) => d.message.split(' is declared')[0]), ['variable "leftover"']);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});

test.run();
