/**
 * Units: what Packer builds together. A directory's `*.pkr.hcl` + `*.pkr.json` + `*.auto.pkrvars.*` form one
 * configuration; a legacy JSON template is a unit on its own.
 */
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { parseHcl, type HclFile, type SyntaxIssue } from '../syntax/hcl.js';
import { parseHclJson } from '../syntax/hcljson.js';
import { parseJson, type JsonDocument } from '../syntax/json.js';
import { stripBom, type LineIndex } from '../syntax/text.js';
import { isLegacyTemplate } from './legacy.js';
import { jsonBlockLabels } from './schema.js';

export type FileKind = 'hcl' | 'hcl-json' | 'pkrvars-hcl' | 'pkrvars-json' | 'legacy-json';

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

export class InputError extends Error {}

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

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Parses one file by its kind. Never throws on content: problems become syntax errors. */
export function loadFile(path: string, cwd: string, kind: FileKind, rawText?: string, parsedJson?: JsonDocument): SourceFile {
  const { text, bom } = stripBom(rawText ?? readText(path));
  const base = { path, display: displayPath(path, cwd), kind, text, bom };
  if (kind === 'hcl' || kind === 'pkrvars-hcl') {
    const hcl = parseHcl(text);
    return { ...base, lines: hcl.lines, hcl, syntaxErrors: hcl.errors };
  }
  const json = parsedJson ?? parseJson(text);
  if (kind === 'hcl-json' || kind === 'pkrvars-json') {
    const hcl = parseHclJson(json, kind === 'hcl-json' ? jsonBlockLabels : () => undefined);
    return { ...base, lines: hcl.lines, hcl, syntaxErrors: hcl.errors };
  }
  return { ...base, lines: json.lines, json, syntaxErrors: json.errors.map((e) => ({ ...e })) };
}

function kindOf(name: string): FileKind | undefined {
  if (name.endsWith('.pkr.hcl')) return 'hcl';
  if (name.endsWith('.pkr.json')) return 'hcl-json';
  if (name.endsWith('.pkrvars.hcl')) return 'pkrvars-hcl';
  if (name.endsWith('.pkrvars.json')) return 'pkrvars-json';
  return undefined;
}

/** Loads the HCL configuration of a directory. Text already in memory (an editor buffer) may be passed in `overlay`. */
export function loadDirectoryUnit(dir: string, cwd: string, overlay?: Map<string, string>): Unit {
  const files: SourceFile[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    // Standard input named as a file in a directory that does not exist yet: a unit of that one buffer.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && [...(overlay?.keys() ?? [])].some((p) => dirname(p) === dir)) names = [];
    else throw new InputError(`${dir}: cannot read directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  // A buffer of a file not saved yet (standard input named as a new file) belongs to its directory's unit too.
  for (const p of overlay?.keys() ?? []) if (dirname(p) === dir && !names.includes(basename(p))) names.push(basename(p));
  for (const name of names.sort()) {
    if (!isConfigFile(name) && !isAutoVarFile(name)) continue;
    const p = join(dir, name);
    if (!overlay?.has(p) && !statSync(p).isFile()) continue;
    const kind = kindOf(name)!;
    const text = overlay?.get(p) ?? readText(p);
    // A .pkr.json whose content is a legacy template is not part of the HCL configuration.
    const json = kind === 'hcl-json' || kind === 'pkrvars-json' ? parseJson(stripBom(text).text) : undefined;
    if (kind === 'hcl-json' && isLegacyTemplate(json!.root)) continue;
    files.push(loadFile(p, cwd, kind, text, json));
  }
  return { kind: 'hcl', id: dir, dir, files };
}

export function loadLegacyUnit(path: string, cwd: string, text?: string): Unit {
  return { kind: 'legacy', id: path, dir: dirname(path), files: [loadFile(path, cwd, 'legacy-json', text)] };
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
}

const SKIP_DIRS = new Set(['node_modules', '.git']);

/**
 * The files below a directory, in a stable order, as both commands search them: `node_modules`, `.git` and hidden
 * directories are skipped, and so are paths `skip` names; links to files are followed, links to directories are not
 * (no cycles). Throws InputError for a directory that cannot be read.
 */
export function walkFiles(dir: string, cwd: string, skip: (abs: string) => boolean = () => false): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new InputError(`${displayPath(dir, cwd)}: cannot read directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const out: string[] = [];
  for (const ent of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(dir, ent.name);
    if (skip(p)) continue;
    if (ent.isDirectory()) {
      if (!SKIP_DIRS.has(ent.name) && !ent.name.startsWith('.')) out.push(...walkFiles(p, cwd, skip));
    } else if (ent.isFile() || (ent.isSymbolicLink() && isFileLink(p))) {
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
    throw new InputError(`${p}: cannot read: ${code ?? (e as Error).message}`);
  }
}

/**
 * Finds units under the given paths (files or directories). Throws InputError for a path that does not exist.
 * `overlay` holds text that replaces a file's content (standard input read as that file); such a file need not exist.
 */
export function discover(paths: string[], cwd: string, ignore: string[], overlay?: Map<string, string>): Discovery {
  const isIgnored = ignore.length ? picomatch(ignore, { dot: true }) : () => false;
  const ignored = (abs: string) => {
    const rel = relative(cwd, abs).split(sep).join('/');
    return isIgnored(rel) || isIgnored(basename(abs));
  };
  const hclDirs = new Set<string>();
  const legacy = new Set<string>();
  const varFiles = new Set<string>();
  const skipped: string[] = [];
  const requested = new Set<string>();
  const searchedDirs = new Set<string>();
  const searchedLegacy = new Set<string>();

  const considerJson = (p: string, explicit: boolean) => {
    const text = stripBom(overlay?.get(p) ?? readText(p)).text;
    const doc = parseJson(text);
    if (isLegacyTemplate(doc.root)) legacy.add(p);
    // Broken JSON that was named explicitly is still checked, so its syntax errors are reported.
    else if (explicit && doc.errors.length && !p.endsWith('.pkr.json')) legacy.add(p);
    else if (p.endsWith('.pkr.json')) hclDirs.add(dirname(p));
    else if (explicit) skipped.push(displayPath(p, cwd));
  };

  const walk = (dir: string) => {
    for (const p of walkFiles(dir, cwd, ignored)) {
      const name = basename(p);
      if (name.endsWith('.pkr.hcl')) {
        hclDirs.add(dirname(p));
        searchedDirs.add(dirname(p));
      } else if (name.endsWith('.json') && !isVarFile(name)) {
        considerJson(p, false);
        if (name.endsWith('.pkr.json')) searchedDirs.add(dirname(p));
        else searchedLegacy.add(p);
      }
    }
  };

  for (const given of paths) {
    const abs = resolve(cwd, given);
    let st;
    try {
      st = overlay?.has(abs) ? { isDirectory: () => false } : statSync(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(`${given}: ${code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${code ?? (e as Error).message}`}`);
    }
    if (st.isDirectory()) {
      walk(abs);
      continue;
    }
    requested.add(abs);
    const name = basename(abs);
    if (isConfigFile(name) || isAutoVarFile(name)) {
      if (name.endsWith('.pkr.json')) considerJson(abs, true);
      else hclDirs.add(dirname(abs));
    } else if (isVarFile(name)) {
      varFiles.add(abs);
    } else if (name.endsWith('.json')) {
      considerJson(abs, true);
    } else {
      skipped.push(displayPath(abs, cwd));
    }
  }

  const units: UnitRef[] = [];
  for (const d of [...hclDirs].sort()) {
    units.push({
      id: d,
      searched: searchedDirs.has(d),
      load: () => {
        const u = loadDirectoryUnit(d, cwd, overlay);
        // A directory holding only variable files or legacy .pkr.json templates has no configuration.
        return u.files.some((f) => f.kind === 'hcl' || f.kind === 'hcl-json') ? u : undefined;
      },
    });
  }
  for (const p of [...legacy].sort()) units.push({ id: p, searched: searchedLegacy.has(p), load: () => loadLegacyUnit(p, cwd, overlay?.get(p)) });
  for (const p of [...varFiles].sort()) {
    units.push({ id: p, searched: false, load: () => ({ kind: 'varfile', id: p, dir: dirname(p), files: [loadFile(p, cwd, p.endsWith('.json') ? 'pkrvars-json' : 'pkrvars-hcl', overlay?.get(p))] }) });
  }
  return { units, requested, ignored, skipped };
}
