/** The language server as an editor drives it: the real `bin/pkrlint lsp` process over stdio, with an LSP client. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type CodeAction,
  type CompletionItem,
  type Hover,
  type TextEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { collectFixtures, fixtureKey, mulberry32, mutantSeed, mutate } from '../bench/fuzz-long.js';
import { ROOT } from './_helpers.js';

const DOCS = 'https://github.com/pkrlint/pkrlint/blob/main/docs/rules/';

const A = `hcp_packer_registry {
  bucket_name  = "ab"
  bucket_label = "x"
}

source "null" "x" {
  communicator = "none"
}

build {
  name    = "web"
  sources = ["source.null.x"]
}
`;
const B = `locals {
  owner = "web-team"
}
`;

interface Server {
  conn: ProtocolConnection;
  proc: ChildProcess;
  dir: string;
  stderr: string[];
  logs: string[];
  /** Every publishDiagnostics received, in order. */
  published: PublishDiagnosticsParams[];
  uri: (name: string) => string;
  /** The first diagnostics published for `uri` (at `version`, if given) after the call, or after `since`. */
  diagnostics: (uri: string, version?: number, since?: number) => Promise<Diagnostic[]>;
}

const servers: Server[] = [];

async function start(files: Record<string, string>, initializationOptions: unknown = {}, configuration: { current: unknown } = { current: null }): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-lsp-'));
  for (const [n, t] of Object.entries(files)) writeFileSync(join(dir, n), t);
  // The server must not read the test runner's environment (processEnv is off by default): set a variable to prove it.
  const proc = spawn(join(ROOT, 'bin', 'pkrlint'), ['lsp', '--stdio'], { cwd: dir, env: { ...process.env, HCP_PACKER_BUCKET_NAME: 'from-process-env' }, stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  proc.stderr.on('data', (b: Buffer) => stderr.push(b.toString()));
  const conn = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: Array<() => void> = [];
  const logs: string[] = [];
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of waiters.splice(0)) w();
  });
  conn.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
  });
  conn.onRequest('workspace/configuration', () => [configuration.current]);
  conn.listen();
  const s: Server = {
    conn,
    proc,
    dir,
    stderr,
    logs,
    published,
    uri: (n) => pathToFileURL(join(dir, n)).href,
    diagnostics: (uri, version, since = published.length) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within 10 s; got ${JSON.stringify(published.slice(since).map((p) => [p.uri, p.version]))}; stderr ${stderr.join('')}`)), 10000);
        const look = () => {
          const p = published.slice(since).find((x) => x.uri === uri && (version === undefined || x.version === version));
          if (p) {
            clearTimeout(timer);
            resolve(p.diagnostics);
          } else waiters.push(look);
        };
        look();
      }),
  };
  servers.push(s);
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir).href, capabilities: { workspace: { configuration: true } }, initializationOptions });
  await conn.sendNotification('initialized', {});
  return s;
}

async function openDoc(s: Server, name: string, text: string, version = 1) {
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: s.uri(name), languageId: 'hcl', version, text } });
}

/** What the user sees: line:col (1-based, as the editor shows), rule, message. */
const shown = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info'} ${String(d.code)} ${typeof d.message === 'string' ? d.message : d.message.value}`);

const BUCKET_AB =
  '2:18-2:22 error registry-bucket-name bucket name "ab" is not valid: it is 2 characters long; Packer requires 3 to 36 ASCII letters, digits and hyphens ("hcp_packer_registry.bucket_name can only contain between 3 and 36 ASCII letters, numbers and hyphens")';
const UNKNOWN_ARG =
  '3:3-3:15 error registry-unknown-argument argument "bucket_label" is not part of hcp_packer_registry: Packer ignores it without a word; did you mean "bucket_labels"? (known: bucket_labels, bucket_name, build_labels, channels, description, labels)';

test('open: the findings of the document, with rule id, documentation link and exact ranges', async () => {
  const s = await start({ 'a.pkr.hcl': A, 'b.pkr.hcl': B });
  const waiting = s.diagnostics(s.uri('a.pkr.hcl'), 1);
  await openDoc(s, 'a.pkr.hcl', A);
  const ds = await waiting;
  assert.equal(shown(ds), [BUCKET_AB, UNKNOWN_ARG]);
  assert.equal(ds[0].codeDescription?.href, `${DOCS}registry-bucket-name.md`);
  assert.is(ds[0].source, 'pkrlint');
});

test('incremental change: a finding disappears when fixed and appears when reintroduced', async () => {
  const s = await start({ 'a.pkr.hcl': A });
  const uri = s.uri('a.pkr.hcl');
  let waiting = s.diagnostics(uri, 1);
  await openDoc(s, 'a.pkr.hcl', A);
  await waiting;
  // "ab" → "abc": replace the range of the b (line 2, characters 19-20) by "bc".
  waiting = s.diagnostics(uri, 2);
  await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: { line: 1, character: 19 }, end: { line: 1, character: 20 } }, text: 'bc' }] });
  assert.equal(shown(await waiting), [UNKNOWN_ARG]);
  // Delete the unknown argument's line: no finding left.
  waiting = s.diagnostics(uri, 3);
  await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } }, text: '' }] });
  assert.equal(shown(await waiting), []);
  // Several changes in one notification, applied in order.
  waiting = s.diagnostics(uri, 4);
  await s.conn.sendNotification('textDocument/didChange', {
    textDocument: { uri, version: 4 },
    contentChanges: [
      { range: { start: { line: 1, character: 19 }, end: { line: 1, character: 21 } }, text: '' },
      { range: { start: { line: 1, character: 18 }, end: { line: 1, character: 19 } }, text: 'xy' },
    ],
  });
  assert.equal(shown(await waiting), [
    '2:18-2:22 error registry-bucket-name bucket name "xy" is not valid: it is 2 characters long; Packer requires 3 to 36 ASCII letters, digits and hyphens ("hcp_packer_registry.bucket_name can only contain between 3 and 36 ASCII letters, numbers and hyphens")',
  ]);
});

test('a second build block added in another open file of the unit shows up in both files at once', async () => {
  const s = await start({ 'a.pkr.hcl': A, 'b.pkr.hcl': B });
  const a = s.uri('a.pkr.hcl');
  const b = s.uri('b.pkr.hcl');
  let wa = s.diagnostics(a, 1);
  await openDoc(s, 'a.pkr.hcl', A);
  await wa;
  let wb = s.diagnostics(b, 1);
  await openDoc(s, 'b.pkr.hcl', B);
  await wb;
  // Unsaved: the build block exists only in the editor, not on disk.
  const since = s.published.length;
  wa = s.diagnostics(a, 1, since);
  wb = s.diagnostics(b, 2, since);
  await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: b, version: 2 }, contentChanges: [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, text: '\nbuild {\n  sources = ["source.null.x"]\n}\n' }] });
  const [da, db] = await Promise.all([wa, wb]);
  const multiple = [...da, ...db].filter((d) => d.code === 'registry-multiple-builds');
  assert.ok(multiple.length > 0, JSON.stringify({ da: shown(da), db: shown(db) }));
  assert.equal(shown(da), [BUCKET_AB, UNKNOWN_ARG]);
  assert.equal(shown(db), [
    '5:1-5:6 error registry-multiple-builds a second build block while HCP Packer is enabled by an hcp_packer_registry block (the first build is at a.pkr.hcl:10): packer build fails with "Multiple build blocks … only one build block can be defined"; merge the builds or split the configuration into directories',
  ]);
  // Removing it again clears the finding.
  const w = s.diagnostics(b, 3);
  await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: b, version: 3 }, contentChanges: [{ text: B }] });
  assert.equal(shown(await w), []);
});


test('code actions: the fix as a WorkspaceEdit, and ignore comments that silence the finding', async () => {
  const s = await start({ 'a.pkr.hcl': A });
  const uri = s.uri('a.pkr.hcl');
  const waiting = s.diagnostics(uri, 1);
  await openDoc(s, 'a.pkr.hcl', A);
  const ds = await waiting;
  const unknown = ds.find((d) => d.code === 'registry-unknown-argument')!;
  const actions = await s.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: unknown.range, context: { diagnostics: [unknown] } });
  assert.equal(actions.map((a) => a.title), ['Rename to bucket_labels', 'Ignore registry-unknown-argument for this line', 'Ignore registry-unknown-argument for this file']);
  // The rename re-aligns the `=` of its group (packer fmt's layout); a suggestion, so not the preferred action.
  assert.equal(actions[0].edit?.changes?.[uri], [
    { range: { start: { line: 1, character: 13 }, end: { line: 1, character: 15 } }, newText: '   ' },
    { range: { start: { line: 2, character: 2 }, end: { line: 2, character: 15 } }, newText: 'bucket_labels ' },
  ]);
  assert.is(actions[0].isPreferred, false);
  const apply = (text: string, edits: TextEdit[]) => TextDocument.applyEdits(TextDocument.create(uri, 'hcl', 0, text), edits);
  // Each action, applied as the editor would, removes the finding it is for and nothing else.
  let version = 1;
  for (const a of actions) {
    version += 1;
    const text = apply(A, a.edit!.changes![uri]);
    const w = s.diagnostics(uri, version);
    await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    const after = shown(await w);
    assert.equal(after.filter((d) => d.includes('registry-unknown-argument') || d.includes('unused-ignore')), [], `${a.title}: ${after.join('\n')}`);
    assert.ok(after.some((d) => d.includes('registry-bucket-name')), a.title);
  }
  assert.equal(apply(A, actions[1].edit!.changes![uri]).split('\n')[2], '  # pkrlint-ignore: registry-unknown-argument');
  assert.equal(apply(A, actions[2].edit!.changes![uri]).split('\n')[0], '# pkrlint-ignore-file: registry-unknown-argument');
});

async function hover(s: Server, uri: string, line: number, character: number): Promise<string | undefined> {
  const h = await s.conn.sendRequest<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  return h ? (h.contents as { value: string }).value : undefined;
}

/** A build-level registry block with a deprecated argument (two fixes, two passes) and a misspelt one (a suggestion). */
const FIXABLE = `source "null" "x" {
  communicator = "none"
}

build {
  hcp_packer_registry {
    bucket_name  = "web-base"
    bucket_label = "x"
    labels = {
      team = "web"
    }
  }
  sources = ["source.null.x"]
}
`;

test('source.fixAll.pkrlint: every non-suggestion fix, on the text in the editor, as check --fix makes it', async () => {
  const text = FIXABLE;
  // On disk the file is something else: the fixes apply to the unsaved text.
  const s = await start({ 'a.pkr.hcl': A });
  const uri = s.uri('a.pkr.hcl');
  const w = s.diagnostics(uri, 1);
  await openDoc(s, 'a.pkr.hcl', text);
  const before = (await w).map((d) => String(d.code));
  assert.equal(before, ['registry-in-build-deprecated', 'registry-unknown-argument', 'registry-labels-deprecated']);
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const actions = await s.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['source.fixAll'] } });
  assert.equal(actions.map((a) => [a.kind, a.title]), [['source.fixAll.pkrlint', 'Fix all pkrlint problems']]);
  const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'hcl', 1, text), actions[0].edit!.changes![uri]);
  // The same text as `check --fix` writes from the same template.
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-lsp-fix-'));
  writeFileSync(join(dir, 'a.pkr.hcl'), text);
  spawnSync(join(ROOT, 'bin', 'pkrlint'), ['check', '--fix', '--no-process-env', '.'], { cwd: dir });
  assert.fixture(fixed, readFileSync(join(dir, 'a.pkr.hcl'), 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  assert.match(fixed, /^hcp_packer_registry \{$/m);
  assert.match(fixed, /bucket_labels = \{/);
  // What is left: the suggestion (a rename that may change meaning), never applied by fixAll.
  const w2 = s.diagnostics(uri, 2);
  await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
  assert.equal((await w2).map((d) => String(d.code)), ['registry-unknown-argument']);
  // Quick fixes only when asked for them; nothing to fix all once fixed.
  const quick = await s.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['quickfix'] } });
  assert.ok(quick.every((a) => a.kind === 'quickfix'));
  assert.equal(await s.conn.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [], only: ['source.fixAll.pkrlint'] } }), []);
});

test('hover on bucket_name: the bucket Packer will use and where it comes from; on a finding, its rule', async () => {
  const text = `variable "bucket" {
  default = "web-images"
}

hcp_packer_registry {
  bucket_name = var.bucket
}

build {
  sources = ["source.null.x"]
}
`;
  const s = await start({ 'a.pkr.hcl': text });
  const uri = s.uri('a.pkr.hcl');
  const w = s.diagnostics(uri, 1);
  await openDoc(s, 'a.pkr.hcl', text);
  await w;
  assert.is(await hover(s, uri, 5, 5), '**HCP Packer bucket**: Packer will use `"web-images"`, from this bucket_name, set by var.bucket (the default at a.pkr.hcl:2).');
  assert.is(await hover(s, uri, 0, 3), undefined);

  // With HCP_PACKER_BUCKET_NAME from the editor's settings, that wins and the hover says where it was set.
  const s2 = await start({ 'a.pkr.hcl': A }, { env: { HCP_PACKER_BUCKET_NAME: 'from-settings' } });
  const uri2 = s2.uri('a.pkr.hcl');
  const w2 = s2.diagnostics(uri2, 1);
  await openDoc(s2, 'a.pkr.hcl', A);
  await w2;
  const h = await hover(s2, uri2, 1, 20);
  assert.ok(h?.startsWith('**HCP Packer bucket**: Packer will use `"from-settings"`, from HCP_PACKER_BUCKET_NAME (the editor setting env.HCP_PACKER_BUCKET_NAME); it overrides the template\'s bucket_name.'), h);
  // The finding under the cursor: its rule's description and documentation.
  assert.ok(h?.includes(`**registry-bucket-name** (pkrlint): Reports a bucket name that does not match Packer's bucket name pattern. [Documentation](${DOCS}registry-bucket-name.md)`), h);
});

test('the process environment is ignored unless processEnv is set', async () => {
  const s = await start({ 'a.pkr.hcl': A }, { processEnv: true });
  const uri = s.uri('a.pkr.hcl');
  const w = s.diagnostics(uri, 1);
  await openDoc(s, 'a.pkr.hcl', A);
  const ds = shown(await w);
  assert.ok(ds.some((d) => d.includes('registry-env-override') && d.includes('from-process-env')), ds.join('\n'));
});

test('settings from workspace/configuration, over initializationOptions, and again on didChangeConfiguration', async () => {
  const configuration = { current: { env: { HCP_PACKER_BUCKET_NAME: 'from-configuration' } } as unknown };
  const s = await start({ 'a.pkr.hcl': A }, { packerVersion: '1.12.0' }, configuration);
  const uri = s.uri('a.pkr.hcl');
  const w = s.diagnostics(uri, 1);
  await openDoc(s, 'a.pkr.hcl', A);
  const override = (ds: Diagnostic[]) => shown(ds).filter((d) => d.includes('registry-env-override'));
  const first = await w;
  // packerVersion from initializationOptions is still in force (workspace/configuration did not send it).
  assert.ok(shown(first)[0].startsWith('1:1-1:20 error registry-placement a top-level hcp_packer_registry needs Packer 1.13.0 or newer, but the target is 1.12.0 (the editor setting packerVersion)'), shown(first)[0]);
  assert.equal(override(first), [
    '2:18-2:22 warning registry-env-override HCP_PACKER_BUCKET_NAME="from-configuration" (set in the editor setting env.HCP_PACKER_BUCKET_NAME) overrides bucket_name "ab": Packer will publish to bucket "from-configuration" without saying so',
  ]);
  configuration.current = { env: {} };
  const since = s.published.length;
  await s.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  assert.equal(override(await s.diagnostics(uri, 1, since)), []);
});

test('completion: hcp_packer_registry arguments, and a source type\'s arguments with their types', async () => {
  const text = `hcp_packer_registry {
  bucket_name = "web"
  
}

source "amazon-ebs" "x" {
  ami_
}
`;
  const s = await start({ 'a.pkr.hcl': text });
  const uri = s.uri('a.pkr.hcl');
  await openDoc(s, 'a.pkr.hcl', text);
  const items = await s.conn.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 2 } });
  assert.equal(items.map((i) => `${i.label}: ${i.detail}`), ['bucket_labels: map(string)', 'build_labels: map(string)', 'channels: list(string)', 'description: string', 'labels: map(string)']);
  const ebs = await s.conn.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 6, character: 6 } });
  const ami = ebs.find((i) => i.label === 'ami_name');
  assert.equal({ detail: ami?.detail, insertText: ami?.insertText }, { detail: 'string', insertText: 'ami_name = ' });
  // Outside a block: nothing.
  const none = await s.conn.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 0 } });
  assert.equal(none, []);
});

test('a half-typed line: its syntax error, and the findings the broken block cannot change stay', async () => {
  // A second build: registry-multiple-builds, a whole-unit rule, is silent while the file is broken.
  const text = A + 'build {\n  sources = ["source.null.x"]\n}\n';
  const s = await start({ 'a.pkr.hcl': text });
  const uri = s.uri('a.pkr.hcl');
  const w1 = s.diagnostics(uri, 1);
  await openDoc(s, 'a.pkr.hcl', text);
  const before = shown(await w1);
  assert.equal(before.length, 3, before.join('\n'));
  assert.match(before[2], /^14:1-14:6 error registry-multiple-builds /);
  // `ssh_host =` typed inside the source block (line 8), one character at a time as an editor sends it.
  let version = 1;
  const typed = '  ssh_host =\n';
  for (let i = 0; i < typed.length; i++) {
    const pos = { line: 7, character: i };
    await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start: pos, end: pos }, text: typed[i] }] });
  }
  const during = shown(await s.diagnostics(uri, version));
  assert.equal(during.slice(0, 2), [BUCKET_AB, UNKNOWN_ARG]);
  assert.equal(during.length, 3, during.join('\n'));
  assert.match(during[2], /^9:1-9:2 error syntax /);
  // The line completed: the whole-unit rule is back.
  await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range: { start: { line: 7, character: 12 }, end: { line: 7, character: 12 } }, text: ' "h"' }] });
  const after = shown(await s.diagnostics(uri, version));
  assert.equal(after.length, 3, after.join('\n'));
  assert.match(after[2], /^15:1-15:6 error registry-multiple-builds /);
});

test('.pkr.json: hover on bucket_name, completion of registry and source arguments (also in a key being typed)', async () => {
  const text = `{
  "variable": { "bucket": { "default": "web-base" } },
  "hcp_packer_registry": {
    "bucket_name": "\${var.bucket}"
  },
  "source": { "amazon-ebs": { "x": {
    "region": "us-east-1"
  } } },
  "build": { "sources": ["source.amazon-ebs.x"] }
}
`;
  const s = await start({ 'main.pkr.json': text });
  const uri = s.uri('main.pkr.json');
  const w = s.diagnostics(uri, 1);
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'json', version: 1, text } });
  await w;
  const h = await hover(s, uri, 3, 8);
  assert.is(h, '**HCP Packer bucket**: Packer will use `"web-base"`, from this bucket_name, set by var.bucket (the default at main.pkr.json:2).');
  const complete = (line: number, character: number) => s.conn.sendRequest<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
  // A new line in the source: its arguments, as JSON keys, without those present.
  const src = await complete(6, 0);
  const ami = src.find((c) => c.label === 'ami_name');
  assert.equal({ detail: ami?.detail, edit: ami?.textEdit }, { detail: 'string', edit: { range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, newText: '"ami_name": ' } });
  assert.not.ok(src.some((c) => c.label === 'region'));
  // A key half typed in the registry block: the text does not parse; the typed quote and letters are replaced.
  const typing = text.replace('"${var.bucket}"\n', '"${var.bucket}",\n    "desc\n');
  await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: typing }] });
  const reg = await complete(4, 9);
  const desc = reg.find((c) => c.label === 'description');
  assert.equal(desc?.textEdit, { range: { start: { line: 4, character: 4 }, end: { line: 4, character: 9 } }, newText: '"description": ' });
  // While the file does not parse, the bucket is not guessed.
  assert.is(await hover(s, uri, 3, 8), '**HCP Packer bucket**: not known while main.pkr.json does not parse.');
});

test('findings with no place in a file are shown on the first line; a bad request does not stop the server', async () => {
  // c.pkr.hcl, on disk and not open, does not parse: a.pkr.hcl says so, and keeps its own findings.
  const s = await start({ 'a.pkr.hcl': A, 'c.pkr.hcl': 'build {\n' }, { envFiles: ['missing.env'] });
  const uri = s.uri('a.pkr.hcl');
  const w = s.diagnostics(uri, 1);
  await openDoc(s, 'a.pkr.hcl', A);
  const ds = shown(await w);
  assert.equal(ds.length, 4, ds.join('\n'));
  assert.match(ds[0], /^1:1-1:1 warning undefined env file missing.env \(setting envFiles\) cannot be used: .*missing.env/);
  assert.match(ds[1], /^1:1-1:1 error syntax c.pkr.hcl:\d+: .*; this file belongs to the same configuration, which was checked only in part$/);
  assert.equal(ds.slice(2), [BUCKET_AB, UNKNOWN_ARG]);
  // Hover on a document the server does not know, and a position far outside the text.
  assert.is(await hover(s, s.uri('nope.pkr.hcl'), 3, 3), undefined);
  assert.is(await hover(s, uri, 999, 999), undefined);
  // A malformed request fails inside the service: it is answered empty and logged, and the server goes on.
  const bad = await s.conn.sendRequest<unknown[]>('textDocument/codeAction', { textDocument: { uri }, range: null, context: { diagnostics: [] } });
  assert.equal(bad, []);
  assert.ok(s.logs.some((l) => l.startsWith('pkrlint: code actions: TypeError')), s.logs.join('\n'));
  // Still alive and answering.
  const w2 = s.diagnostics(uri, 2);
  await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: B }] });
  assert.equal(shown(await w2).length, 2);
});

test('a legacy JSON template and a variable file are checked too', async () => {
  const legacy = '{\n  "builders": [{"type": "null", "communicator": "none"}]\n}\n';
  const s = await start({ 'legacy.json': legacy });
  const w = s.diagnostics(s.uri('legacy.json'), 1);
  await openDoc(s, 'legacy.json', legacy);
  assert.equal(shown(await w), [
    '1:1-1:2 info json-legacy-template legacy JSON template: HCP Packer metadata (bucket name, description, labels, channels) can only come from HCP_PACKER_BUCKET_NAME; run `pkrlint migrate legacy.json` to convert it to HCL2 with an hcp_packer_registry block',
  ]);
  const w2 = s.diagnostics(s.uri('x.pkrvars.hcl'), 1);
  await openDoc(s, 'x.pkrvars.hcl', 'bucket = "x"\nbroken = \n');
  assert.equal(shown(await w2).map((d) => d.replace(/-\d+:\d+ /, ' ')), ['2:1 error syntax expected a value after "broken ="']);
});

test('fuzz: the fuzz mutants as document changes; every request is answered and the server never exits', async () => {
  const fixtures = collectFixtures().files;
  const s = await start({}, { debounceMs: 0 });
  let exited = false;
  s.proc.on('exit', () => (exited = true));
  const rng = mulberry32(20240611);
  let changes = 0;
  let requests = 0;
  // Every seventh fixture file, with four mutants each, sent in turn as changes of one open document per file.
  for (let k = 0; k < fixtures.length; k += 7) {
    const fx = fixtures[k];
    const name = `f${k}-${fx.name}`;
    const uri = s.uri(name);
    let text = fx.bytes.toString('utf8');
    await openDoc(s, name, text);
    for (let i = 0; i < 4; i++) {
      const next = mutate(fx.bytes, mulberry32(mutantSeed(20240611, fixtureKey(fx), i))).bytes.toString('utf8');
      // Sent as an incremental change: the span between the texts' common start and common end.
      const before = TextDocument.create(uri, 'hcl', 0, text);
      let a = 0;
      while (a < text.length && a < next.length && text[a] === next[a]) a++;
      let b = 0;
      while (b < text.length - a && b < next.length - a && text[text.length - 1 - b] === next[next.length - 1 - b]) b++;
      const range = { start: before.positionAt(a), end: before.positionAt(text.length - b) };
      await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [{ range, text: next.slice(a, next.length - b) }] });
      text = next;
      changes++;
      const lines = text.split('\n');
      const line = Math.floor(rng() * (lines.length + 2));
      const position = { line, character: Math.floor(rng() * ((lines[line]?.length ?? 0) + 3)) };
      const answers = await Promise.all([
        s.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position }),
        s.conn.sendRequest('textDocument/completion', { textDocument: { uri }, position }),
        s.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [] } }),
        s.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: position, end: position }, context: { diagnostics: [], only: ['source.fixAll'] } }),
      ]);
      requests += answers.length;
    }
    // The last version's diagnostics come, whatever the text.
    await s.diagnostics(uri, 5, 0);
    await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
    assert.not.ok(exited, `the server exited after ${name}`);
  }
  assert.ok(changes >= 40, `${changes} changes`);
  assert.is(requests, changes * 4);
  // Internal errors are answered and logged; none is expected from any text.
  assert.equal(s.logs.filter((l) => l.startsWith('pkrlint:')), []);
  assert.not.ok(exited);
});

test('Neovim 0.7: the init.lua of docs/editors.md, as written, gives diagnostics, hover, fix all and updated findings', () => {
  const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  if (nvim.status !== 0) {
    console.log('nvim not installed: the Neovim set-up was not run');
    return;
  }
  const docs = readFileSync(join(ROOT, 'docs', 'editors.md'), 'utf8');
  const init = /<!-- neovim-0\.7 -->\n```lua\n([\s\S]*?)```/.exec(docs)?.[1];
  assert.ok(init, 'docs/editors.md has the Neovim 0.7 block');
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-nvim-'));
  try {
    mkdirSync(join(dir, 'project', '.git'), { recursive: true });
    mkdirSync(join(dir, 'bin'));
    // `pkrlint` on PATH, as after npm install -g.
    symlinkSync(join(ROOT, 'bin', 'pkrlint'), join(dir, 'bin', 'pkrlint'));
    writeFileSync(join(dir, 'project', 'a.pkr.hcl'), FIXABLE);
    writeFileSync(join(dir, 'init.lua'), init);
    // What a user does, scripted: wait for the findings, hover on bucket_name, fix all (the one action chosen).
    writeFileSync(
      join(dir, 'drive.lua'),
      `local out = {}
local function codes()
  local t = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(t, (d.lnum + 1) .. ' ' .. tostring(d.code or lsp.code))
  end
  table.sort(t)
  return table.concat(t, ', ')
end
vim.wait(20000, function() return #vim.diagnostic.get(0) >= 4 end, 50)
table.insert(out, 'diagnostics: ' .. codes())
local params = { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = 6, character = 6 } }
local hover = vim.lsp.buf_request_sync(0, 'textDocument/hover', params, 10000)
for _, r in pairs(hover or {}) do if r.result then table.insert(out, 'hover: ' .. r.result.contents.value) end end
vim.ui.select = function(items, _, on_choice) on_choice(items[1], 1) end
vim.lsp.buf.code_action({ only = { 'source.fixAll' } })
local function moved()
  for i, l in ipairs(vim.api.nvim_buf_get_lines(0, 0, -1, false)) do if l == 'hcp_packer_registry {' then return i end end
end
vim.wait(10000, function() return moved() ~= nil end, 50)
table.insert(out, 'top-level block at line ' .. tostring(moved()) .. ', bucket_labels: ' .. tostring(vim.fn.search('^  bucket_labels = {$', 'n')))
vim.wait(10000, function() return #vim.diagnostic.get(0) <= 2 end, 50)
table.insert(out, 'diagnostics after: ' .. codes())
vim.fn.writefile(out, '${join(dir, 'out.txt')}')
vim.cmd('qa!')
`,
    );
    const r = spawnSync('nvim', ['--headless', '-i', 'NONE', '-u', join(dir, 'init.lua'), '-c', `luafile ${join(dir, 'drive.lua')}`, join(dir, 'project', 'a.pkr.hcl')], {
      cwd: join(dir, 'project'),
      env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`, XDG_CONFIG_HOME: join(dir, 'config'), XDG_DATA_HOME: join(dir, 'data'), XDG_STATE_HOME: join(dir, 'state'), XDG_CACHE_HOME: join(dir, 'cache') },
      encoding: 'utf8',
      timeout: 90000,
    });
    const out = readFileSync(join(dir, 'out.txt'), 'utf8').trim().split('\n');
    assert.equal(out[0], 'diagnostics: 6 registry-in-build-deprecated, 7 registry-env-override, 8 registry-unknown-argument, 9 registry-labels-deprecated', `${out.join('\n')}\n${r.stderr}`);
    assert.is(out[1], 'hover: **HCP Packer bucket**: Packer will use `"web"`, from HCP_PACKER_BUCKET_NAME (the editor setting env.HCP_PACKER_BUCKET_NAME); it overrides the template\'s bucket_name.');
    assert.is(out[2], 'top-level block at line 5, bucket_labels: 8');
    assert.is(out[3], 'diagnostics after: 6 registry-env-override, 7 registry-unknown-argument');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the VS Code extension: its settings are the server\'s settings of docs/editors.md, each passed on', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'editors', 'vscode', 'package.json'), 'utf8')) as { main: string; contributes: { configuration: { properties: Record<string, unknown> } }; dependencies: Record<string, string> };
  // The extension's own: the command it starts, and which files it hands over.
  const own = ['path', 'legacyJson'];
  const keys = Object.keys(pkg.contributes.configuration.properties).map((k) => k.replace(/^pkrlint\./, '')).filter((k) => !own.includes(k));
  const docs = readFileSync(join(ROOT, 'docs', 'editors.md'), 'utf8');
  const table = docs.slice(docs.indexOf('## Settings'), docs.indexOf('## Neovim'));
  const documented = [...table.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]);
  assert.equal(keys.sort(), documented.sort());
  const extension = readFileSync(join(ROOT, 'editors', 'vscode', pkg.main), 'utf8');
  for (const k of keys) assert.match(extension, new RegExp(`${k}: config\\.get\\('${k}'\\)`), k);
  assert.match(extension, /args: \['lsp'\]/);
  assert.ok(pkg.dependencies['vscode-languageclient']);
});

test('shutdown and exit end the process with status 0', async () => {
  const s = await start({ 'a.pkr.hcl': A });
  const exited = new Promise<number | null>((resolve) => s.proc.on('exit', (code) => resolve(code)));
  await s.conn.sendRequest('shutdown');
  await s.conn.sendNotification('exit');
  assert.is(await exited, 0);
});

test.after(() => {
  for (const s of servers) {
    s.conn.dispose();
    s.proc.kill();
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test.run();
