/**
 * Precision of the schema rules on real configurations: `node build/bench/schema-precision.js <git dir>... [--show RULE]`.
 *
 * Each argument is a bare git directory (a read-only mirror of a public repository). Its `*.pkr.hcl`, `*.pkr.json`,
 * `*.pkrvars.*` files and build scripts (Makefiles, shell scripts: unused-variable reads their -var options) at HEAD
 * are written under a scratch directory outside the project (deleted at the end; nothing is
 * kept or copied into pkrlint), `pkrlint check -f json` runs over them, and the findings of the schema rules are
 * counted per rule and per repository. `--show RULE` prints that rule's findings, for reading them one by one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../test/_helpers.js';

const RULES = ['unknown-argument', 'undefined-reference', 'unused-variable', 'unknown-component', 'argument-form', 'argument-type', 'required-plugins', 'syntax'];
const argv = process.argv.slice(2);
const showAt = argv.indexOf('--show');
const show = showAt >= 0 ? argv[showAt + 1] : undefined;
const repos = argv.filter((a, i) => !a.startsWith('--') && (showAt < 0 || i !== showAt + 1));

const scratch = mkdtempSync(join(tmpdir(), 'pkrlint-precision-'));
const totals: Record<string, number> = Object.fromEntries(RULES.map((r) => [r, 0]));
let files = 0;
let units = 0;
try {
  for (const git of repos) {
    // /work/.mirror/<owner>+<name>/repo[/.git] → <owner>+<name>; any other path: its last part that is not repo or .git.
    const name = git.split('/').filter((p) => p && p !== 'repo' && p !== '.git').pop() ?? git;
    const list = execFileSync('git', ['--git-dir', git, 'ls-tree', '-r', '--name-only', 'HEAD'], { encoding: 'utf8', maxBuffer: 1 << 28 })
      .split('\n')
      .filter((p) => /\.pkr\.(hcl|json)$|\.pkrvars\.(hcl|json)(\.example)?$|(^|\/)(GNUmakefile|[Mm]akefile|[^/]*\.(mk|sh|bash|ps1))$/.test(p));
    if (!list.length) continue;
    const out = join(scratch, name);
    for (const p of list) {
      const text = execFileSync('git', ['--git-dir', git, 'show', `HEAD:${p}`], { maxBuffer: 1 << 26 });
      mkdirSync(dirname(join(out, p)), { recursive: true });
      writeFileSync(join(out, p), text);
    }
    // The scratch copy is a checkout: its root is the repository root rules look up to.
    mkdirSync(join(out, '.git'), { recursive: true });
    files += list.length;
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'pkrlint'), 'check', out, '-f', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const report = JSON.parse(r.stdout) as { diagnostics: Array<{ ruleId: string; file?: string; line?: number; message: string }>; files?: string[] };
    units += new Set(list.filter((p) => p.endsWith('.pkr.hcl') || p.endsWith('.pkr.json')).map((p) => dirname(p))).size;
    const counts: Record<string, number> = {};
    for (const d of report.diagnostics) {
      if (!RULES.includes(d.ruleId)) continue;
      counts[d.ruleId] = (counts[d.ruleId] ?? 0) + 1;
      totals[d.ruleId]++;
      if (d.ruleId === show) console.log(`  ${name}/${(d.file ?? '').slice(out.length + 1)}:${d.line}: ${d.message}`);
    }
    console.log(`${name}: ${list.length} files; ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ') || 'no findings'}`);
  }
  console.log(`\n${repos.length} repositories, ${files} files, ${units} directories with templates`);
  for (const r of RULES) console.log(`${r.padEnd(22)} ${totals[r]}`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
