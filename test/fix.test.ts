/** Every fix a rule offers, applied to the text, removes the finding and leaves a template that parses. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits } from '../src/fix/apply.js';
import { check, envOf } from './_helpers.js';

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
