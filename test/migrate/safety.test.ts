// `pkrlint migrate` against file-system faults, as a user runs it: a write that fails (a file size limit stands in for
// a full disk), a run killed while writing, concurrent runs, links at the output path, unusable output directories and
// inputs, FIFOs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bin, cliEnv as env, dirWith, fixturesDir, migrateCli, repoRoot, type CliRun } from './support.js';

const pkrlint = migrateCli;

/** Runs the CLI under a POSIX shell prelude (ulimit, trap), e.g. to limit the size of the files it may write. */
function pkrlintIn(cwd: string, prelude: string, args: string[]): CliRun {
  const quoted = ['migrate', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('sh', ['-c', `${prelude}; exec '${bin}' ${quoted}`], { cwd, encoding: 'utf8', env, timeout: 30_000 });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

const temps = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

/** A realistic template whose output is about 40 KB: many builders, each with a provisioner of its own. */
function bigTemplate(): string {
  const builders = Array.from({ length: 150 }, (_, i) => ({ type: 'null', name: `node-${i}`, communicator: 'none' }));
  const provisioners = builders.map((b) => ({ type: 'shell-local', only: [b.name], inline: [`echo OUT: {{build_name}} ${b.name}`] }));
  return JSON.stringify({ builders, provisioners }, null, 2);
}

const clean = () => readFileSync(join(fixturesDir, 'build-same-names', 'template.json'), 'utf8');

test('a write that fails part-way (file size limit, as a full disk): no temporary file, no output, the cause once, exit 2; the other template is written', () => {
  const dir = dirWith('efbig', { 'big.json': bigTemplate(), 'small.json': JSON.stringify({ builders: [{ type: 'null', communicator: 'none' }] }) });
  // With SIGXFSZ ignored (Node ignores it anyway), writing past the limit fails with EFBIG; sh's ulimit -f counts
  // 512-byte blocks.
  const r = pkrlintIn(dir, "trap '' XFSZ; ulimit -f 16", ['--out-dir', 'out', '--layout', 'side-by-side', 'big.json', 'small.json']);
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /^big\.json -> out\/big\.pkr\.hcl: not written\n/m);
  assert.not.match(r.err, /big\.json -> out\/big\.pkr\.hcl: converted/);
  assert.match(r.err, /error\s+out\/big\.pkr\.hcl: not written: cannot write out\/big\.pkr\.hcl: file too large\n/);
  assert.is(r.err.match(/file too large/g)?.length, 1, 'said once');
  assert.equal(readdirSync(join(dir, 'out')), ['small.pkr.hcl']);
  assert.match(r.err, /small\.json -> out\/small\.pkr\.hcl: converted completely/);
});

test('a run killed while writing leaves a temporary file that the next run recognises and removes', () => {
  const dir = dirWith('killed', { 'big.json': bigTemplate() });
  // The writer of a run, killed (SIGKILL, nothing can clean up) after the first bytes of the temporary file.
  const writer = pathToFileURL(join(repoRoot, 'build', 'src', 'fix', 'write.js')).href;
  const script = `import { writeSync } from 'node:fs'; import { SafeWriter } from ${JSON.stringify(writer)};
    const fs = { writeSync: (fd, b, o) => { writeSync(fd, b, o, 100); process.kill(process.pid, 'SIGKILL'); return 100; } };
    new SafeWriter({ fs }).write(${JSON.stringify(join(dir, 'big.pkr.hcl'))}, 'x'.repeat(100000), { overwrite: false });`;
  const killed = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.is(killed.signal, 'SIGKILL', killed.stderr);
  const left = temps(dir);
  assert.is(left.length, 1, 'the killed run left its temporary file');
  assert.match(left[0], /^\.big\.pkr\.hcl\.pkrlint-\d+-[0-9a-f]{8}\.tmp$/);
  assert.not.ok(existsSync(join(dir, 'big.pkr.hcl')), 'no partial output under the real name');
  const again = pkrlint(dir, ['big.json']);
  assert.is(again.code, 0, again.err);
  assert.equal(temps(dir), [], 'the stale temporary file is gone');
  assert.match(readFileSync(join(dir, 'big.pkr.hcl'), 'utf8'), /source "null" "node-149"/);
});

test('concurrent runs on one template: exactly one writes the output, the others report that it exists', async () => {
  // A large output (a 12 MB comment) keeps each run a while between finding no output and writing its own: with an
  // existence check followed by a rename, several runs "win" here almost every time.
  const comment = Array.from({ length: 40_000 }, (_, i) => `line ${i} of the notes of this template `.padEnd(300, '.')).join('\n');
  const dir = dirWith('race', { 'web.json': JSON.stringify({ _comment: comment, builders: [{ type: 'null', communicator: 'none' }] }) });
  const runs = await Promise.all(
    Array.from({ length: 8 }, () => new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(bin, ['migrate', 'web.json'], { cwd: dir, env });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('close', (code) => resolve({ code, err }));
    })),
  );
  const winners = runs.filter((r) => r.code === 0);
  assert.is(winners.length, 1, runs.map((r) => `${r.code}: ${r.err.split('\n')[0]}`).join('\n'));
  assert.match(winners[0].err, /^web\.json -> web\.pkr\.hcl: converted completely/);
  for (const r of runs.filter((x) => x.code !== 0)) {
    assert.is(r.code, 2);
    assert.match(r.err, /^web\.json -> web\.pkr\.hcl: not written\n/);
    assert.match(r.err, /error\s+web\.pkr\.hcl: already exists; not overwritten \(use --force\)/);
  }
  const expected = pkrlint(dir, ['--stdout', 'web.json']).out;
  // (Compared as a whole: a diff of megabytes would take uvu longer than the test.)
  assert.ok(expected.length > 12_000_000 && readFileSync(join(dir, 'web.pkr.hcl'), 'utf8') === expected, 'the output is complete');
  assert.equal(temps(dir), []);
});

test('a link at the output path: kept without --force (even dangling); with --force the link itself is replaced', () => {
  const dir = dirWith('links', { 'a.json': clean(), 'b.json': clean(), 'precious.txt': 'precious\n' });
  mkdirSync(join(dir, 'a'));
  symlinkSync('nowhere.pkr.hcl', join(dir, 'a.pkr.hcl'));
  symlinkSync('precious.txt', join(dir, 'b.pkr.hcl'));
  const r = pkrlint(dir, ['--layout', 'side-by-side', 'a.json', 'b.json']);
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /^a\.json -> a\.pkr\.hcl: not written/m);
  assert.match(r.err, /error\s+a\.pkr\.hcl: already exists; not overwritten \(use --force\)/);
  assert.is(readlinkSync(join(dir, 'a.pkr.hcl')), 'nowhere.pkr.hcl');
  assert.not.ok(existsSync(join(dir, 'nowhere.pkr.hcl')), 'nothing written through the dangling link');
  const dry = pkrlint(dir, ['--dry-run', '--layout', 'side-by-side', 'a.json']);
  assert.is(dry.code, 2, 'a dangling link counts as an existing output for --dry-run too');
  const forced = pkrlint(dir, ['--force', '--layout', 'side-by-side', 'a.json', 'b.json']);
  assert.is(forced.code, 0, forced.err);
  for (const name of ['a.pkr.hcl', 'b.pkr.hcl']) {
    assert.ok(lstatSync(join(dir, name)).isFile(), `${name} is a file now`);
    assert.match(readFileSync(join(dir, name), 'utf8'), /source "null" "web-server"/);
  }
  assert.match(forced.err, /note\s+b\.pkr\.hcl: was a symbolic link: the link itself was replaced; the file it pointed to is untouched/);
  assert.is(readFileSync(join(dir, 'precious.txt'), 'utf8'), 'precious\n');
  assert.not.ok(existsSync(join(dir, 'nowhere.pkr.hcl')));
});

test('an --out-dir that is a file, or below one: "not a directory", never "converted", exit 2', () => {
  const dir = dirWith('outfile', { 'web.json': clean(), 'out.txt': 'x' });
  for (const out of ['out.txt', 'out.txt/sub']) {
    const r = pkrlint(dir, ['--out-dir', out, 'web.json']);
    assert.is(r.code, 2, r.err);
    assert.match(r.err, new RegExp(`^web\\.json -> ${out}/web\\.pkr\\.hcl: not written\\n`));
    assert.not.match(r.err, /converted completely|ENOENT|ENOTDIR/);
    assert.match(r.err, /out\.txt is not a directory/);
    assert.is(r.err.match(/is not a directory/g)?.length, 1);
    assert.not.match(r.err, /\n\s+at /, 'no stack trace');
  }
});

/**
 * Runs the CLI so that file permissions apply to it. Root may read and write anything (CAP_DAC_OVERRIDE and
 * CAP_DAC_READ_SEARCH): as root the run drops those two capabilities with setpriv (util-linux), staying uid 0 so that
 * it can still reach the checkout wherever it is; anyone else runs it as is.
 */
function withPermissions(cwd: string, args: string[]): CliRun {
  if (process.getuid?.() !== 0) return pkrlint(cwd, args);
  const r = spawnSync('setpriv', ['--bounding-set=-dac_override,-dac_read_search', '--', bin, 'migrate', ...args], { cwd, encoding: 'utf8', env, timeout: 30_000 });
  if (r.error) throw new Error(`running as root, this test needs setpriv (util-linux) to drop root's file-permission override: ${r.error.message}`);
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

test('a read-only --out-dir and unreadable inputs: "permission denied"; a loop of links: "too many levels of symbolic links"', () => {
  const dir = dirWith('perm', { 'web.json': clean(), 'hidden.json': clean() });
  mkdirSync(join(dir, 'ro'));
  mkdirSync(join(dir, 'locked'));
  copyFileSync(join(dir, 'web.json'), join(dir, 'locked', 'web.json'));
  symlinkSync('loop.json', join(dir, 'loop.json'));
  chmodSync(join(dir, 'hidden.json'), 0o000);
  chmodSync(join(dir, 'ro'), 0o555);
  chmodSync(join(dir, 'locked'), 0o000);
  const ro = withPermissions(dir, ['--out-dir', 'ro/x', 'web.json']);
  assert.is(ro.code, 2, ro.err);
  assert.match(ro.err, /^web\.json -> ro\/x\/web\.pkr\.hcl: not written\n/);
  assert.match(ro.err, /error\s+ro\/x\/web\.pkr\.hcl: not written: cannot create directory ro\/x: permission denied\n/);
  assert.not.match(ro.err, /ENOENT|converted completely/);
  const inputs = withPermissions(dir, ['hidden.json', 'locked/web.json', 'loop.json', 'web.json']);
  assert.is(inputs.code, 2, inputs.err);
  assert.match(inputs.err, /hidden\.json: not converted\n\s+error\s+hidden\.json: permission denied\n/);
  assert.match(inputs.err, /locked\/web\.json: not converted\n\s+error\s+locked\/web\.json: permission denied\n/);
  assert.match(inputs.err, /loop\.json: not converted\n\s+error\s+loop\.json: too many levels of symbolic links\n/);
  assert.not.match(inputs.err, /no such file/);
  assert.ok(existsSync(join(dir, 'web.pkr.hcl')), 'the readable template is still converted');
  const walk = withPermissions(dir, ['locked']);
  assert.is(walk.code, 2);
  assert.match(walk.err, /error\s+locked: cannot read directory: permission denied/);
});

test('a FIFO is refused at once (named, or at the output of --dry-run), never read', () => {
  const dir = dirWith('fifo', { 'web.json': clean() });
  for (const f of ['pipe.json', 'web.pkr.hcl']) assert.is(spawnSync('mkfifo', [join(dir, f)]).status, 0);
  const r = pkrlint(dir, ['pipe.json', 'web.json'], { timeout: 10_000 });
  assert.is(r.signal, null, 'it did not hang');
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /pipe\.json: not converted\n\s+error\s+pipe\.json: a named pipe \(FIFO\), not a regular file/);
  assert.match(r.err, /error\s+web\.pkr\.hcl: already exists; not overwritten/);
  const dry = pkrlint(dir, ['--dry-run', '--force', 'web.json'], { timeout: 10_000 });
  assert.is(dry.signal, null, 'it did not hang');
  assert.is(dry.code, 0, dry.err);
  assert.match(dry.err, /note\s+web\.pkr\.hcl: is not a regular file: the diff is against an empty file/);
  // A directory search does not pick FIFOs up at all.
  const search = pkrlint(dir, ['--dry-run', '--force', '.'], { timeout: 10_000 });
  assert.is(search.signal, null);
  assert.not.match(search.err, /pipe/);
});

test.run();
