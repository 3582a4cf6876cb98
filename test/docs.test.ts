/** Every rule has a docs page whose description matches its metadata, whose Bad example triggers it and whose Good example does not. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rules } from '../src/rules/index.js';
import { check, envOf, ROOT } from './_helpers.js';

interface Example {
  lang: string;
  code: string;
  env: Record<string, string>;
  packerVersion?: string;
}

function section(md: string, title: string): string | undefined {
  const m = new RegExp(`^## ${title}\\s*$([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(md);
  return m?.[1];
}

function example(sec: string): Example {
  const fences = [...sec.matchAll(/^```(\w+)\s*\n([\s\S]*?)^```\s*$/gm)];
  const env: Record<string, string> = {};
  let code: { lang: string; code: string } | undefined;
  for (const [, lang, body] of fences) {
    if (lang === 'env') {
      for (const line of body.split('\n')) {
        const i = line.indexOf('=');
        if (i > 0) env[line.slice(0, i).trim()] = line.slice(i + 1);
      }
    } else code ??= { lang, code: body };
  }
  assert.ok(code, 'the section has a code block');
  return { ...code, env, packerVersion: /<!--\s*packer-version:\s*([\d.]+)\s*-->/.exec(sec)?.[1] };
}

/** A rule that is off by default is turned on for its own examples, as its page tells users to. */
function run(ex: Example, on?: Record<string, 'error' | 'warning' | 'info'>) {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-docs-'));
  try {
    writeFileSync(join(dir, ex.lang === 'json' ? 'template.json' : 'main.pkr.hcl'), ex.code);
    return check([dir], { env: envOf(ex.env), packerVersion: ex.packerVersion, rules: on }).diagnostics;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const rule of rules) {
  const id = rule.meta.id;
  test(`docs/rules/${id}.md`, () => {
    const path = join(ROOT, 'docs', 'rules', `${id}.md`);
    assert.ok(existsSync(path), `${id} has a docs page`);
    const md = readFileSync(path, 'utf8');
    assert.match(md, new RegExp(`^# ${id}\\s*$`, 'm'));
    const firstParagraph = /^# .*\n+([^\n]+)/.exec(md)?.[1].trim();
    assert.is(firstParagraph, rule.meta.description, 'the description matches the rule meta');
    assert.match(md, new RegExp(`Default severity: \`${rule.meta.severity}\``));
    assert.match(md, new RegExp(`^- Suppressible: ${rule.meta.suppressible ? 'yes' : 'no'}`, 'm'));
    assert.match(md, new RegExp(`^- Fixable: ${rule.meta.fixable ? 'yes' : 'no'}`, 'm'));
    const on = rule.meta.defaultOff ? { [id]: rule.meta.severity } : undefined;
    if (rule.meta.defaultOff) assert.match(md, /^- Off by default: turn it on/m, 'a rule that is off by default says so and how to turn it on');
    const bad = run(example(section(md, 'Bad')!), on);
    assert.ok(bad.some((d) => d.ruleId === id), `the Bad example triggers ${id}; got ${JSON.stringify(bad.map((d) => `${d.ruleId}: ${d.message}`))}`);
    const good = run(example(section(md, 'Good')!), on);
    assert.equal(good.filter((d) => d.ruleId === id || d.ruleId === 'syntax').map((d) => d.message), [], 'the Good example is clean of this rule');
  });
}

test.run();
