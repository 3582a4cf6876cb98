/**
 * Units: what Packer builds together. A directory's `*.pkr.hcl` + `*.pkr.json` + `*.auto.pkrvars.*` form one
 * configuration; a legacy JSON template is a unit on its own.
 */
import { lstatSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { parseHcl, type HclFile, type SyntaxIssue } from '../syntax/hcl.js';
import { parseHclJson } from '../syntax/hcljson.js';
import { parseJson, type JsonDocument } from '../syntax/json.js';
import { clip, LineIndex, stripBom } from '../syntax/text.js';
import { errorWords, InputError } from './errors.js';
import { compileGlob, GlobError } from './glob.js';
import { readInput, repositoryRoot, type InputRead } from './input.js';
import { isLegacyTemplate } from './legacy.js';
import { jsonBlockLabels } from './schema.js';

/** `ci`: a CI file or dotenv file read for its environment (src/ci/); findings of CI contexts point into it. */
export type FileKind = 'hcl' | 'hcl-json' | 'pkrvars-hcl' | 'pkrvars-json' | 'legacy-json' | 'ci';

export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** As shown to the user: relative to the working directory. */
  display: string;
  kind: FileKind;
  /** Text without a byte order mark; offsets in diagnostics refer to it. */
  text: string;
  bom: boolean;
  lines: LineIndex;
  hcl?: HclFile;
  json?: JsonDocument;
  syntaxErrors: SyntaxIssue[];
}

export interface Unit {
  kind: 'hcl' | 'legacy' | 'varfile';
  /** Directory of an HCL configuration, or the template's path. */
  id: string;
  dir: string;
  files: SourceFile[];
}

export { InputError };

/** How the files of one search are read: the tree they must stay in, and the size limit. */
export interface LoadOptions {
  /** The directory whose tree a file's real path must stay in; default: the file's own directory. */
  root?: string;
  maxBytes?: number;
}

export function displayPath(abs: string, cwd: string): string {
  const r = relative(cwd, abs);
  return r === '' ? '.' : r.startsWith('..') ? abs : r.split(sep).join('/');
}

/** `file:line` of an offset, as messages cite places. */
export function fileLine(file: SourceFile, offset: number): string {
  return `${file.display}:${file.lines.position(offset).line}`;
}

export function isConfigFile(name: string): boolean {
  return name.endsWith('.pkr.hcl') || name.endsWith('.pkr.json');
}
export function isAutoVarFile(name: string): boolean {
  return name.endsWith('.auto.pkrvars.hcl') || name.endsWith('.auto.pkrvars.json');
}
export function isVarFile(name: string): boolean {
  return name.endsWith('.pkrvars.hcl') || name.endsWith('.pkrvars.json');
}

/** A file that was not read (a link out of the tree, a FIFO, too big…): no text, one finding that says why. */
export function unreadableFile(path: string, cwd: string, kind: FileKind, problem: string): SourceFile {
  return { path, display: displayPath(path, cwd), kind, text: '', bom: false, lines: new LineIndex(''), syntaxErrors: [{ message: `not read: ${problem}`, start: 0, end: 0 }] };
}

/** Reads and parses one file by its kind. Never throws on content or on an unreadable file: problems become findings. */
export function loadFile(path: string, cwd: string, kind: FileKind, opts: LoadOptions = {}): SourceFile {
  return fileFrom(path, cwd, kind, readInput(path, { explicit: false, root: opts.root ?? dirname(path), maxBytes: opts.maxBytes }));
}

/** A SourceFile from what was read (or not): parsed by its kind. */
export function fileFrom(path: string, cwd: string, kind: FileKind, read: InputRead | string, parsedJson?: JsonDocument): SourceFile {
  if (typeof read !== 'string' && !read.ok) return unreadableFile(path, cwd, kind, read.problem);
  const raw = typeof read === 'string' ? read : read.text;
  const { text, bom } = stripBom(raw);
  // Offsets of invalid UTF-8 in `text` (the byte order mark removed), with their byte offsets in the file.
  const invalid = typeof read === 'string' ? [] : read.invalidUtf8.map((x) => ({ offset: x.offset - (bom ? 1 : 0), byte: x.byte }));
  const base = { path, display: displayPath(path, cwd), kind, text, bom };
  if (kind === 'hcl' || kind === 'pkrvars-hcl') {
    const hcl = parseHcl(text);
    return { ...base, lines: hcl.lines, hcl, syntaxErrors: withEncoding(hcl.errors, invalid, hcl.comments) };
  }
  const json = parsedJson ?? parseJson(text, { go: kind === 'legacy-json' });
  // Packer's JSON readers do not skip a byte order mark (HCL's native reader does).
  const bomError = bom ? [{ message: `the file starts with a UTF-8 byte order mark, which Packer rejects (${kind === 'legacy-json' ? `"invalid character 'ï' looking for beginning of value"` : '"Invalid start of value"'}); save it without one`, start: 0, end: Math.min(1, text.length) }] : [];
  if (kind === 'hcl-json' || kind === 'pkrvars-json') {
    const hcl = parseHclJson(json, kind === 'hcl-json' ? jsonBlockLabels : () => undefined);
    return { ...base, lines: hcl.lines, hcl, syntaxErrors: bomError.length ? bomError : hcl.errors };
  }
  return { ...base, lines: json.lines, json, syntaxErrors: bomError.length ? bomError : json.errors.map((e) => ({ ...e })) };
}

/**
 * Invalid UTF-8 in native HCL is an error where Packer's scanner meets it ("Invalid character encoding"), which is
 * anywhere but in a comment; JSON readers replace it, as Go does. The error first in the file is the one reported.
 */
function withEncoding(errors: SyntaxIssue[], invalid: Array<{ offset: number; byte: number }>, comments: Array<{ start: number; end: number }>): SyntaxIssue[] {
  const bad = invalid.find((x) => !comments.some((c) => c.start <= x.offset && x.offset < c.end));
  if (!bad) return errors;
  const issue: SyntaxIssue = { message: `invalid UTF-8 at byte offset ${bad.byte}: Packer requires UTF-8 ("Invalid character encoding"); save the file as UTF-8`, start: bad.offset, end: bad.offset + 1 };
  return errors.length && errors[0].start < bad.offset ? errors : [issue];
}

/** What a file is by its name (Packer decides by name too); undefined for a name Packer does not load. */
export function fileKindOf(name: string): FileKind | undefined {
  if (name.endsWith('.pkr.hcl')) return 'hcl';
  if (name.endsWith('.pkr.json')) return 'hcl-json';
  if (name.endsWith('.pkrvars.hcl')) return 'pkrvars-hcl';
  if (name.endsWith('.pkrvars.json')) return 'pkrvars-json';
  return undefined;
}

/**
 * Loads the HCL configuration of a directory. Text already in memory (an editor buffer) may be passed in `overlay`.
 * A directory named like a template is not a file of the configuration (Packer ignores it too); anything else named
 * like one is, and a file that cannot be read safely is one with a finding instead of text.
 */
export function loadDirectoryUnit(dir: string, cwd: string, overlay?: Map<string, string>, opts: LoadOptions = {}): Unit {
  const files: SourceFile[] = [];
  for (const name of configurationNames(dir, overlay)) {
    const p = join(dir, name);
    const kind = fileKindOf(name)!;
    const text = overlay?.get(p);
    const read = text ?? readInput(p, { explicit: false, root: opts.root ?? dir, maxBytes: opts.maxBytes });
    // Gone between the listing and the read: not a file of the configuration.
    if (typeof read !== 'string' && !read.ok && read.reason === 'missing') continue;
    // A .pkr.json whose content is a legacy template is not part of the HCL configuration.
    const raw = typeof read === 'string' ? read : read.ok ? read.text : undefined;
    const json = raw !== undefined && (kind === 'hcl-json' || kind === 'pkrvars-json') ? parseJson(stripBom(raw).text) : undefined;
    if (kind === 'hcl-json' && json && isLegacyTemplate(json.root)) continue;
    files.push(fileFrom(p, cwd, kind, read, json));
  }
  return { kind: 'hcl', id: dir, dir, files };
}

/** The names of a directory's configuration files and auto variable files, sorted, with unsaved buffers among them. */
function configurationNames(dir: string, overlay?: Map<string, string>): string[] {
  // A buffer of a file not saved yet (standard input named as a new file) belongs to its directory's unit too.
  const buffers = [...(overlay?.keys() ?? [])].filter((p) => dirname(p) === dir).map((p) => basename(p));
  let entries: Array<{ name: string; isDirectory(): boolean }>;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !buffers.length) throw new InputError(`${dir}: cannot read directory: ${errorWords(e)}`);
    entries = [];
  }
  for (const name of buffers) if (!entries.some((e) => e.name === name)) entries.push({ name, isDirectory: () => false });
  return entries
    .sort(byName)
    .filter((ent) => (isConfigFile(ent.name) || isAutoVarFile(ent.name)) && !ent.isDirectory())
    .map((ent) => ent.name);
}

/**
 * The comment that marks an HCL file built on its own (`packer build file.pkr.hcl`) rather than with the other files
 * of its directory: `pkrlint migrate --layout side-by-side` writes it first in each output. It must stand in the
 * comment lines at the top of the file.
 */
export const STANDALONE_MARKER = 'pkrlint-standalone';
const MARKED = new RegExp(`^(#|//)\\s*${STANDALONE_MARKER}\\b`);

/** Whether an HCL file's leading comment lines hold the standalone marker (a scan of the top of the text only). */
export function isStandalone(file: SourceFile): boolean {
  if (file.kind !== 'hcl') return false;
  const text = file.text;
  for (let i = 0; i < text.length; ) {
    const nl = text.indexOf('\n', i);
    const line = text.slice(i, nl < 0 ? text.length : nl).trim();
    if (line !== '' && !line.startsWith('#') && !line.startsWith('//')) return false;
    if (MARKED.test(line)) return true;
    if (nl < 0) break;
    i = nl + 1;
  }
  return false;
}

/**
 * A directory's configuration without its standalone files, and each standalone file as a configuration of its own
 * (as `packer build file.pkr.hcl` loads it); undefined when the unit has none. The rest is dropped when it holds no
 * configuration file.
 */
export function standaloneParts(unit: Unit): Unit[] | undefined {
  if (unit.kind !== 'hcl' || unit.files.length < 2) return undefined;
  const alone = unit.files.filter(isStandalone);
  if (alone.length === 0) return undefined;
  const rest = unit.files.filter((f) => !alone.includes(f));
  const parts: Unit[] = rest.some((f) => f.kind === 'hcl' || f.kind === 'hcl-json') ? [{ ...unit, files: rest }] : [];
  for (const f of alone) parts.push({ kind: 'hcl', id: f.path, dir: unit.dir, files: [f] });
  return parts;
}

/** A unit found but not read yet: units are loaded one at a time, so memory does not grow with the repository. */
export interface UnitRef {
  id: string;
  /** Found by directory search: every finding is reported. Otherwise only findings in `requested` files. */
  searched: boolean;
  load(): Unit | undefined;
}

export interface Discovery {
  units: UnitRef[];
  /**
   * Files the user named. In a unit reached only through named files, findings in its other files are not
   * reported; a unit found by directory search reports everything.
   */
  requested: Set<string>;
  /** Whether a path matches the ignore globs: such a file is still part of its unit, but not reported. */
  ignored(abs: string): boolean;
  /** Files named explicitly that are not Packer templates. */
  skipped: string[];
  /**
   * `.json` files met in a directory search that could not be read safely (a dangling link, a link loop, a link out
   * of the tree, a FIFO): whether they are templates cannot be told, so they are reported as warnings.
   */
  unreadable: SourceFile[];
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The files below a directory, in a stable order, as both commands search them: `node_modules`, `.git` and hidden
 * directories are skipped, and so are paths `skip` names; links to files are followed, links to directories are not
 * (no cycles). Throws InputError for a directory that cannot be read. With `all`, every entry that is not a directory
 * is listed — links to directories, dangling links, link loops, FIFOs, sockets, devices — for the reader to refuse
 * with a finding; without it, only files and links to files are, and a link that cannot be followed is an InputError.
 */
export function walkFiles(dir: string, cwd: string, skip: (abs: string) => boolean = () => false, opts: { all?: boolean } = {}): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new InputError(`${displayPath(dir, cwd)}: cannot read directory: ${errorWords(e)}`);
  }
  const out: string[] = [];
  for (const ent of entries.sort(byName)) {
    const p = join(dir, ent.name);
    if (skip(p)) continue;
    if (ent.isDirectory()) {
      if (!SKIP_DIRS.has(ent.name) && !ent.name.startsWith('.')) out.push(...walkFiles(p, cwd, skip, opts));
    } else if (ent.isFile()) {
      out.push(p);
    } else if (opts.all) {
      // Links to directories are listed, not followed: one named like a template is a file Packer cannot read.
      out.push(p);
    } else if (ent.isSymbolicLink() && isFileLink(p)) {
      out.push(p);
    }
  }
  return out;
}

function isFileLink(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch (e) {
    // A dangling link is not a file; anything else is a real failure to report.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    throw new InputError(`${p}: cannot read: ${errorWords(e)}`);
  }
}

/**
 * Finds units under the given paths (files or directories). Throws InputError for a path that does not exist. The
 * tree a file must stay in (links out of it are not followed) is the directory given, or for a file given, its
 * repository (the nearest directory above it with `.git`), else its own directory.
 */
export function discover(paths: string[], cwd: string, ignore: string[], opts: { maxBytes?: number; overlay?: Map<string, string> } = {}): Discovery {
  const search = new Search(cwd, ignoreMatcher(ignore, cwd), opts.maxBytes, opts.overlay);
  for (const given of paths) search.add(given);
  return search.result();
}

/** Whether a path matches the ignore globs, by its path relative to the working directory or by its name. */
function ignoreMatcher(ignore: string[], cwd: string): (abs: string) => boolean {
  // Globs from the configuration file were checked when it was read; one refused here came from --ignore.
  const matchers = ignore.map((g) => {
    try {
      return compileGlob(g);
    } catch (e) {
      if (e instanceof GlobError) throw new InputError(`--ignore ${JSON.stringify(clip(g))}: ${e.message}`);
      throw e;
    }
  });
  const isIgnored = (p: string) => matchers.some((m) => m(p));
  return (abs) => isIgnored(relative(cwd, abs).split(sep).join('/')) || isIgnored(basename(abs));
}

/**
 * One discovery: what was found (each path with the tree it was found in), then the units it makes. Files are only
 * classified here; units are read later, one at a time (UnitRef.load).
 */
class Search {
  private readonly hclDirs = new Map<string, string>();
  private readonly legacy = new Map<string, string>();
  private readonly varFiles = new Map<string, string>();
  private readonly skipped: string[] = [];
  private readonly unreadable: SourceFile[] = [];
  private readonly requested = new Set<string>();
  /** Directories and templates met by a directory search (not only named): all their findings are reported. */
  private readonly searched = new Set<string>();

  constructor(
    private readonly cwd: string,
    private readonly ignored: (abs: string) => boolean,
    private readonly maxBytes: number | undefined,
    /** Text that stands for a file (standard input named by --stdin-filename); such a file need not exist. */
    private readonly overlay: Map<string, string> | undefined,
  ) {}

  /** A path the user gave: a directory is searched; a file is classified by its name, and JSON by its content. */
  add(given: string): void {
    const abs = resolve(this.cwd, given);
    let st;
    try {
      // A link that cannot be followed is still a file the user named: reading it gives the finding.
      st = this.overlay?.has(abs) ? undefined : lstatSync(abs).isSymbolicLink() ? statOrUndefined(abs) : statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(`${given}: ${code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${errorWords(e)}`}`);
    }
    if (st?.isDirectory()) return this.walk(abs);
    const root = repositoryRoot(dirname(abs)) ?? dirname(abs);
    this.requested.add(abs);
    const name = basename(abs);
    if (isConfigFile(name) || isAutoVarFile(name)) {
      if (name.endsWith('.pkr.json')) this.considerJson(abs, root, true);
      else note(this.hclDirs, dirname(abs), root);
    } else if (isVarFile(name)) {
      note(this.varFiles, abs, root);
    } else if (name.endsWith('.json')) {
      this.considerJson(abs, root, true);
    } else {
      this.skipped.push(displayPath(abs, this.cwd));
    }
  }

  private walk(dir: string): void {
    for (const p of walkFiles(dir, this.cwd, this.ignored, { all: true })) {
      const name = basename(p);
      if (name.endsWith('.pkr.hcl')) {
        note(this.hclDirs, dirname(p), dir);
        this.searched.add(dirname(p));
      } else if (name.endsWith('.json') && !isVarFile(name)) {
        this.considerJson(p, dir, false);
        this.searched.add(name.endsWith('.pkr.json') ? dirname(p) : p);
      }
    }
  }

  /** A JSON file is a legacy template, part of an HCL configuration (.pkr.json), or not Packer's, by its content. */
  private considerJson(p: string, root: string, explicit: boolean): void {
    const buffered = this.overlay?.get(p);
    const read: InputRead = buffered !== undefined ? { ok: true, text: buffered, invalidUtf8: [] } : readInput(p, { explicit: false, root, maxBytes: this.maxBytes });
    if (!read.ok) {
      // A .pkr.json belongs to its directory's configuration, which reports the problem; a named file is checked
      // (and reported) on its own. Other JSON met in a search: a file too big or gone is not ours to judge.
      if (p.endsWith('.pkr.json')) note(this.hclDirs, dirname(p), root);
      else if (explicit) note(this.legacy, p, root);
      else if (read.reason === 'unsafe' || read.reason === 'io') this.unreadable.push(unreadableFile(p, this.cwd, 'legacy-json', read.problem));
      return;
    }
    const doc = parseJson(stripBom(read.text).text, { go: !p.endsWith('.pkr.json') });
    if (isLegacyTemplate(doc.root)) note(this.legacy, p, root);
    // Broken JSON that was named explicitly is still checked, so its syntax errors are reported.
    else if (explicit && doc.errors.length && !p.endsWith('.pkr.json')) note(this.legacy, p, root);
    else if (p.endsWith('.pkr.json')) note(this.hclDirs, dirname(p), root);
    else if (explicit) this.skipped.push(displayPath(p, this.cwd));
  }

  result(): Discovery {
    const { cwd, overlay, maxBytes } = this;
    const units: UnitRef[] = [];
    const ref = (id: string, load: () => Unit | undefined): UnitRef => ({ id, searched: this.searched.has(id), load });
    // A file given as text (standard input) is read from it, not from disk.
    const file = (p: string, kind: FileKind, root: string) => {
      const buffered = overlay?.get(p);
      return buffered !== undefined ? fileFrom(p, cwd, kind, buffered) : loadFile(p, cwd, kind, { root, maxBytes });
    };
    for (const [d, root] of [...this.hclDirs].sort(byKey)) {
      units.push(
        ref(d, () => {
          const u = loadDirectoryUnit(d, cwd, overlay, { root, maxBytes });
          // A directory holding only variable files or legacy .pkr.json templates has no configuration.
          return u.files.some((f) => f.kind === 'hcl' || f.kind === 'hcl-json') ? u : undefined;
        }),
      );
    }
    for (const [p, root] of [...this.legacy].sort(byKey)) {
      units.push(ref(p, () => ({ kind: 'legacy', id: p, dir: dirname(p), files: [file(p, 'legacy-json', root)] })));
    }
    for (const [p, root] of [...this.varFiles].sort(byKey)) {
      // Named only: a variable file is never met by a search on its own.
      units.push({ id: p, searched: false, load: () => ({ kind: 'varfile', id: p, dir: dirname(p), files: [file(p, p.endsWith('.json') ? 'pkrvars-json' : 'pkrvars-hcl', root)] }) });
    }
    return { units, requested: this.requested, ignored: this.ignored, skipped: this.skipped, unreadable: this.unreadable };
  }
}

/** Remembers a path with the tree it was found in; reached twice, the wider tree counts. */
function note(m: Map<string, string>, p: string, root: string): void {
  const had = m.get(p);
  if (had === undefined || (relative(root, had) !== '' && !relative(root, had).startsWith('..'))) m.set(p, root);
}

const byKey = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function statOrUndefined(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}
