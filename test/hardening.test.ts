/**
 * Untrusted repositories: what `check` reads and what it refuses (links out of the tree, FIFOs, special files),
 * and that one bad file is one finding while the run goes on. docs/security.md is the policy these tests hold to.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Environment } from '../src/packer/env.js';
import { readInputFile } from '../src/packer/input.js';
import { check, ROOT } from './_helpers.js';

const SOURCE = 'source "null" "x" {\n  communicator = "none"\n}\n';
const BUILD = 'build {\n  sources = ["source.null.x"]\n}\n';
const CLEAN = SOURCE + 'hcp_packer_registry {\n  bucket_name = "web-base"\n}\n' + BUILD;
const BAD_BUCKET = SOURCE + 'hcp_packer_registry {\n  bucket_name = "bad_name"\n}\n' + BUILD;

const dirs: string[] = [];
function tree(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'pkrlint-hard-'));
  dirs.push(d);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

/** The CLI with a time limit: a read that blocks (a FIFO) fails the test instead of hanging the suite. */
function run(args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; shell?: string }) {
  const env = { ...process.env, NO_COLOR: '1', ...opts.env };
  const r = opts.shell
    ? spawnSync('bash', ['-c', opts.shell], { cwd: opts.cwd, env, encoding: 'utf8', timeout: 20_000 })
    : spawnSync(join(ROOT, 'bin', 'pkrlint'), args, { cwd: opts.cwd, env, encoding: 'utf8', timeout: 20_000 });
  assert.is(r.signal, null, `pkrlint ${args.join(' ')} did not finish (${r.signal})`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, all: r.stdout + r.stderr };
}

const mkfifo = (p: string) => {
  const r = spawnSync('mkfifo', [p]);
  assert.is(r.status, 0, 'mkfifo works here');
};

const SECRET = 'pkrlint-test-secret-4f1c9a';

test('a template linked to /proc/self/environ is not read: a finding, and no environment in the output', () => {
  const d = tree({ 'main.pkr.hcl': CLEAN });
  symlinkSync('/proc/self/environ', join(d, 'x.pkr.hcl'));
  for (const args of [['check', '--format', 'compact', '.'], ['check', '--no-process-env', '.'], ['check', '--format', 'json', 'x.pkr.hcl']]) {
    const r = run(args, { cwd: d, env: { PKRLINT_TEST_SECRET: SECRET } });
    assert.is(r.status, 1, r.all);
    assert.match(r.stdout, /x\.pkr\.hcl/);
    assert.match(r.stdout, /not read: a symbolic link to \\?"\/proc\/self\/environ\\?", outside the checked tree/);
    assert.not.match(r.all, SECRET);
    assert.not.match(r.all, /PATH=/);
  }
});

test('links to files outside the tree: templates, variable files and legacy JSON are findings, never their content', () => {
  const outside = tree({ 'key.pem': `-----BEGIN PRIVATE KEY-----\n${SECRET}\n`, 'vars.hcl': `bucket = "${SECRET}"\n`, 'legacy.json': `{"builders": [{"type": "${SECRET}"}]}` });
  const d = tree({ 'cfg/main.pkr.hcl': CLEAN });
  symlinkSync(join(outside, 'key.pem'), join(d, 'cfg', 'key.pkr.hcl'));
  symlinkSync(join(outside, 'vars.hcl'), join(d, 'cfg', 'x.auto.pkrvars.hcl'));
  symlinkSync(join(outside, 'legacy.json'), join(d, 'legacy.json'));
  const r = run(['check', '--no-process-env', '--format', 'compact', '.'], { cwd: d });
  assert.is(r.status, 1, r.all);
  assert.match(r.stdout, /^cfg\/key\.pkr\.hcl:1:1: error syntax not read: a symbolic link to ".*key\.pem", outside the checked tree$/m);
  assert.match(r.stdout, /^cfg\/x\.auto\.pkrvars\.hcl:1:1: error syntax not read: a symbolic link to ".*vars\.hcl", outside the checked tree$/m);
  assert.match(r.stdout, /^legacy\.json:1:1: warning syntax not read: a symbolic link to ".*legacy\.json", outside the checked tree; whether it is a Packer template cannot be told$/m);
  assert.not.match(r.all, SECRET);
});

test('the checked tree: a directory given, or the repository of a file given', () => {
  const d = tree({ '.git/HEAD': 'ref: refs/heads/main\n', 'shared/base.pkr.hcl': SOURCE + BUILD, 'app/main.pkr.hcl': 'hcp_packer_registry {\n  bucket_name = "web-base"\n}\n' });
  symlinkSync('../shared/base.pkr.hcl', join(d, 'app', 'base.pkr.hcl'));
  // Named as a file (pre-commit): the tree is the repository, which holds the link's target.
  const file = run(['check', '--no-process-env', '--format', 'compact', 'app/base.pkr.hcl'], { cwd: d });
  assert.is(file.status, 0, file.all);
  // The directory app/ given: its tree is app/, and shared/ is outside it.
  const dir = run(['check', '--no-process-env', '--format', 'compact', 'app'], { cwd: d });
  assert.is(dir.status, 1, dir.all);
  assert.match(dir.stdout, /^app\/base\.pkr\.hcl:1:1: error syntax not read: a symbolic link to "\.\.\/shared\/base\.pkr\.hcl", outside the checked tree$/m);
  assert.is(run(['check', '--no-process-env', '.'], { cwd: d }).status, 0);
});

test('options the user typed may be links anywhere; a configuration file found upward may not', () => {
  const outside = tree({ 'vars.pkrvars.hcl': 'bucket = "bad_name"\n', 'rc.json': `{"rules": {"${SECRET}": "off"}}`, 'ok.json': '{"rules": {"registry-bucket-name": "warning"}}' });
  const d = tree({ '.git/HEAD': '', 'main.pkr.hcl': 'variable "bucket" {\n  type = string\n}\n' + SOURCE + 'hcp_packer_registry {\n  bucket_name = var.bucket\n}\n' + BUILD });
  symlinkSync(join(outside, 'vars.pkrvars.hcl'), join(d, 'linked.pkrvars.hcl'));
  const viaVarFile = run(['check', '--no-process-env', '--format', 'compact', '--var-file', 'linked.pkrvars.hcl', '.'], { cwd: d });
  assert.is(viaVarFile.status, 1);
  assert.match(viaVarFile.stdout, /bucket name "bad_name"/);
  assert.is(run(['check', '--no-process-env', '--config', join(outside, 'ok.json'), '--var-file', 'linked.pkrvars.hcl', '.'], { cwd: d }).status, 0);
  symlinkSync(join(outside, 'rc.json'), join(d, '.pkrlintrc.json'));
  const found = run(['check', '--no-process-env', '.'], { cwd: d });
  assert.is(found.status, 2);
  assert.match(found.stderr, /^pkrlint: .*\.pkrlintrc\.json: cannot read configuration file: a symbolic link to ".*rc\.json", outside the checked tree$/m);
  assert.not.match(found.all, SECRET);
});

test('FIFOs never block: in a configuration, named, and as --var-file or --config (exit 2)', () => {
  const d = tree({ 'main.pkr.hcl': CLEAN, 'other/main.pkr.hcl': BAD_BUCKET });
  mkfifo(join(d, 'pipe.pkr.hcl'));
  mkfifo(join(d, 'pipe.json'));
  mkfifo(join(d, 'vars.pkrvars.hcl'));
  const search = run(['check', '--no-process-env', '--format', 'compact', '.'], { cwd: d });
  assert.is(search.status, 1);
  assert.match(search.stdout, /^pipe\.pkr\.hcl:1:1: error syntax not read: a named pipe \(FIFO\), not a regular file$/m);
  assert.match(search.stdout, /^pipe\.json:1:1: warning syntax not read: a named pipe \(FIFO\), not a regular file/m);
  assert.match(search.stdout, /^other\/main\.pkr\.hcl:5:17: error registry-bucket-name/m, 'the run goes on to the other configuration');
  const named = run(['check', '--no-process-env', '--format', 'compact', 'pipe.json'], { cwd: d });
  assert.is(named.status, 1);
  assert.match(named.stdout, /^pipe\.json:1:1: error syntax not read: a named pipe \(FIFO\)/m);
  const varFile = run(['check', '--no-process-env', '--var-file', 'vars.pkrvars.hcl', 'other'], { cwd: d });
  assert.is(varFile.status, 2);
  assert.is(varFile.stderr, 'pkrlint: vars.pkrvars.hcl: cannot read variable file: a named pipe (FIFO), not a regular file\n');
  const config = run(['check', '--no-process-env', '--config', 'pipe.json', 'other'], { cwd: d });
  assert.is(config.status, 2);
  assert.match(config.stderr, /^pkrlint: .*pipe\.json: cannot read configuration file: a named pipe \(FIFO\), not a regular file\n$/);
  const device = run(['check', '--no-process-env', '--config', '/dev/zero', 'other'], { cwd: d });
  assert.is(device.status, 2);
  assert.match(device.stderr, /\/dev\/zero: cannot read configuration file: a character device, not a regular file/);
});

test('a FIFO in the tree is never even opened (opening some special files does something)', () => {
  const d = tree({ 'main.pkr.hcl': CLEAN });
  mkfifo(join(d, 'pipe.pkr.hcl'));
  // A writer that blocks until someone opens the FIFO for reading, and then says so.
  const writer = spawn('bash', ['-c', 'exec 3>pipe.pkr.hcl; touch opened'], { cwd: d, stdio: 'ignore' });
  try {
    for (const args of [['check', '--no-process-env', '.'], ['check', '--no-process-env', 'pipe.pkr.hcl'], ['check', '--no-process-env', '--var-file', 'pipe.pkr.hcl', 'main.pkr.hcl']]) {
      assert.ok(run(args, { cwd: d }).status !== 0);
    }
    spawnSync('sleep', ['0.2']);
    assert.not.ok(existsSync(join(d, 'opened')), 'pkrlint opened the FIFO');
  } finally {
    // Release the writer.
    closeSync(openSync(join(d, 'pipe.pkr.hcl'), constants.O_RDONLY | constants.O_NONBLOCK));
    writer.kill();
  }
});

test('process substitution still works for options: a pipe under /dev/fd is read to its end', () => {
  const d = tree({ 'main.pkr.hcl': 'variable "bucket" {\n  type = string\n}\n' + SOURCE + 'hcp_packer_registry {\n  bucket_name = var.bucket\n}\n' + BUILD });
  const r = run([], { cwd: d, shell: `'${join(ROOT, 'bin', 'pkrlint')}' check --no-process-env --format compact --var-file <(sleep 0.2; printf 'bucket = "from_pipe"\\n') --config <(printf '{}') .` });
  assert.is(r.status, 1, r.all);
  assert.match(r.stdout, /bucket name "from_pipe"/);
  // The function the CLI reads --env-file with.
  const api = join(ROOT, 'build', 'src', 'packer', 'input.js');
  const viaApi = run([], { cwd: d, shell: `node --input-type=module -e "import { readInputFile } from '${api}'; process.stdout.write(readInputFile(process.argv[1], { explicit: true, what: 'env file' }))" <(printf 'A=1\\n')` });
  assert.is(viaApi.stdout, 'A=1\n', viaApi.all);
});

test('readInputFile: a FIFO on disk is refused at once, naming the file', () => {
  const d = tree({});
  mkfifo(join(d, 'ci.env'));
  const t0 = Date.now();
  assert.throws(() => readInputFile(join(d, 'ci.env'), { explicit: true, what: 'env file' }), /ci\.env: cannot read env file: a named pipe \(FIFO\), not a regular file$/);
  assert.ok(Date.now() - t0 < 5000);
  assert.throws(() => readInputFile(join(d, 'none.env'), { explicit: true, what: 'env file' }), /none\.env: cannot read env file: no such file$/);
});

test('dangling and looping links beside a configuration are findings; the run goes on', () => {
  const d = tree({ 'a/main.pkr.hcl': CLEAN, 'b/main.pkr.hcl': BAD_BUCKET, 'c/template.json': '{"builders": [{"type": "null"}]}' });
  symlinkSync('nowhere.pkr.hcl', join(d, 'a', 'dangling.pkr.hcl'));
  symlinkSync('l2.pkr.hcl', join(d, 'a', 'l1.pkr.hcl'));
  symlinkSync('l1.pkr.hcl', join(d, 'a', 'l2.pkr.hcl'));
  symlinkSync('y.json', join(d, 'c', 'x.json'));
  symlinkSync('x.json', join(d, 'c', 'y.json'));
  const r = run(['check', '--no-process-env', '--format', 'compact', '.'], { cwd: d });
  assert.is(r.status, 1, r.all);
  assert.is(r.stderr, '');
  assert.match(r.stdout, /^a\/dangling\.pkr\.hcl:1:1: error syntax not read: a symbolic link to "nowhere\.pkr\.hcl", which does not exist$/m);
  assert.match(r.stdout, /^a\/l1\.pkr\.hcl:1:1: error syntax not read: a symbolic link loop$/m);
  assert.match(r.stdout, /^b\/main\.pkr\.hcl:5:17: error registry-bucket-name/m);
  assert.match(r.stdout, /^c\/x\.json:1:1: warning syntax not read: a symbolic link loop/m);
  assert.match(r.stdout, /^c\/template\.json:1:1: info json-legacy-template/m);
  // Named (as pre-commit names committed files): a finding too, not "no such file".
  const named = run(['check', '--no-process-env', '--format', 'compact', 'a/dangling.pkr.hcl'], { cwd: d });
  assert.is(named.status, 1, named.all);
  assert.match(named.stdout, /^a\/dangling\.pkr\.hcl:1:1: error syntax not read: a symbolic link to "nowhere\.pkr\.hcl", which does not exist$/m);
});

test('a directory named like a template is not a file of the configuration (Packer ignores it); a link to one is', () => {
  const d = tree({ 'main.pkr.hcl': CLEAN, 'odd.pkr.hcl/readme.txt': 'x', 'other/x.txt': '' });
  assert.is(run(['check', '--no-process-env', '.'], { cwd: d }).status, 0);
  // packer 1.6.6: 'The configuration file "x.pkr.hcl" could not be read.'
  symlinkSync('.', join(d, 'other', 'x.pkr.hcl'));
  const r = run(['check', '--no-process-env', '--format', 'compact', '.'], { cwd: d });
  assert.is(r.status, 1);
  assert.match(r.stdout, /^other\/x\.pkr\.hcl:1:1: error syntax not read: a directory, not a regular file$/m);
});

/**
 * Time at n and at 4n (best of `runs`): growth must stay far below quadratic (16×). Differences under 2 ms are timer
 * noise, so a time below that counts as 2 ms. No wall-clock figure is asserted.
 */
function assertGrowth(label: string, make: (n: number) => Record<string, string>, n: number, runs = 3): ReturnType<typeof check> {
  let last: ReturnType<typeof check> | undefined;
  const time = (k: number) => {
    const d = tree(make(k));
    let best = Infinity;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      last = check([d], { cwd: d });
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };
  time(Math.max(1, n >> 4)); // warm-up: JIT, the grammar
  const a = time(n);
  const b = time(4 * n);
  assert.ok(b <= 8 * Math.max(a, 2), `${label}: ${a.toFixed(1)} ms at n=${n}, ${b.toFixed(1)} ms at 4n: growth ${(b / Math.max(a, 2)).toFixed(1)}× (quadratic would be 16×)`);
  return last!;
}

const messages = (r: ReturnType<typeof check>) => r.diagnostics.map((d) => `${d.file ? `${d.file.display.split('/').pop()}:${d.file.lines.position(d.start ?? 0).line}: ` : ''}${d.ruleId}: ${d.message}`);

test('deep JSON is one finding, and the run goes on (Packer: 10000 levels)', () => {
  const legacy = (n: number) => `{"builders":[{"type":"null","x":${'['.repeat(n)}${']'.repeat(n)}}]}`;
  const d = tree({ 'a/t.json': legacy(3000), 'b/t.json': legacy(50000), 'c/main.pkr.hcl': BAD_BUCKET, 'd/main.pkr.json': `{"locals": {"x": ${'['.repeat(50000)}${']'.repeat(50000)}}}` });
  const r = run(['check', '--no-process-env', '--format', 'compact', '.'], { cwd: d });
  assert.is(r.status, 1);
  assert.is(r.stderr, '');
  assert.match(r.stdout, /^a\/t\.json:1:1: info json-legacy-template/m);
  assert.match(r.stdout, /^b\/t\.json:1:10030: error syntax nested more than 10000 levels deep: Packer's JSON reader stops there \("exceeded max depth"\)$/m);
  assert.match(r.stdout, /^c\/main\.pkr\.hcl:5:17: error registry-bucket-name/m);
  assert.not.match(r.stdout, /^d\//m, 'a deep .pkr.json is fine, as for Packer');
});

test('nested "${ (the 57-second case): one finding at once, whatever the size', () => {
  const r = assertGrowth('nested "${', (n) => ({ 'main.pkr.hcl': `locals {\n  a = ${'"${'.repeat(n)}1${'}"'.repeat(n)}\n}\n` }), 33000);
  assert.equal(messages(r), [`main.pkr.hcl:2: syntax: strings, heredocs and interpolations nested 121 deep: more than pkrlint's HCL parser (tree-sitter-hcl) can hold, although Packer reads it; not checked`]);
});

test('nesting the parser can hold is parsed in linear time', () => {
  const line = `  a = ${'"${'.repeat(55)}1${'}"'.repeat(55)}\n`;
  const r = assertGrowth('55-deep templates, repeated', (n) => ({ 'main.pkr.hcl': Array.from({ length: n }, (_, i) => `locals {\n${line.replace('a', `a${i}`)}}\n`).join('') }), 60);
  assert.equal(messages(r), []);
});

test('a heredoc marker too long for the parser is one finding (Packer reads it)', () => {
  const m = 'E'.repeat(200);
  const r = check([tree({ 'main.pkr.hcl': `locals {\n  a = <<${m}\nhello\n${m}\n}\n` })]);
  assert.equal(messages(r), [`main.pkr.hcl:2: syntax: a heredoc marker of 200 characters: more than pkrlint's HCL parser (tree-sitter-hcl) can hold, although Packer reads it; not checked`]);
});

test('tree-sitter error recovery (quadratic in the errors) is cut off in time linear in the size', () => {
  const r = assertGrowth('"} repeated', (n) => ({ 'main.pkr.hcl': '"}'.repeat(n) }), 16000, 1);
  assert.is(r.diagnostics.length, 1);
  assert.match(r.diagnostics[0].message, /^pkrlint gave up parsing this file after \d+\.\d s: it has more syntax errors than its parser can untangle in reasonable time; check it with `packer validate -syntax-only`$/);
});

test('thousands of errors on one line cost what one does (found by the fuzz: "=" x 65536 took 70 s)', () => {
  const r = assertGrowth('"=" repeated in a block', (n) => ({ 'main.pkr.hcl': `build {\n  name = "x"\n\n${'='.repeat(n)}}\n` }), 16000);
  assert.equal(messages(r), ['main.pkr.hcl:4: syntax: missing identifier']);
});

test('many ignore comments, and a long one, cost linear time (each finding once looked at every ignore)', () => {
  const head = SOURCE + 'hcp_packer_registry {\n  bucket_name = "web-base"\n  channels = [\n';
  const tail = '  ]\n}\n' + BUILD;
  assertGrowth('trailing ignores', (n) => ({ 'main.pkr.hcl': head + '    "x", # pkrlint-ignore: registry-channels\n'.repeat(n) + tail }), 2000, 1);
  assertGrowth('own-line ignores', (n) => ({ 'main.pkr.hcl': head + '    # pkrlint-ignore: registry-channels\n'.repeat(n) + '    "x",\n' + tail }), 2000, 1);
  const r = assertGrowth('a long ignore comment', (n) => ({ 'main.pkr.hcl': `# pkrlint-ignore: registry-channels${' '.repeat(n)}x\n` + CLEAN }), 30000);
  assert.match(messages(r)[0], /^main\.pkr\.hcl:1: unused-ignore: 'registry-channels {20}/);
});

test('an env file of many keys and a JSON string of many marker-like lines cost linear time', () => {
  const env = (n: number) => {
    const e = new Environment();
    const t0 = performance.now();
    e.loadDotenv(Array.from({ length: n }, (_, i) => `KEY_${i}=value`).join('\n'), 'ci.env');
    assert.is(e.get(`KEY_${n - 1}`)?.origin, `ci.env:${n}`);
    return performance.now() - t0;
  };
  env(1000);
  const [a, b] = [env(8000), env(32000)];
  assert.ok(b <= 8 * Math.max(a, 2), `dotenv: ${a.toFixed(0)} ms, then ${b.toFixed(0)} ms`);
  const r = assertGrowth('"PKRLINT_EOT___…" in a .pkr.json string', (n) => ({ 'main.pkr.json': JSON.stringify({ locals: { a: `x\nPKRLINT_EOT${'_'.repeat(n)} \${local.b}`, b: 'y' } }) }), 30000);
  assert.equal(messages(r), []);
});

test('a chain of 20 000 locals: values past the evaluation depth are unknown; a rule that overflows is a warning', () => {
  const n = 20000;
  let text = 'locals {\n';
  for (let i = 0; i < n; i++) text += `  l${i} = local.l${i + 1}\n`;
  text += `  l${n} = "bad_name"\n}\n` + SOURCE + 'hcp_packer_registry {\n  bucket_name = local.l0\n}\n' + BUILD;
  const d = tree({ 'main.pkr.hcl': text });
  const r = check([d], { cwd: d });
  assert.equal(messages(r), ['registry-unknown-value: the configuration in main.pkr.hcl is nested too deeply for this rule to finish (Maximum call stack size exceeded); it was not checked by registry-unknown-value']);
  assert.is(r.diagnostics[0].severity, 'warning');
});

test("Packer's readers, as packer 1.6.6 validate -syntax-only judges them: encodings, byte order marks, JSON in HCL, numbers", () => {
  const bytes = (s: string) => Buffer.from(s, 'latin1');
  const d = mkdtempSync(join(tmpdir(), 'pkrlint-hard-'));
  dirs.push(d);
  const put = (name: string, content: Buffer | string) => {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), content);
  };
  // "Invalid character encoding": in a string of a .pkr.hcl or a .pkrvars.hcl, not in a comment, not in JSON.
  put('utf8/a.pkr.hcl', bytes('locals {\n  a = "ab\xff\xfecd"\n}\n'));
  put('utf8-comment/a.pkr.hcl', bytes('locals {\n  a = 1\n}\n# caf\xe9\n'));
  put('utf8-vars/a.pkr.hcl', 'locals {\n  a = 1\n}\n');
  put('utf8-vars/x.auto.pkrvars.hcl', bytes('a = "\xff"\n'));
  put('utf8-json/a.pkr.json', bytes('{"locals": {"a": "\xff"}}'));
  put('legacy-utf8/t.json', bytes('{"builders":[{"type":"null","communicator":"none","x":"\xff"}]}'));
  // A byte order mark: fine in HCL, "Invalid start of value" in a .pkr.json, "invalid character 'ï'" in a template.
  put('bom-hcl/a.pkr.hcl', '\ufefflocals {\n  a = 1\n}\n');
  put('bom-json/a.pkr.json', '\ufeff{"locals": {"a": 1}}');
  put('bom-legacy/t.json', '\ufeff{"builders":[{"type":"null","communicator":"none"}]}');
  // "Argument or block definition required".
  put('json-in-hcl/a.pkr.hcl', '{"locals": {"a": 1}}\n');
  // "cannot unmarshal number 1e999999 into Go value of type float64"; 1e308 and 1e-999999 pass.
  put('number/t.json', '{"builders":[{"type":"null","communicator":"none","x": 1e999999}]}');
  put('number-ok/t.json', '{"builders":[{"type":"null","communicator":"none","x": 1e308, "y": 1e-999999}]}');
  const r = check([d], { cwd: d, only: ['syntax'] });
  const got = r.diagnostics.map((x) => `${x.file!.display}:${x.file!.lines.position(x.start!).line}:${x.file!.lines.position(x.start!).column} ${x.message}`);
  assert.equal(got, [
    `bom-json/a.pkr.json:1:1 the file starts with a UTF-8 byte order mark, which Packer rejects ("Invalid start of value"); save it without one`,
    `bom-legacy/t.json:1:1 the file starts with a UTF-8 byte order mark, which Packer rejects ("invalid character 'ï' looking for beginning of value"); save it without one`,
    'json-in-hcl/a.pkr.hcl:1:1 expected an argument or a block, not an object (is this JSON? HCL in JSON syntax goes in a .pkr.json file) (Packer: "Argument or block definition required")',
    'number/t.json:1:56 number 1e999999 is out of range: Packer cannot read it ("cannot unmarshal number 1e999999 into Go value of type float64")',
    'utf8-vars/x.auto.pkrvars.hcl:1:6 invalid UTF-8 at byte offset 5: Packer requires UTF-8 ("Invalid character encoding"); save the file as UTF-8',
    'utf8/a.pkr.hcl:2:10 invalid UTF-8 at byte offset 18: Packer requires UTF-8 ("Invalid character encoding"); save the file as UTF-8',
  ]);
});

test('a file over the size limit is one finding, never read; maxFileSize raises the limit up to 4 MiB', () => {
  const big = `locals {\n  a = "${'x'.repeat(1024 * 1024)}"\n}\n`;
  const d = tree({ 'big/main.pkr.hcl': big, 'ok/main.pkr.hcl': BAD_BUCKET, 'package-lock.json': `{"name": "${'x'.repeat(1100 * 1024)}"}`, 'big.json': `{"builders": [{"type": "null", "x": "${'x'.repeat(1100 * 1024)}"}]}` });
  const r = run(['check', '--no-process-env', '--format', 'compact', '.'], { cwd: d });
  assert.is(r.status, 1);
  assert.match(r.stdout, /^big\/main\.pkr\.hcl:1:1: error syntax not read: 1 MiB, over the limit of 1 MiB per file \(maxFileSize in \.pkrlintrc\.json\)$/m);
  assert.match(r.stdout, /^ok\/main\.pkr\.hcl:5:17: error registry-bucket-name/m);
  // JSON met in a search that is too big to read may be anything (a lock file): not reported unless named.
  assert.not.match(r.stdout, /package-lock|big\.json/);
  assert.match(run(['check', '--no-process-env', '--format', 'compact', 'big.json'], { cwd: d }).stdout, /^big\.json:1:1: error syntax not read: 1\.1 MiB, over the limit/m);
  writeFileSync(join(d, '.pkrlintrc.json'), JSON.stringify({ maxFileSize: 2 * 1024 * 1024 }));
  const raised = run(['check', '--no-process-env', '--format', 'compact', 'big'], { cwd: d });
  assert.is(raised.status, 0, raised.all);
  writeFileSync(join(d, '.pkrlintrc.json'), '{\n  "maxFileSize": 1073741824\n}\n');
  const tooHigh = run(['check', '--no-process-env', 'big'], { cwd: d });
  assert.is(tooHigh.status, 2);
  assert.match(tooHigh.stderr, /\.pkrlintrc\.json:2: "maxFileSize" must be a whole number of bytes from 1 to 4194304 \(4 MiB\)/);
});

test('memory follows the largest file, not the repository: each parse tree is freed once read', () => {
  const peak = (files: number) => {
    const d = tree(Object.fromEntries(Array.from({ length: files }, (_, i) => [`u${i}/main.pkr.hcl`, `locals {\n${Array.from({ length: 2500 }, (_, j) => `  v${j} = "value-${j}"\n`).join('')}}\n`])));
    const script = `import { runCheck } from '${join(ROOT, 'build', 'src', 'lint', 'run.js')}'; import { Environment } from '${join(ROOT, 'build', 'src', 'packer', 'env.js')}';
const r = runCheck({ paths: ['.'], cwd: process.cwd(), ignore: [], env: new Environment(), varFiles: [], vars: [] });
process.stdout.write(JSON.stringify({ n: r.files.length, rss: process.resourceUsage().maxRSS }));`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: d, encoding: 'utf8', timeout: 120_000 });
    const res = JSON.parse(out.stdout) as { n: number; rss: number };
    assert.is(res.n, files, out.stderr);
    return res.rss / 1024;
  };
  const few = peak(10);
  const many = peak(60);
  // Kept until the end, the trees of 60 files of 60 KB would take about 350 MiB more than those of 10.
  assert.ok(many < few * 1.6, `peak RSS ${few.toFixed(0)} MiB for 10 files, ${many.toFixed(0)} MiB for 60`);
});

test('a 20-digit version is bad usage on the command line and in the configuration file (exit 2), never a crash', () => {
  const d = tree({ 'main.pkr.hcl': CLEAN });
  const cliVersion = run(['check', '--no-process-env', '--packer-version', '12345678901234567890.0.0', '.'], { cwd: d });
  assert.is(cliVersion.status, 2);
  assert.is(cliVersion.stderr, 'pkrlint: --packer-version: "12345678901234567890.0.0" is not a version such as 1.13.0\n');
  assert.is(run(['check', '--no-process-env', '--packer-version', '1.99999999999999999999.0', '.'], { cwd: d }).stderr, 'pkrlint: --packer-version: "1.99999999999999999999.0" is not a version such as 1.13.0\n');
  writeFileSync(join(d, 'rc.json'), '{\n  "packerVersion": "12345678901234567890.1.0"\n}\n');
  const config = run(['check', '--no-process-env', '--config', 'rc.json', '.'], { cwd: d });
  assert.is(config.status, 2);
  assert.match(config.stderr, /^pkrlint: .*rc\.json:2: "packerVersion" must be a version such as "1\.13\.0"\n$/);
});

test('an ignore glob from a repository cannot make check backtrack; a glob it refuses names the file and line', () => {
  // picomatch took 10-15 s for this glob against one 50-character name, and grows as length^stars.
  const name = (n: number) => `${'a'.repeat(n)}c.pkr.hcl`;
  const r = assertGrowth('*a*a*a*a*a*a*a*a*b against long names', (n) => ({ '.pkrlintrc.json': '{"ignore": ["*a*a*a*a*a*a*a*a*b"]}', '.git/HEAD': '', [`d/${name(n)}`]: CLEAN, [`e/${name(n)}x.pkr.hcl`]: CLEAN }), 50);
  assert.equal(r.diagnostics, []);
  const d = tree({ 'main.pkr.hcl': CLEAN, '.git/HEAD': '', '.pkrlintrc.json': '{\n  "ignore": [\n    "legacy/**",\n    "@(a|b)/**"\n  ]\n}\n' });
  const bad = run(['check', '--no-process-env', '.'], { cwd: d });
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /^pkrlint: .*\.pkrlintrc\.json:4: ignore glob "@\(a\|b\)\/\*\*": extended globs such as @\(a\|b\) or !\(x\) are not supported; use \{a,b\}\n$/);
  writeFileSync(join(d, '.pkrlintrc.json'), JSON.stringify({ ignore: Array.from({ length: 1001 }, (_, i) => `g${i}/**`) }));
  assert.match(run(['check', '--no-process-env', '.'], { cwd: d }).stderr, /\.pkrlintrc\.json:1: "ignore" has 1001 globs; at most 1000 are read\n$/);
  writeFileSync(join(d, '.pkrlintrc.json'), '{}');
  const cliGlob = run(['check', '--no-process-env', '--ignore', 'x'.repeat(300), '.'], { cwd: d });
  assert.is(cliGlob.status, 2);
  assert.match(cliGlob.stderr, /^pkrlint: --ignore "x{60}…": longer than 256 characters\n$/);
});

test('values of sensitive variables, and of secret-named environment variables, never appear in any output', () => {
  const token = 'ghp_pkrlintTestToken_0123456789!!';
  const d = tree({
    'main.pkr.hcl': `variable "bucket" {
  type      = string
  default   = env("SECRET_BUCKET")
  sensitive = true
}

variable "token" {
  type      = string
  sensitive = true
}

variable "labels" {
  type      = map(any)
  sensitive = true
}

variable "channel" {
  type    = string
  default = env("GITHUB_TOKEN")
}

${SOURCE}
hcp_packer_registry {
  bucket_name   = var.bucket
  description   = "built with \${var.token}"
  channels      = [var.token, var.channel, upper(var.token)]
  bucket_labels = var.labels
}

${BUILD}`,
    'other/main.pkr.hcl': `variable "name" {
  type      = string
  sensitive = true
}

${SOURCE}
build {
  name    = var.name
  sources = ["source.null.x"]

  hcp_packer_registry {
  }
}
`,
    'third/main.pkr.hcl': `variable "bucket" {
  type      = string
  sensitive = true
}

${SOURCE}
hcp_packer_registry {
  bucket_name = var.bucket
}

${BUILD}`,
  });
  const env = { SECRET_BUCKET: `${token}_bucket`, GITHUB_TOKEN: `${token}_gh`, PKR_VAR_token: `${token}_pkrvar`, HCP_PACKER_BUCKET_NAME: 'from-env' };
  const vars = ['--var', `name=${token}_name`, '--var', `labels={team = ["${token}_label"]}`];
  for (const format of ['stylish', 'compact', 'json']) {
    const r = run(['check', '--format', format, ...vars, '.'], { cwd: d, env });
    assert.is(r.status, 1, r.all);
    assert.not.match(r.all, 'pkrlintTestToken', `${format}: no secret in the output`);
    if (format === 'compact') {
      assert.match(r.stdout, /registry-bucket-name bucket name <sensitive> \(from var\.bucket \(the default at main\.pkr\.hcl:3\)\) is not valid: it is 40 characters long/);
      assert.match(r.stdout, /registry-channels channel <sensitive> breaks HCP's channel name rule/);
      assert.match(r.stdout, /registry-label-type bucket_labels \(from var\.labels \(--var labels\)\) has a value for a key that is a list/);
      assert.match(r.stdout, /registry-env-override HCP_PACKER_BUCKET_NAME="from-env" \(set in the process environment\) overrides bucket_name <sensitive>/);
    }
  }
  // The build name as bucket name (no top-level block, no HCP_PACKER_BUCKET_NAME).
  const byName = run(['check', '--no-process-env', '--format', 'compact', '--var', `name=${token}`, 'other'], { cwd: d });
  assert.match(byName.stdout, /the build name <sensitive> \(from var\.name \(--var name\)\) is used as the bucket name, and it is not valid/);
  assert.not.match(byName.all, 'pkrlintTestToken');
});

test('evaluation is bounded: locals doubling a string 60 times are unknown, not 2^60 characters', () => {
  let text = 'locals {\n  l0 = "ab_"\n';
  for (let i = 1; i <= 60; i++) text += `  l${i} = "\${local.l${i - 1}}\${local.l${i - 1}}"\n`;
  text += `  big = replace(local.l14, "a", local.l14)\n}\n` + SOURCE + 'hcp_packer_registry {\n  bucket_name = local.l60\n  description = local.big\n}\n' + BUILD;
  const d = tree({ 'main.pkr.hcl': text });
  const r = check([d], { cwd: d });
  assert.equal(messages(r), [], 'too long to compute: unknown, so no rule guesses');
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test.run();
