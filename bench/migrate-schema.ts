/**
 * The share of real legacy JSON templates whose `pkrlint migrate` output today's plugin schemas accept: every source,
 * provisioner and post-processor of a known type, every argument in its schema (grammar/packer-schema/; TODO comments
 * do not count). Reads templates from git directories (for example mirrors of public repositories) without copying
 * them anywhere, and migrates each in memory with the default target.
 *
 *   npm run build && node build/bench/migrate-schema.js [--pkrlint <other build dir>] <git dir>...
 *
 * `--pkrlint` measures another build of pkrlint (its `build/` directory, e.g. of main) with the same check.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isLegacyTemplate } from '../src/packer/legacy.js';
import { parseJson } from '../src/syntax/json.js';
import type { migrateTemplate as Migrate } from '../src/migrate/index.js';
import { schemaFindings } from '../test/migrate/schemacheck.js';

const args = process.argv.slice(2);
const at = args.indexOf('--pkrlint');
const other = at >= 0 ? args.splice(at, 2)[1] : undefined;
if (args.length === 0) {
  console.error('usage: node build/bench/migrate-schema.js [--pkrlint <build dir>] <git dir>...');
  process.exit(2);
}
const modulePath = other ? join(resolve(other), 'src', 'migrate', 'index.js') : new URL('../src/migrate/index.js', import.meta.url).pathname;
const { migrateTemplate } = (await import(pathToFileURL(modulePath).href)) as { migrateTemplate: typeof Migrate };

const git = (dir: string, ...a: string[]) => execFileSync('git', ['--git-dir', dir, ...a], { encoding: 'utf8', maxBuffer: 1 << 28 });
const ESXI = /"(remote_\w+|vnc_over_websocket|insecure_connection|keep_registered|skip_validate_credentials|cleanup_remote_cache)"/;

let total = 0;
let failed = 0;
let accepted = 0;
let allKnown = 0;
let esxiOnly = 0;
const byArgument = new Map<string, number>();
for (const dir of args) {
  const paths = git(dir, 'ls-tree', '-r', '--name-only', 'HEAD').split('\n').filter((p) => p.endsWith('.json'));
  for (const p of paths) {
    const text = git(dir, 'show', `HEAD:${p}`);
    const doc = parseJson(text.replace(/^\uFEFF/, ''));
    if (doc.errors.length || !isLegacyTemplate(doc.root)) continue;
    total++;
    const r = migrateTemplate(text, p.split('/').pop()!, { env: {} });
    if (r.status === 'error') {
      failed++;
      continue;
    }
    const findings = schemaFindings(r.hcl, false);
    if (findings.some((f) => f.unknownComponent)) continue;
    allKnown++;
    if (findings.length === 0) accepted++;
    else if (findings.every((f) => ESXI.test(f.text))) esxiOnly++;
    for (const name of new Set(findings.map((f) => f.name))) if (name) byArgument.set(name, (byArgument.get(name) ?? 0) + 1);
  }
}
const share = (a: number, b: number) => `${a}/${b} (${b ? ((100 * a) / b).toFixed(1) : '0'}%)`;
console.log(`legacy templates: ${total} in ${args.length} repositories (not converted: ${failed})`);
console.log(`accepted by the current plugin schemas: ${share(accepted, total)}`);
console.log(`  among those whose component types all have a schema: ${share(accepted, allKnown)}`);
console.log(`  rejected only for remote ESXi options (vmware plugin v2 removed them, no replacement): ${esxiOnly}`);
const top = [...byArgument].sort((a, b) => b[1] - a[1]).slice(0, 15);
console.log(`unknown arguments (templates): ${top.map(([a, n]) => `${a} ${n}`).join(', ')}`);
