/** Every fix a rule offers, applied to the text, removes the finding and leaves a template that parses. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { applyEdits } from '../src/fix/apply.js';
import { runFix } from '../src/fix/run.js';
import { runCheck, type CheckOptions } from '../src/lint/run.js';
import { fileFrom } from '../src/packer/unit.js';
import { rules } from '../src/rules/index.js';
import { createRule, type Rule } from '../src/rules/types.js';
import { check, envOf, fixture } from './_helpers.js';

function fixOnce(files: Record<string, string>, rule: string, packerVersion?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-fix-'));
  try {
    for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
    const before = check([dir], { env: envOf(), packerVersion }).diagnostics.filter((d) => d.ruleId === rule);
    assert.ok(before.length > 0 && before.every((d) => d.fix), `${rule} reports with a fix`);
    for (const d of before) {
      const f = d.file!;
      const edits = d.fix!.edits.filter((e) => e.file === f);
      writeFileSync(f.path, applyEdits(readFileSync(f.path, 'utf8'), edits).text);
    }
    const after = check([dir], { env: envOf(), packerVersion }).diagnostics;
    const texts = Object.fromEntries(Object.keys(files).map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
    return { after, texts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SRC = 'source "null" "base" {\n  communicator = "none"\n}\n\n';

test('registry-in-build-deprecated: the block moves to the top level, comments and all', () => {
  const { after, texts } = fixOnce(
    {
      'main.pkr.hcl':
        SRC +
        'build {\n  sources = ["source.null.base"]\n\n  # Published for the platform team.\n  hcp_packer_registry {\n    bucket_name = "web-base" # stable name\n    description = "Base image"\n  }\n\n  provisioner "shell-local" {\n    inline = ["echo hi"]\n  }\n}\n',
    },
    'registry-in-build-deprecated',
  );
  assert.equal(after.map((d) => d.ruleId), []);
  assert.is(
    texts['main.pkr.hcl'],
    SRC +
      '# Published for the platform team.\nhcp_packer_registry {\n  bucket_name = "web-base" # stable name\n  description = "Base image"\n}\n\nbuild {\n  sources = ["source.null.base"]\n\n  provisioner "shell-local" {\n    inline = ["echo hi"]\n  }\n}\n',
  );
});

test('registry-unknown-argument: a typo is renamed to the argument it meant', () => {
  const { after, texts } = fixOnce({ 'main.pkr.hcl': SRC + 'hcp_packer_registry {\n  bucket_name  = "web-base"\n  bucket_label = { team = "web" }\n}\n\nbuild {\n  sources = ["source.null.base"]\n}\n' }, 'registry-unknown-argument');
  assert.equal(after, []);
  assert.match(texts['main.pkr.hcl'], /\n {2}bucket_labels = \{ team = "web" \}\n/);
});

test('registry-labels-deprecated: labels becomes bucket_labels', () => {
  const { after, texts } = fixOnce({ 'main.pkr.hcl': SRC + 'hcp_packer_registry {\n  bucket_name = "web-base"\n  labels      = { team = "web" }\n}\n\nbuild {\n  sources = ["source.null.base"]\n}\n' }, 'registry-labels-deprecated');
  assert.equal(after, []);
  // Renamed, with the `=` of its group re-aligned as packer fmt aligns them.
  assert.match(texts['main.pkr.hcl'], /\n {2}bucket_name {3}= "web-base"\n {2}bucket_labels = \{ team = "web" \}\n/);
});

test('hcp-datasource-type: the Terraform name becomes the Packer one', () => {
  const { after, texts } = fixOnce({ 'main.pkr.hcl': 'data "hcp_packer_version" "base" {\n  bucket_name  = "web-base"\n  channel_name = "production"\n}\n\n' + SRC + 'build {\n  sources = ["source.null.base"]\n}\n' }, 'hcp-datasource-type');
  assert.equal(after, []);
  assert.match(texts['main.pkr.hcl'], /^data "hcp-packer-version" "base" \{/);
});

/** The suggestions a check offers for a rule's findings, applied to the one file: what an editor's quick fix does. */
function suggested(text: string, rule: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-fix-'));
  try {
    writeFileSync(join(dir, 'main.pkr.hcl'), text);
    const found = check([dir], { env: envOf() }).diagnostics.filter((d) => d.ruleId === rule);
    assert.ok(found.length > 0 && found.every((d) => d.fix?.suggestion), `${rule} offers suggestions only`);
    return found.map((d) => applyEdits(text, d.fix!.edits).text);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('registry-bucket-name: the nearest valid name is a suggestion, never applied by --fix', () => {
  const text = SRC + 'hcp_packer_registry {\n  bucket_name = "golden_ubuntu"\n}\n\nbuild {\n  sources = ["source.null.base"]\n}\n';
  assert.equal(suggested(text, 'registry-bucket-name'), [text.replace('"golden_ubuntu"', '"golden-ubuntu"')]);
  const short = text.replace('"golden_ubuntu"', '"u_"');
  assert.equal(suggested(short, 'registry-bucket-name'), [short.replace('"u_"', '"u-packer"')]);
  // An interpolated name has no single nearest name: no suggestion.
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-fix-'));
  try {
    writeFileSync(join(dir, 'main.pkr.hcl'), 'locals {\n  team = "web"\n}\n\n' + text.replace('"golden_ubuntu"', '"${local.team}_ubuntu"'));
    const d = check([dir], { env: envOf() }).diagnostics.filter((x) => x.ruleId === 'registry-bucket-name');
    assert.equal(d.map((x) => [x.messageId, x.fix]), [['invalidName', undefined]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('hcp-datasource-deprecated: packer.iterationID → packer.versionFingerprint is a suggestion', () => {
  const text = SRC + 'build {\n  sources = ["source.null.base"]\n\n  post-processor "manifest" {\n    custom_data = {\n      version = packer.iterationID\n    }\n  }\n}\n';
  assert.equal(suggested(text, 'hcp-datasource-deprecated'), [text.replace('packer.iterationID', 'packer.versionFingerprint')]);
});

// Proof for every fixture pair (fixtures/rules/<rule>/<case>/<file>.fixed): the fixed output parses, re-checks without
// the findings that were fixed, is unchanged by a second --fix, and is accepted by the real `packer fmt -check` whenever
// its input was (packer 1.6.6's fmt reads HCL syntax only, so it judges any configuration).
const PACKER = spawnSync('packer', ['version'], { encoding: 'utf8' }).status === 0;
const fmtStats = { pairs: 0, inputsClean: 0, outputsClean: 0 };

/** Whether `packer fmt -check` accepts a text as a file of that name. */
function fmtClean(name: string, text: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-fmt-'));
  try {
    writeFileSync(join(dir, name), text);
    return spawnSync('packer', ['fmt', '-check', name], { cwd: dir, encoding: 'utf8' }).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface CaseJson {
  env?: Record<string, string>;
  packerVersion?: string;
  vars?: Record<string, string>;
}

const rulesRoot = fixture('rules');
const pairs = readdirSync(rulesRoot).flatMap((rule) =>
  readdirSync(join(rulesRoot, rule))
    .map((c) => join(rulesRoot, rule, c))
    .filter((dir) => statSync(dir).isDirectory() && readdirSync(dir).some((n) => n.endsWith('.fixed')))
    .map((dir) => ({ rule, dir })),
);

test('there are fixture pairs to prove', () => {
  assert.ok(pairs.length >= 25, `only ${pairs.length} cases with .fixed files`);
});

for (const { rule, dir } of pairs) {
  test(`fixed output of ${rule}/${dir.split('/').pop()}: parses, re-checks clean of the fixed findings, stable, packer fmt-clean`, () => {
    const c: CaseJson = existsSync(join(dir, 'case.json')) ? (JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as CaseJson) : {};
    const tmp = mkdtempSync(join(tmpdir(), 'pkrlint-pair-'));
    // Under the case's own name: a fix may derive a name from the configuration's directory (registry-missing).
    const work = join(tmp, basename(dir));
    mkdirSync(work);
    try {
      const names = readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile() && n !== 'case.json' && n !== 'messages.txt' && !n.endsWith('.fixed'));
      for (const n of names) copyFileSync(join(dir, n), join(work, n));
      const opts: CheckOptions = {
        paths: [work], cwd: work, ignore: [], env: envOf(c.env), varFiles: [], vars: Object.entries(c.vars ?? {}),
        packerVersion: c.packerVersion, only: rule === 'unused-ignore' ? undefined : [rule],
      };
      const of = (ds: ReturnType<typeof check>['diagnostics']) => ds.filter((d) => d.ruleId === rule);
      const before = of(runCheck(opts).diagnostics);
      const fixable = before.filter((d) => d.fix && !d.fix.suggestion).length;
      assert.ok(fixable > 0, 'the case has a finding --fix applies');
      // --fix itself (passes, re-checks) gives exactly the .fixed files.
      const run = runFix(opts, new Set([rule]));
      assert.equal(run.abandoned, []);
      const fixedNames = readdirSync(dir).filter((n) => n.endsWith('.fixed')).map((n) => n.slice(0, -'.fixed'.length));
      assert.equal(run.changes.map((ch) => ch.display).sort(), [...fixedNames].sort(), 'the files --fix changes');
      for (const n of fixedNames) {
        const expected = readFileSync(join(dir, n + '.fixed'), 'utf8');
        const ch = run.changes.find((x) => x.display === n)!;
        assert.is((ch.bom ? '\uFEFF' : '') + ch.after, expected, `${n}: --fix gives the .fixed file`);
        writeFileSync(join(work, n), expected);
        assert.equal(fileFrom(join(work, n), work, ch.path.endsWith('.pkrvars.hcl') ? 'pkrvars-hcl' : 'hcl', expected).syntaxErrors.map((e) => e.message), [], `${n}.fixed parses`);
      }
      const after = of(runCheck(opts).diagnostics);
      assert.equal(after.filter((d) => d.fix && !d.fix.suggestion).map((d) => d.message), [], 'no finding left to fix');
      // The fixed findings are gone (one fix may settle several findings: unused-ignore's ids of one comment).
      const unfixed = before.filter((d) => !d.fix || d.fix.suggestion).map((d) => d.message);
      assert.ok(after.length <= before.length - fixable && after.every((d) => unfixed.includes(d.message)), 'only findings that had no fix remain');
      assert.equal(runCheck(opts).diagnostics.filter((d) => d.ruleId === 'syntax').map((d) => d.message), []);
      assert.equal(runFix(opts, new Set([rule])).changes.map((ch) => ch.display), [], 'a second --fix changes nothing');
      if (!PACKER) {
        if (process.env.CI === 'true') assert.unreachable('packer is not installed: the packer fmt -check proof cannot run (CI=true)');
        return;
      }
      for (const n of fixedNames) {
        fmtStats.pairs++;
        if (!fmtClean(n, readFileSync(join(dir, n), 'utf8'))) continue;
        fmtStats.inputsClean++;
        assert.ok(fmtClean(n, readFileSync(join(dir, n + '.fixed'), 'utf8')), `${n}: packer fmt -check accepted the input but not the fixed output`);
        fmtStats.outputsClean++;
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
}

test.after(() => {
  console.log(
    PACKER
      ? `\nfix pairs: ${pairs.length} cases, ${fmtStats.pairs} fixed files; packer fmt -check accepted ${fmtStats.inputsClean} inputs and ${fmtStats.outputsClean} of their outputs`
      : '\nfix pairs: SKIPPED the packer fmt -check proof: packer is not installed (set CI=true to make that a failure)',
  );
});

test('--fix runs pass after pass: Terraform names, then the deprecated data sources, the registry move and its labels', () => {
  const web = (ref: string) =>
    ['source "amazon-ebs" "web" {', '  region        = "us-east-1"', '  instance_type = "t3.small"', `  source_ami    = ${ref}`, '  ssh_username  = "ubuntu"', '  ami_name      = "web-${formatdate("YYYYMMDDhhmm", timestamp())}"', '}', ''];
  const before = [
    ...['data "hcp_packer_iteration" "base" {', '  bucket_name = "ubuntu-base"', '  channel     = "production"', '}', ''],
    ...['data "hcp_packer_image" "base" {', '  bucket_name    = "ubuntu-base"', '  iteration_id   = data.hcp_packer_iteration.base.id', '  cloud_provider = "aws"', '  region         = "us-east-1"', '}', ''],
    ...web('data.hcp_packer_image.base.id'),
    ...['build {', '  sources = ["source.amazon-ebs.web"]', '', '  hcp_packer_registry {', '    bucket_name = "web_servers"'],
    ...['    labels      = { "parent" = data.hcp_packer_image.base.cloud_provider }', '  }', '}', ''],
  ].join('\n');
  const after = [
    ...['data "hcp-packer-version" "base" {', '  bucket_name  = "ubuntu-base"', '  channel_name = "production"', '}', ''],
    ...['data "hcp-packer-artifact" "base" {', '  bucket_name         = "ubuntu-base"', '  version_fingerprint = data.hcp-packer-version.base.fingerprint', '  platform            = "aws"', '  region              = "us-east-1"', '}', ''],
    ...web('data.hcp-packer-artifact.base.external_identifier'),
    ...['hcp_packer_registry {', '  bucket_name   = "web_servers"', '  bucket_labels = { "parent" = data.hcp-packer-artifact.base.platform }', '}', ''],
    ...['build {', '  sources = ["source.amazon-ebs.web"]', '}', ''],
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-fix-'));
  try {
    writeFileSync(join(dir, 'main.pkr.hcl'), before);
    const opts: CheckOptions = { paths: [dir], cwd: dir, ignore: [], env: envOf(), varFiles: [], vars: [] };
    const run = runFix(opts);
    assert.ok(run.passes >= 2, `${run.passes} passes`);
    assert.is(run.changes[0].after, after);
    // What no fix settles is still reported: an invalid bucket name (its nearest name is only a suggestion), and a label
    // read from a data source.
    assert.equal(run.result.diagnostics.map((d) => d.ruleId), ['registry-bucket-name', 'registry-unknown-value']);
    writeFileSync(join(dir, 'main.pkr.hcl'), after);
    assert.equal(runFix(opts).changes, [], 'a second --fix changes nothing');
    if (PACKER) assert.ok(fmtClean('main.pkr.hcl', after), 'packer fmt -check accepts the result');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a pass whose fix would give a file a syntax error is abandoned for that file and reported; other files are fixed', () => {
  // A rule with a broken fix, registered for this test only: the engine must refuse what no real rule should do.
  const breaking: Rule = createRule(
    { id: 'test-breaks-syntax', description: 'A rule whose fix opens a block it never closes.', severity: 'warning', fixable: true, messages: { open: 'opens a block' } },
    (ctx) => {
      for (const f of ctx.unit.files) {
        if (f.path.endsWith('broken.pkr.hcl')) ctx.report({ messageId: 'open', file: f, start: 0, end: 0, fix: { description: 'open a block', edits: [{ file: f, start: 0, end: 0, text: 'build {\n' }] } });
      }
    },
  );
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-fix-'));
  const list = rules as Rule[];
  list.push(breaking);
  try {
    const broken = 'locals {\n  team = "web"\n}\n';
    const main = SRC + 'hcp_packer_registry {\n  bucket_name = "web-base"\n  labels      = { team = local.team }\n}\n\nbuild {\n  sources = ["source.null.base"]\n}\n';
    writeFileSync(join(dir, 'broken.pkr.hcl'), broken);
    writeFileSync(join(dir, 'main.pkr.hcl'), main);
    const run = runFix({ paths: [dir], cwd: dir, ignore: [], env: envOf(), varFiles: [], vars: [] });
    assert.equal(run.abandoned.map((a) => a.display), ['broken.pkr.hcl']);
    assert.match(run.abandoned[0].reason, /^the fixes would introduce a syntax error \(.+\); this file was not fixed further$/);
    assert.equal(run.changes.map((c) => c.display), ['main.pkr.hcl'], 'the other file is fixed');
    assert.match(run.changes[0].after, /\n {2}bucket_labels = \{ team = local\.team \}\n/);
    assert.equal(run.result.diagnostics.map((d) => d.ruleId), ['test-breaks-syntax'], 'the finding whose fix was abandoned remains');
    assert.is(readFileSync(join(dir, 'broken.pkr.hcl'), 'utf8'), broken);
  } finally {
    list.splice(list.indexOf(breaking), 1);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('applyEdits leaves overlapping edits for a later pass', () => {
  const r = applyEdits('abcdef', [
    { start: 1, end: 3, text: 'X' },
    { start: 2, end: 4, text: 'Y' },
    { start: 5, end: 5, text: '!' },
  ]);
  assert.is(r.text, 'aXde!f');
  assert.is(r.skipped.length, 1);
});

test.run();
