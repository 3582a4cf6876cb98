// Whole repositories: templates that share a directory, migrated with each --layout, then built one by one by the
// real Packer 1.6.6 (null/file builders, shell-local) from the directory their JSON was built from. Each output must
// build on its own and make the same files and print the same lines as its JSON template; pkrlint check must find
// no error in the outputs that the layout caused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bin, dirWith, havePacker, migrateCli, refereeTest, runPacker, type Ran } from './support.js';

const enabled = havePacker('migrate/layout');
const referee = refereeTest(enabled);

/**
 * A repository whose templates/ holds two templates: paths relative to the working directory (the file builder's
 * source, a script) and to the template's directory ({{template_dir}}), which Packer 1.6.6 resolves differently.
 */
function template(name: string): string {
  return JSON.stringify(
    {
      variables: { greeting: 'hello' },
      builders: [{ type: 'file', name, source: 'shared/payload.txt', target: `built/${name}.txt` }],
      provisioners: [
        { type: 'shell-local', inline: [`echo OUT: ${name} {{user \`greeting\`}} $(cat {{template_dir}}/files/${name}.txt)`] },
        { type: 'shell-local', script: 'scripts/say.sh', environment_vars: [`WHO=${name}`] },
      ],
    },
    null,
    2,
  );
}

function repo(): string {
  const dir = dirWith('layout', {
    'templates/web.json': template('web'),
    'templates/db.json': template('db'),
    'templates/files/web.txt': 'web-file',
    'templates/files/db.txt': 'db-file',
    'shared/payload.txt': 'payload from the repository root\n',
    'scripts/say.sh': '#!/bin/sh\necho "OUT: script for $WHO"\n',
  });
  chmodSync(join(dir, 'scripts', 'say.sh'), 0o755);
  return dir;
}

/** What a build printed after `OUT:`, and the file it made. */
function outcome(r: Ran, dir: string, name: string): { lines: string[]; file: string } {
  const lines = r.out
    .split('\n')
    .filter((l) => l.includes('OUT:') && !l.includes('echo ') && !l.includes('Running'))
    .map((l) => l.slice(l.indexOf('OUT:')).trimEnd());
  let file: string;
  try {
    file = readFileSync(join(dir, 'built', `${name}.txt`), 'utf8');
  } catch {
    file = '(none)';
  }
  rmSync(join(dir, 'built'), { recursive: true, force: true });
  return { lines, file };
}

async function buildEach(dir: string, targets: Record<string, string>): Promise<Record<string, { code: number; out: string; lines: string[]; file: string }>> {
  const result: Record<string, { code: number; out: string; lines: string[]; file: string }> = {};
  // One at a time: the builds write into the same directory.
  for (const [name, target] of Object.entries(targets)) {
    const r = await runPacker(['build', '-color=false', target], dir);
    result[name] = { code: r.code, out: r.out, ...outcome(r, dir, name) };
  }
  return result;
}

function errorsOfCheck(dir: string, path: string) {
  const r = spawnSync(bin, ['check', '--format', 'json', '--no-process-env', '--packer-version', '1.6.6', path], { cwd: dir, encoding: 'utf8' });
  const parsed = JSON.parse(r.stdout) as { diagnostics: { severity: string; ruleId: string; message: string; file: string }[] };
  return parsed.diagnostics.filter((d) => d.severity === 'error');
}

const names = ['web', 'db'];
const layouts = [
  { name: 'split (the default)', args: [] as string[], target: (n: string) => `templates/${n}/`, out: '' },
  { name: 'side-by-side', args: ['--layout', 'side-by-side'], target: (n: string) => `templates/${n}.pkr.hcl`, out: '' },
  { name: 'split under --out-dir', args: ['--out-dir', 'out'], target: (n: string) => `out/templates/${n}/`, out: 'out' },
];

const runs = enabled
  ? await Promise.all(
      layouts.map(async (l) => {
        const dir = repo();
        const json = await buildEach(dir, Object.fromEntries(names.map((n) => [n, `templates/${n}.json`])));
        const migrated = migrateCli(dir, ['--packer-version', '1.6.6', ...l.args, 'templates']);
        const hcl = await buildEach(dir, Object.fromEntries(names.map((n) => [n, l.target(n)])));
        // Packer loads a directory as one configuration: the side-by-side files are meant one at a time.
        const together = l.args.includes('side-by-side') ? await runPacker(['validate', 'templates/'], dir) : undefined;
        return { layout: l, dir, json, migrated, hcl, together, check: errorsOfCheck(dir, l.out || 'templates') };
      }),
    )
  : undefined;

layouts.forEach((l, i) => {
  referee(`--layout ${l.name}: each output builds on its own with Packer 1.6.6, as its JSON template did`, () => {
    const r = runs![i];
    assert.is(r.migrated.code, 0, r.migrated.err);
    assert.is(r.migrated.err.match(/in one directory/g)?.length, 1, r.migrated.err);
    for (const n of names) {
      assert.is(r.json[n].code, 0, `JSON ${n}:\n${r.json[n].out}`);
      assert.is(r.hcl[n].code, 0, `HCL2 ${n}:\n${r.hcl[n].out}\n${readdirSync(join(r.dir, 'templates')).join(' ')}`);
      assert.ok(r.json[n].lines.length >= 2, r.json[n].out);
      assert.equal(r.hcl[n].lines, r.json[n].lines, `${n}: the same lines`);
      assert.is(r.hcl[n].file, 'payload from the repository root\n', `${n}: the same file`);
      assert.is(r.json[n].file, r.hcl[n].file);
    }
  });
  referee(`--layout ${l.name}: pkrlint check finds no error in the outputs`, () => {
    assert.equal(runs![i].check, []);
  });
});

referee('--layout side-by-side: the directory as a whole is not one configuration (Packer rejects it), as the report says', () => {
  const r = runs!.find((x) => x.together)!;
  assert.is.not(r.together!.code, 0, r.together!.out);
  assert.match(r.migrated.err, /each to be built on its own with `packer build templates\/NAME\.pkr\.hcl`/);
});

test.run();
