/**
 * The fuzz mutator, shared by test/fuzz.test.ts (a small, seeded budget in `npm test`) and, when run as a program,
 * a long fuzz run: `npm run fuzz -- --iterations 100000 --seed 7`.
 *
 * A mutant is one fixture file changed by one to three operators (truncation, byte flips, token insertions, deleted,
 * duplicated and swapped lines). It is written into a scratch directory next to the other files of its fixture's unit
 * and checked in-process with runCheck, twice: over the directory, and with the file named (a pre-commit call).
 * A mutant fails when check throws, when a diagnostic is malformed (rule id, severity, message, offsets inside the
 * file's text), when the formatters throw on the result, or when a truncation that leaves a block, string or heredoc
 * open gives no `syntax` diagnostic.
 *
 * Two more generators aim at untrusted input (docs/security.md): `structuralMutant` nests constructs thousands deep
 * or repeats a token thousands of times (the inputs that once overflowed the stack or made parsing quadratic), and
 * `fsMutant` puts links (out of the tree, dangling, looping, to a directory) and FIFOs beside the unit's files. For
 * those a mutant also fails when a special entry gets no finding, when the content behind a link out of the tree
 * shows in any output, or when one check takes longer than SLOW_MS (a hang or a quadratic blow-up).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCheck } from '../src/lint/run.js';
import type { Diagnostic } from '../src/lint/lint.js';
import { toResults } from '../src/report/model.js';
import { formatJson } from '../src/report/json.js';
import { formatCompact } from '../src/report/compact.js';
import { formatStylish } from '../src/report/stylish.js';
import { ROOT, envOf } from '../test/_helpers.js';

// ---------------------------------------------------------------------------------------------------------------
// Randomness

/** mulberry32: a tiny deterministic PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit seed for (run seed, fixture, mutant index), so one mutant can be replayed alone. */
export function mutantSeed(seed: number, key: string, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const ch of `${key}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

const int = (rng: () => number, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: () => number, xs: readonly T[]): T => xs[int(rng, xs.length)];

// ---------------------------------------------------------------------------------------------------------------
// Mutation

/** Inserted (or written over a byte): the characters that open, close or escape HCL and JSON constructs. */
export const TOKENS: readonly string[] = [
  '{', '}', '"', '$', '${', '%{', '$${', '%%{', '<<EOF\n', '<<-EOF\n', 'EOF\n', '\r', '\0', '\n', '[', ']', '(', ')',
  '=', ':', ',', '#', '//', '/*', '*/', '\\', '\\u', "'", 'é', '\u00a0', '\u2028', '\uFEFF', '😀', '\uD800', '~}',
  '${var.', 'local.', '...', '=>', '\t',
];

export type OpKind = 'truncate' | 'flip' | 'insert' | 'replace' | 'delete-lines' | 'duplicate-line' | 'swap-lines';
const OPS: readonly OpKind[] = ['truncate', 'flip', 'insert', 'replace', 'delete-lines', 'duplicate-line', 'swap-lines'];

export interface Mutant {
  bytes: Buffer;
  /** What was done, in order, e.g. `truncate@120`, `insert "%{"@33`. */
  ops: string[];
  /** Set when the only operator was a truncation: the byte offset of the cut. */
  truncatedAt?: number;
}

function lines(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let s = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0x0a) {
      out.push(buf.subarray(s, i + 1));
      s = i + 1;
    }
  }
  if (s < buf.length) out.push(buf.subarray(s));
  return out;
}

function applyOp(buf: Buffer, op: OpKind, rng: () => number): { bytes: Buffer; desc: string; cut?: number } {
  const len = buf.length;
  switch (op) {
    case 'truncate': {
      const at = int(rng, Math.max(len, 1));
      return { bytes: Buffer.from(buf.subarray(0, at)), desc: `truncate@${at}`, cut: at };
    }
    case 'flip': {
      const out = Buffer.from(buf);
      const n = 1 + int(rng, 4);
      const at: string[] = [];
      for (let i = 0; i < n && out.length; i++) {
        const p = int(rng, out.length);
        const bit = 1 << int(rng, 8);
        out[p] ^= bit;
        at.push(`${p}^${bit}`);
      }
      return { bytes: out, desc: `flip ${at.join(',')}` };
    }
    case 'insert':
    case 'replace': {
      const tok = pick(rng, TOKENS);
      const p = int(rng, len + 1);
      const end = op === 'replace' ? Math.min(len, p + 1) : p;
      return { bytes: Buffer.concat([buf.subarray(0, p), Buffer.from(tok, 'utf8'), buf.subarray(end)]), desc: `${op} ${JSON.stringify(tok)}@${p}` };
    }
    case 'delete-lines': {
      const ls = lines(buf);
      if (!ls.length) return { bytes: Buffer.from(buf), desc: 'delete-lines (empty)' };
      const a = int(rng, ls.length);
      const n = 1 + int(rng, 3);
      return { bytes: Buffer.concat([...ls.slice(0, a), ...ls.slice(a + n)]), desc: `delete-lines ${a + 1}+${n}` };
    }
    case 'duplicate-line': {
      const ls = lines(buf);
      if (!ls.length) return { bytes: Buffer.from(buf), desc: 'duplicate-line (empty)' };
      const a = int(rng, ls.length);
      const to = int(rng, ls.length + 1);
      const copy = ls[a];
      ls.splice(to, 0, copy);
      return { bytes: Buffer.concat(ls), desc: `duplicate-line ${a + 1}->${to + 1}` };
    }
    case 'swap-lines': {
      const ls = lines(buf);
      if (ls.length < 2) return { bytes: Buffer.from(buf), desc: 'swap-lines (short)' };
      const a = int(rng, ls.length);
      const b = int(rng, ls.length);
      [ls[a], ls[b]] = [ls[b], ls[a]];
      return { bytes: Buffer.concat(ls), desc: `swap-lines ${a + 1}<->${b + 1}` };
    }
  }
}

/** One mutant of `original`: a truncation alone one time in four, else one to three of the other operators. */
export function mutate(original: Buffer, rng: () => number): Mutant {
  if (rng() < 0.25) {
    const r = applyOp(original, 'truncate', rng);
    return { bytes: r.bytes, ops: [r.desc], truncatedAt: r.cut };
  }
  let bytes = original;
  const ops: string[] = [];
  const n = 1 + int(rng, 3);
  for (let i = 0; i < n; i++) {
    const r = applyOp(bytes, pick(rng, OPS.slice(1)), rng);
    bytes = r.bytes;
    ops.push(r.desc);
  }
  return { bytes, ops };
}

// ---------------------------------------------------------------------------------------------------------------
// Structure: depth and repetition

/** Openers and closers that nest, in HCL and in JSON. */
const NESTERS_HCL: ReadonlyArray<readonly [string, string]> = [
  ['[', ']'], ['{', '}'], ['(', ')'], ['"${', '}"'], ['a {\n', '}\n'], ['f(', ')'], ['{ a = ', ' }'], ['<<EOF\n${', '}\nEOF\n'], ['%{ if x }', '%{ endif }'], ['x ? ', ' : y'],
];
const NESTERS_JSON: ReadonlyArray<readonly [string, string]> = [['[', ']'], ['{"a":', '}'], ['{"a":[', ']}']];
/** Repeated: tokens that open, close or confuse, and whole lines. */
const REPEATS: readonly string[] = [...TOKENS, '"}', '${"', 'a = 1\n', '# c\n', 'locals {\n  a = "b"\n}\n', 'x\u00e9', '\\u00e9'];

/**
 * A fixture file with a generated chunk at a line boundary: a construct nested `depth` deep (closed or left open),
 * or one token repeated. Sizes stay under `maxBytes`.
 */
export function structuralMutant(original: Buffer, rng: () => number, json: boolean, maxBytes = 256 * 1024): Mutant {
  const ls = lines(original);
  const at = int(rng, ls.length + 1);
  let chunk: string;
  let desc: string;
  if (rng() < 0.6) {
    const [open, close] = pick(rng, json ? NESTERS_JSON : NESTERS_HCL);
    const depth = Math.max(1, Math.min(pick(rng, [10, 60, 130, 1000, 5000, 12000, 30000]), Math.floor(maxBytes / (open.length + close.length + 1))));
    const closed = rng() < 0.6;
    chunk = `${json ? '' : 'z = '}${open.repeat(depth)}${json ? '1' : 'x'}${closed ? close.repeat(depth) : ''}\n`;
    desc = `nest ${JSON.stringify(open)}x${depth}${closed ? '' : ' (open)'}@line${at + 1}`;
  } else {
    const tok = pick(rng, REPEATS);
    const count = Math.max(1, Math.min(pick(rng, [100, 1000, 10000, 100000]), Math.floor(maxBytes / Math.max(tok.length, 1))));
    chunk = tok.repeat(count);
    desc = `repeat ${JSON.stringify(tok)}x${count}@line${at + 1}`;
  }
  return { bytes: Buffer.concat([...ls.slice(0, at), Buffer.from(chunk, 'utf8'), ...ls.slice(at)]), ops: [desc] };
}

// ---------------------------------------------------------------------------------------------------------------
// The file system: links and special files beside a unit

export type FsKind = 'link-out' | 'link-out-dir' | 'dangling' | 'loop' | 'fifo' | 'dir' | 'link-dir' | 'link-in';
const FS_KINDS: readonly FsKind[] = ['link-out', 'link-out-dir', 'dangling', 'loop', 'fifo', 'dir', 'link-dir', 'link-in'];

/** Text behind every link out of the tree: it must never show in any output. */
export const OUTSIDE_SECRET = 'PKRLINT_FUZZ_OUTSIDE_SECRET_7d41';

export interface FsMutant {
  kind: FsKind;
  /** The entry's name in the unit directory. */
  name: string;
}

/** One special entry to add beside a fixture's files, named like a template (or, one time in three, like JSON). */
export function fsMutant(rng: () => number): FsMutant {
  const kind = pick(rng, FS_KINDS);
  const ext = pick(rng, ['.pkr.hcl', '.pkr.hcl', '.pkr.json', '.auto.pkrvars.hcl', '.json']);
  return { kind, name: `zz-${kind}${ext}` };
}

/** Creates the entry in `dir`; `outside` is a directory beside the unit holding the secret. */
function makeFsEntry(dir: string, outside: string, m: FsMutant, sibling: string | undefined): void {
  const p = join(dir, m.name);
  switch (m.kind) {
    case 'link-out':
      symlinkSync(join(outside, 'secret.pkr.hcl'), p);
      break;
    case 'link-out-dir':
      // The entry itself is inside; its real path is not (a directory on its way is a link).
      symlinkSync(outside, join(dir, 'zz-outdir'));
      symlinkSync(join('zz-outdir', 'secret.pkr.hcl'), p);
      break;
    case 'dangling':
      symlinkSync('no-such-file', p);
      break;
    case 'loop':
      symlinkSync(`${m.name}.b`, p);
      symlinkSync(m.name, `${p}.b`);
      break;
    case 'fifo': {
      const r = spawnSync('mkfifo', [p]);
      if (r.status !== 0) throw new Error(`mkfifo failed: ${String(r.stderr)}`);
      break;
    }
    case 'dir':
      mkdirSync(p);
      break;
    case 'link-dir':
      symlinkSync('.', p);
      break;
    case 'link-in':
      symlinkSync(sibling ?? 'no-sibling', p);
      break;
  }
}

/** Whether the entry must get a finding of its own: everything but a directory and a link inside the tree. */
function fsNeedsFinding(m: FsMutant, sibling: string | undefined): boolean {
  if (m.kind === 'dir') return false;
  if (m.kind === 'link-in') return sibling === undefined;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// An approximate HCL scanner, for the truncation assertion

/**
 * Scans HCL text and tells whether anything is left open at the end: a `{`, `[` or `(` outside strings and comments,
 * a quoted string, a heredoc, an interpolation or a block comment. Approximate (it does not parse), so callers only
 * trust it on a fixture where it finds the whole text closed.
 */
export function hclOpenAtEnd(text: string): boolean {
  // Each code context (the file, or one interpolation) counts its own open brackets.
  type Ctx = { k: 'code'; interp: boolean; depth: number } | { k: 'str' } | { k: 'heredoc'; marker: string };
  const stack: Ctx[] = [{ k: 'code', interp: false, depth: 0 }];
  let i = 0;
  const n = text.length;
  let atLineStart = true;
  while (i < n) {
    const top = stack[stack.length - 1];
    const c = text[i];
    const c2 = text.slice(i, i + 2);
    if (top.k === 'code') {
      if (c === '#' || c2 === '//') {
        while (i < n && text[i] !== '\n') i++;
        continue;
      }
      if (c2 === '/*') {
        const e = text.indexOf('*/', i + 2);
        if (e < 0) return true;
        i = e + 2;
        continue;
      }
      if (c === '"') {
        stack.push({ k: 'str' });
        i++;
        continue;
      }
      const h = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n/.exec(text.slice(i, i + 200));
      if (h) {
        stack.push({ k: 'heredoc', marker: h[1] });
        i += h[0].length;
        atLineStart = true;
        continue;
      }
      if (c === '{' || c === '[' || c === '(') top.depth++;
      else if (c === '}' || c === ']' || c === ')') {
        if (c === '}' && top.interp && top.depth === 0) stack.pop();
        else if (--top.depth < 0) return true; // unbalanced: not a text this scanner can judge
      }
      i++;
      continue;
    }
    if (top.k === 'str') {
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c2 === '$$' || c2 === '%%') {
        i += 2;
        continue;
      }
      if (c === '"') {
        stack.pop();
        i++;
        continue;
      }
      if (c2 === '${' || c2 === '%{') {
        stack.push({ k: 'code', interp: true, depth: 0 });
        i += 2;
        continue;
      }
      i++;
      continue;
    }
    // heredoc
    if (atLineStart) {
      const eol = text.indexOf('\n', i);
      const line = text.slice(i, eol < 0 ? n : eol).replace(/\r$/, '');
      if (line.trim() === top.marker) {
        stack.pop();
        i = eol < 0 ? n : eol;
        atLineStart = false;
        continue;
      }
    }
    atLineStart = false;
    if (c2 === '$$' || c2 === '%%') {
      i += 2;
      continue;
    }
    if (c2 === '${' || c2 === '%{') {
      stack.push({ k: 'code', interp: true, depth: 0 });
      i += 2;
      continue;
    }
    if (c === '\n') atLineStart = true;
    i++;
  }
  return stack.length !== 1 || (stack[0] as { depth: number }).depth !== 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

export interface FixtureFile {
  /** The fixture unit's directory. */
  dir: string;
  name: string;
  bytes: Buffer;
}

const PACKER_FILE = /\.(pkr\.hcl|pkr\.json|pkrvars\.hcl|pkrvars\.json|json)$/;

/** Every file of fixtures/templates/<unit>/ and fixtures/rules/<rule>/<case>/ (case.json, the tester's, excepted). */
export function collectFixtures(): { units: string[]; files: FixtureFile[] } {
  const units: string[] = [];
  const templates = join(ROOT, 'fixtures', 'templates');
  if (existsSync(templates)) for (const u of readdirSync(templates).sort()) units.push(join(templates, u));
  const rules = join(ROOT, 'fixtures', 'rules');
  if (existsSync(rules)) for (const r of readdirSync(rules).sort()) for (const c of readdirSync(join(rules, r)).sort()) units.push(join(rules, r, c));
  const dirs = units.filter((d) => statSync(d).isDirectory());
  const files: FixtureFile[] = [];
  for (const dir of dirs) {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'case.json' || !PACKER_FILE.test(name) || !statSync(join(dir, name)).isFile()) continue;
      files.push({ dir, name, bytes: readFileSync(join(dir, name)) });
    }
  }
  return { units: dirs, files };
}

export const fixtureKey = (f: FixtureFile) => `${relative(join(ROOT, 'fixtures'), f.dir)}/${f.name}`;

// ---------------------------------------------------------------------------------------------------------------
// Checking

const SEVERITIES = new Set(['error', 'warning', 'info']);

function checkDiagnostics(ds: unknown, where: string): string[] {
  if (!Array.isArray(ds)) return [`${where}: diagnostics is not an array`];
  const bad: string[] = [];
  const range = (text: string, s: unknown, e: unknown, what: string) => {
    if (s === undefined && e === undefined) return;
    const ok = Number.isInteger(s) && (e === undefined || Number.isInteger(e)) && (s as number) >= 0 && (s as number) <= ((e ?? s) as number) && ((e ?? s) as number) <= text.length;
    if (!ok) bad.push(`${what}: bad range start=${String(s)} end=${String(e)} (text length ${text.length})`);
  };
  (ds as Diagnostic[]).forEach((d, i) => {
    const what = `${where} diagnostic #${i} (${d?.ruleId}: ${d?.message})`;
    if (typeof d?.ruleId !== 'string' || !d.ruleId) bad.push(`${what}: no ruleId`);
    if (!SEVERITIES.has(d?.severity)) bad.push(`${what}: severity ${String(d?.severity)}`);
    if (typeof d?.message !== 'string' || !d.message.trim()) bad.push(`${what}: empty message`);
    if (d?.file) range(d.file.text, d.start, d.end, what);
    for (const ed of d?.fix?.edits ?? []) range(ed.file.text, ed.start, ed.end, `${what} fix edit`);
  });
  return bad;
}

export interface Outcome {
  /** Problems found; empty when the mutant passed. */
  problems: string[];
  /** Whether the mutated file got a syntax diagnostic (in the run that names it). */
  syntax: boolean;
  ms: number;
}

/** One check taking longer than this is a failure: a hang, or growth far from linear (a parse is cut at ~10 s/MiB). */
export const SLOW_MS = 30_000;

/**
 * Lays out the fixture's unit in `work` (siblings copied, the mutated file written under its own name) and checks it.
 * `expectSyntax` asks for a syntax diagnostic on the mutated file in the run that names it.
 */
export function checkMutant(work: string, fx: FixtureFile, bytes: Buffer, expectSyntax = false, fs?: FsMutant): Outcome {
  const unit = join(work, 'unit');
  const outside = join(work, 'outside');
  rmSync(unit, { recursive: true, force: true });
  mkdirSync(unit, { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'secret.pkr.hcl'), `locals {\n  a = "${OUTSIDE_SECRET}"\n}\n${OUTSIDE_SECRET} = = =\n`);
  let sibling: string | undefined;
  for (const name of readdirSync(fx.dir)) {
    if (name === 'case.json' || name === fx.name) continue;
    const p = join(fx.dir, name);
    if (statSync(p).isFile()) {
      copyFileSync(p, join(unit, name));
      sibling ??= name;
    }
  }
  const target = join(unit, fx.name);
  writeFileSync(target, bytes);
  if (fs) makeFsEntry(unit, outside, fs, sibling);
  const problems: string[] = [];
  let syntax = false;
  const t0 = performance.now();
  // The directory (the unit as a whole), then the file alone (a pre-commit call; the only way a broken legacy .json is read).
  for (const paths of [[unit], [target]]) {
    const where = paths[0] === unit ? 'check <dir>' : 'check <file>';
    try {
      const t1 = performance.now();
      const r = runCheck({ paths, cwd: work, ignore: [], env: envOf(), varFiles: [], vars: [] });
      const ms = performance.now() - t1;
      if (ms > SLOW_MS) problems.push(`${where} took ${(ms / 1000).toFixed(1)} s`);
      const bad = checkDiagnostics(r?.diagnostics, where);
      problems.push(...bad);
      if (!bad.length) {
        const results = toResults(r.diagnostics, r.files.length);
        const out = [formatJson(results), formatCompact(results), formatStylish(results, false), formatStylish(results, true)].join('\n');
        if (out.includes(OUTSIDE_SECRET)) problems.push(`${where}: the content behind a link out of the tree shows in the output`);
      }
      if (paths[0] === target) syntax = r.diagnostics.some((d) => d.ruleId === 'syntax' && d.file?.path === target);
      if (fs && paths[0] === unit && fsNeedsFinding(fs, sibling)) {
        const entry = join(unit, fs.name);
        // A special entry of a configuration gets a finding; JSON met in a search, a warning; unless the unit has
        // no configuration at all (a directory of only variable files, or a legacy template beside it).
        const inConfig = r.diagnostics.some((d) => d.file?.path === entry && d.ruleId === 'syntax' && /^not read: /.test(d.message));
        const unitChecked = r.files.some((f) => f.endsWith('.pkr.hcl') || f.endsWith('.pkr.json')) || fs.name.endsWith('.json');
        if (!inConfig && unitChecked) problems.push(`${where}: ${fs.kind} entry ${fs.name} has no "not read" finding`);
      }
    } catch (e) {
      problems.push(`${where} threw: ${(e as Error)?.stack ?? String(e)}`);
    }
  }
  if (expectSyntax && !syntax && !problems.length) problems.push('truncated inside an open construct, but no syntax diagnostic on the file');
  return { problems, syntax, ms: performance.now() - t0 };
}

/**
 * Whether a truncation of this fixture file must give a syntax error, and from which cut on. For HCL: the original
 * parses and the scanner finds it closed, so a cut the scanner finds open is a sure syntax error. For JSON: any cut
 * before the last non-blank character. Undefined: no assertion for this file.
 */
export function truncationOracle(work: string, fx: FixtureFile): ((cut: number) => boolean) | undefined {
  const base = checkMutant(work, fx, fx.bytes);
  if (base.problems.length || base.syntax) return undefined;
  const strip = (b: Buffer) => b.toString('utf8').replace(/^\uFEFF/, '');
  if (/\.(pkr\.hcl|pkrvars\.hcl)$/.test(fx.name)) {
    if (hclOpenAtEnd(strip(fx.bytes))) return undefined;
    return (cut) => hclOpenAtEnd(strip(fx.bytes.subarray(0, cut)));
  }
  const full = strip(fx.bytes).trimEnd().length;
  return (cut) => {
    const t = strip(fx.bytes.subarray(0, cut)).trim();
    return t.length > 0 && strip(fx.bytes.subarray(0, cut)).trimEnd().length < full;
  };
}

export function makeWorkDir(): string {
  return mkdtempSync(join(tmpdir(), 'pkrlint-fuzz-'));
}

/** Pretty reproducer: the file name, the ops and the text as a JSON string (bytes that are not UTF-8 as base64 too). */
export function reproducer(fx: FixtureFile, m: Mutant, seed: number, index: number, problems: string[]): string {
  const text = m.bytes.toString('utf8');
  const exact = Buffer.from(text, 'utf8').equals(m.bytes);
  return [
    `fixture: fixtures/${fixtureKey(fx)} (siblings: ${readdirSync(fx.dir).filter((n) => n !== fx.name && n !== 'case.json').join(', ') || 'none'})`,
    `seed: ${seed}  mutant: ${index}  ops: ${m.ops.join(' | ')}`,
    `text (${m.bytes.length} bytes): ${JSON.stringify(text)}`,
    ...(exact ? [] : [`bytes (base64, not valid UTF-8): ${m.bytes.toString('base64')}`]),
    ...problems,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// The long run

function main(argv: string[]): number {
  const flag = (name: string, dflt: number) => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? Number(argv[i + 1]) : dflt;
    if (!Number.isFinite(v)) throw new Error(`--${name}: not a number`);
    return v;
  };
  const iterations = flag('iterations', 20000);
  const seed = flag('seed', Date.now() % 1_000_000) >>> 0;
  // One mutant in `--structural-every` is a structural one (up to 1 MiB), one in `--fs-every` a file-system one.
  const structuralEvery = flag('structural-every', 20);
  const fsEvery = flag('fs-every', 20);
  const { files } = collectFixtures();
  if (!files.length) {
    console.error('no fixture files found');
    return 2;
  }
  const out = join(ROOT, 'bench', 'out');
  const work = makeWorkDir();
  const oracles = new Map<FixtureFile, ((cut: number) => boolean) | undefined>();
  console.log(`fuzz-long: seed ${seed}, ${iterations} mutants over ${files.length} fixture files; replay with --seed ${seed}`);
  const rng = mulberry32(seed);
  let crashes = 0;
  let syntaxChecked = 0;
  let slowest = { ms: 0, what: '' };
  const t0 = performance.now();
  try {
    for (let i = 0; i < iterations; i++) {
      const fx = files[int(rng, files.length)];
      const mrng = mulberry32(mutantSeed(seed, fixtureKey(fx), i));
      const structural = structuralEvery > 0 && i % structuralEvery === structuralEvery - 1;
      const fs = fsEvery > 0 && i % fsEvery === 0 ? fsMutant(mrng) : undefined;
      const m = structural ? structuralMutant(fx.bytes, mrng, /\.json$/.test(fx.name), 1024 * 1024 - 4096) : fs ? { bytes: fx.bytes, ops: [`fs ${fs.kind} ${fs.name}`] } : mutate(fx.bytes, mrng);
      if (!oracles.has(fx)) oracles.set(fx, truncationOracle(work, fx));
      const oracle = oracles.get(fx);
      const expectSyntax = m.truncatedAt !== undefined && !!oracle?.(m.truncatedAt);
      if (expectSyntax) syntaxChecked++;
      const o = checkMutant(work, fx, m.bytes, expectSyntax, fs);
      if (o.ms > slowest.ms) slowest = { ms: o.ms, what: `fixtures/${fixtureKey(fx)} #${i}` };
      if (o.problems.length) {
        crashes++;
        const dir = join(out, `crash-${seed}-${i}`);
        mkdirSync(dir, { recursive: true });
        for (const name of readdirSync(fx.dir)) if (name !== 'case.json' && name !== fx.name) copyFileSync(join(fx.dir, name), join(dir, name));
        writeFileSync(join(dir, fx.name), m.bytes);
        const rep = reproducer(fx, m, seed, i, o.problems);
        writeFileSync(join(dir, 'REPRODUCER.txt'), rep + '\n');
        console.log(`\nFAIL #${i}: saved to ${relative(ROOT, dir)}/\n${rep}\n`);
      }
      if ((i + 1) % 1000 === 0 || i + 1 === iterations) {
        const s = (performance.now() - t0) / 1000;
        console.log(`${i + 1}/${iterations} mutants, ${crashes} failing, ${syntaxChecked} truncations asserted, ${s.toFixed(1)} s (${((i + 1) / s).toFixed(0)}/s)`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`done: ${iterations} mutants, ${crashes} failing; slowest ${slowest.ms.toFixed(1)} ms (${slowest.what}); seed ${seed}`);
  return crashes ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && basename(process.argv[1]) === 'fuzz-long.js') {
  process.exitCode = main(process.argv.slice(2));
}
