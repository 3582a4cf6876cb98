// Packer as referee: every fixture's 1.6.6-targeted output passes `packer validate -syntax-only` and, where the JSON
// passes `packer validate`, so does the HCL; `packer fmt -check` accepts every output; the 1.6.6 and default outputs
// differ only in version-gated parts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson, member } from '../../src/syntax/json.js';
import { sanitizeName } from '../../src/migrate/context.js';
import { fixtures, havePacker, migrateFixture, pool, refereeTest, runPacker, tempDir, type Fixture } from './support.js';

const enabled = havePacker('migrate/packer');

interface Outcome {
  name: string;
  syntax: { code: number; out: string };
  fmt: { code: number; out: string };
  jsonValid: boolean;
  hclValidate?: { code: number; out: string };
  gatedDiff: string[];
}

/** Variables without a default get a value on the command line, for JSON and HCL alike (under their HCL names). */
function varArgs(f: Fixture): { json: string[]; hcl: string[] } {
  const vars = member(parseJson(f.text).root, 'variables')?.value;
  const json: string[] = [];
  const hcl: string[] = [];
  if (vars?.kind === 'object')
    for (const m of vars.members)
      if (m.value.kind === 'null') {
        json.push('-var', `${m.key}=value`);
        hcl.push('-var', `${sanitizeName(m.key)}=value`);
      }
  return { json, hcl };
}

/** What may differ between the 1.6.6 and the default output: the version-gated parts only. */
function withoutGated(hcl: string, other: string): string[] {
  const out: string[] = [];
  const lines = hcl.split('\n');
  // A sensitive local is a `local` block where supported, else a plain entry of `locals`.
  const sensitiveLocals = [...(hcl + other).matchAll(/^local "([^"]+)"/gm)].map((m) => m[1]);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const m = /^(\s*)(required_plugins|hcp_packer_registry|error-cleanup-provisioner|local) .*\{$/.exec(l);
    if (m) {
      while (i < lines.length && lines[i] !== `${m[1]}}`) i++;
      continue;
    }
    if (/TODO\(pkrlint\)|required_version|legacy_|aws_secretsmanager_raw|\{\{\\"\{\{|^\s*$/.test(l)) continue;
    if (sensitiveLocals.some((n) => l.startsWith(`  ${n} `))) continue;
    // Builder types renamed by their plugins (osc-* → outscale-*) keep the bundled name for targets before plugins.
    out.push(l.replace(/^(\s*\S+)\s+=/, '$1 =').replace(/\bosc-(?=bsu|chroot)/g, 'outscale-'));
  }
  return out.filter((l, i, a) => !(l === 'packer {' && a[i + 1] === '}') && !(l === '}' && a[i - 1] === 'packer {'));
}

async function check(f: Fixture): Promise<Outcome> {
  const dir = tempDir(`referee-${f.name}`);
  const old = migrateFixture(f, '1.6.6');
  const cur = migrateFixture(f);
  mkdirSync(join(dir, 'hcl'));
  mkdirSync(join(dir, 'cur'));
  writeFileSync(join(dir, 'hcl', 'template.pkr.hcl'), old.hcl);
  writeFileSync(join(dir, 'cur', 'template.pkr.hcl'), cur.hcl);
  copyFileSync(join(f.dir, f.file), join(dir, 'template.json'));
  const syntax = await runPacker(['validate', '-syntax-only', 'hcl/template.pkr.hcl'], dir);
  const fmt = await runPacker(['fmt', '-check', '-diff', 'hcl/template.pkr.hcl'], dir);
  const fmtCur = await runPacker(['fmt', '-check', '-diff', 'cur/template.pkr.hcl'], dir);
  const vars = varArgs(f);
  const json = await runPacker(['validate', ...vars.json, 'template.json'], dir);
  const outcome: Outcome = {
    name: f.name,
    syntax,
    fmt: { code: fmt.code || fmtCur.code, out: fmt.out + fmtCur.out },
    jsonValid: json.code === 0,
    gatedDiff: [],
  };
  if (json.code === 0) outcome.hclValidate = await runPacker(['validate', ...vars.hcl, 'hcl/template.pkr.hcl'], dir);
  const a = withoutGated(old.hcl, cur.hcl);
  const b = withoutGated(cur.hcl, old.hcl);
  outcome.gatedDiff = a.filter((l) => !b.includes(l)).concat(b.filter((l) => !a.includes(l)));
  return outcome;
}

const all = fixtures();
const referee = refereeTest(enabled);
// Without packer nothing is run, and every test below is registered as skipped.
const outcomes = enabled ? await pool(all, 4, check) : undefined;
all.forEach((f, i) => {
  const o = outcomes?.[i];
  referee(`packer validate -syntax-only accepts ${f.name} (1.6.6 target)`, () => {
    assert.is(o!.syntax.code, 0, o!.syntax.out);
  });
  referee(`packer fmt -check accepts ${f.name}`, () => {
    assert.is(o!.fmt.code, 0, o!.fmt.out);
  });
  if (!o || o.hclValidate)
    referee(`packer validate accepts ${f.name} (when the JSON passes validate)`, () => {
      assert.is(o!.hclValidate!.code, 0, o!.hclValidate!.out);
    });
  referee(`${f.name}: 1.6.6 and default outputs differ only in version-gated parts`, () => {
    assert.equal(o!.gatedDiff, []);
  });
});
if (outcomes) console.log(`migrate/packer: fully validated (JSON passes packer validate): ${outcomes.filter((o) => o.hclValidate).map((o) => o.name).join(', ')}`);
referee('some fixtures are fully validated', () => {
  assert.ok(outcomes!.filter((o) => o.hclValidate).length >= 5, outcomes!.filter((o) => o.hclValidate).map((o) => o.name).join(', '));
});

test.run();
