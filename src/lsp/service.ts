/**
 * The language service: pure functions of open documents and settings, with no connection (src/lsp/server.ts wires
 * it to LSP). It checks a document's unit with runCheck, keeps the findings of each document for code actions and
 * hovers, and answers hovers and completions from the parsed text and the unit's analysis.
 */
import { basename, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeAction, CodeActionKind, CompletionItem, Diagnostic as LspDiagnostic, Hover, Position, Range, TextEdit } from 'vscode-languageserver';
import { runFix } from '../fix/run.js';
import { runCheck, type CheckOptions } from '../lint/run.js';
import type { Diagnostic } from '../lint/lint.js';
import { analyze } from '../packer/analysis.js';
import { shown, type Value } from '../packer/eval.js';
import { coreBody, findComponent, jsonBlockLabels, type ComponentKind, type Spec } from '../packer/schema.js';
import { fileLine, loadDirectoryUnit, type SourceFile } from '../packer/unit.js';
import { DOCS_BASE_URL } from '../report/model.js';
import { ruleById } from '../rules/index.js';
import type { Fix } from '../rules/types.js';
import { IncrementalHcl, parseHcl, parsingWith, type Block, type Body, type HclFile } from '../syntax/hcl.js';
import { parseHclJson } from '../syntax/hcljson.js';
import { stripBom } from '../syntax/text.js';
import { environmentOf, readSettings, type Settings } from './settings.js';

export interface OpenDocument {
  uri: string;
  text: string;
  version: number;
}

/** A finding as published, with what code actions and hovers need. */
interface Published {
  diagnostic: LspDiagnostic;
  ruleId: string;
  fix?: Fix;
  /** The file it is located in (undefined for a finding shown on the first line because it has no place). */
  file?: SourceFile;
}

/** The code action kind of "apply every fix" (source.fixAll, as ESLint's server names its own). */
export const FIX_ALL = 'source.fixAll.pkrlint';

/** Whether a request's `only` (kinds or their prefixes, such as `source`) asks for `kind`; absent asks for quick fixes. */
export function asksFor(only: readonly CodeActionKind[] | undefined, kind: string): boolean {
  if (!only) return kind === 'quickfix';
  return only.some((k) => kind === k || kind.startsWith(`${k}.`));
}

/** One edit turning `before` into `after`: the text between their common start and common end. */
function minimalEdit(before: string, after: string, bom: boolean): TextEdit {
  let a = 0;
  const n = Math.min(before.length, after.length);
  while (a < n && before.charCodeAt(a) === after.charCodeAt(a)) a++;
  let b = 0;
  while (b < n - a && before.charCodeAt(before.length - 1 - b) === after.charCodeAt(after.length - 1 - b)) b++;
  const at = (offset: number): Position => {
    let line = 0;
    let lineStart = 0;
    for (let i = before.indexOf('\n'); i >= 0 && i < offset; i = before.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    return { line, character: offset - lineStart + (bom && line === 0 ? 1 : 0) };
  };
  return { range: { start: at(a), end: at(before.length - b) }, newText: after.slice(a, after.length - b) };
}

/** Where the target version comes from when the editor sets it, in messages (as "--packer-version" for check). */
const VERSION_ORIGIN = 'the editor setting packerVersion';

/** Severity numbers of LSP (DiagnosticSeverity). */
const SEVERITY = { error: 1, warning: 2, info: 3 } as const;

export function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Whether pkrlint reads this file: HCL2 templates and variable files, and JSON (a legacy template is told by content). */
export function isPackerPath(path: string): boolean {
  const n = basename(path);
  return n.endsWith('.pkr.hcl') || n.endsWith('.pkrvars.hcl') || n.endsWith('.json');
}

export function docsUrl(ruleId: string): string {
  return `${DOCS_BASE_URL}docs/rules/${ruleId}.md`;
}

/** An offset of a file as an LSP position (0-based, UTF-16); a byte order mark the editor keeps is one more column. */
function positionOf(file: SourceFile, offset: number): Position {
  const p = file.lines.position(offset);
  return { line: p.line - 1, character: p.column - 1 + (file.bom && p.line === 1 ? 1 : 0) };
}

function rangeOf(file: SourceFile, start: number, end: number): Range {
  return { start: positionOf(file, start), end: positionOf(file, end) };
}

const FIRST_LINE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function contains(r: Range, p: Position): boolean {
  const after = (a: Position, b: Position) => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(p, r.start) && after(r.end, p);
}

function overlaps(a: Range, b: Range): boolean {
  const before = (x: Position, y: Position) => x.line < y.line || (x.line === y.line && x.character < y.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

export class LanguageService {
  private readonly published = new Map<string, Published[]>();
  /** Each open HCL document's parser, which reparses only what an edit changed. */
  private readonly parsers = new Map<string, IncrementalHcl>();

  constructor(
    private settings: Settings,
    /** The workspace root: paths in messages are shown relative to it, env files and `config` are found from it. */
    private readonly root: string,
    private readonly log: (msg: string) => void,
  ) {}

  get debounceMs(): number {
    return this.settings.debounceMs;
  }

  /** Settings sent by the client (workspace/configuration, didChangeConfiguration) over those in use. */
  configure(raw: unknown): void {
    this.settings = readSettings(raw, this.settings);
  }

  /** The open documents checked together with `uri`: the open Packer files of its directory (its unit, for HCL2). */
  unitDocuments(uri: string, open: OpenDocument[]): OpenDocument[] {
    const path = pathOf(uri);
    if (!path || !isPackerPath(path)) return [];
    const dir = dirname(path);
    return open.filter((d) => {
      const p = pathOf(d.uri);
      return d.uri === uri || (p !== undefined && isPackerPath(p) && dirname(p) === dir);
    });
  }

  /**
   * Checks the unit of `uri` with the text of the open documents over the files on disk. Returns the diagnostics of
   * every open document of the unit (an edit in one file changes the findings of the others).
   */
  check(uri: string, open: OpenDocument[]): Map<string, LspDiagnostic[]> {
    const docs = this.unitDocuments(uri, open);
    const out = new Map<string, LspDiagnostic[]>();
    if (docs.length === 0) return out;
    const byPath = new Map(docs.map((d) => [pathOf(d.uri)!, d]));
    const overlay = new Map([...byPath].map(([p, d]) => [p, d.text]));
    const lists = new Map<string, Published[]>(docs.map((d) => [d.uri, []]));
    const firstLine = (message: string, severity: 1 | 2): Published => ({ ruleId: 'pkrlint', diagnostic: { range: FIRST_LINE, severity, source: 'pkrlint', message } });
    try {
      const s = this.settings;
      // A setting that cannot be used (an env file that cannot be read) is said where the user looks.
      const problems: string[] = [];
      const env = environmentOf(s, this.root, (m) => problems.push(m));
      for (const m of problems) for (const list of lists.values()) list.push(firstLine(m, 2));
      const result = this.withParsed(docs, () => runCheck(this.checkOptions([...byPath.keys()], overlay, env)));
      for (const d of result.diagnostics) {
        const doc = d.file ? byPath.get(d.file.path) : undefined;
        if (d.file && doc) lists.get(doc.uri)!.push(this.toPublished(d, d.file));
        else if (!d.file || d.start === undefined) for (const list of lists.values()) list.push(this.toPublished(d, undefined));
      }
    } catch (e) {
      // A configuration file that cannot be read, an env file… : said on the first line rather than lost.
      const message = `pkrlint could not check this configuration: ${(e as Error).message}`;
      this.log(message);
      for (const list of lists.values()) list.push(firstLine(message, 1));
    }
    for (const [u, list] of lists) {
      this.published.set(u, list);
      out.set(u, list.map((p) => p.diagnostic));
    }
    return out;
  }

  private checkOptions(paths: string[], overlay: Map<string, string>, env: CheckOptions['env']): CheckOptions {
    const s = this.settings;
    return { paths, cwd: this.root, ignore: [], env, packerVersion: s.packerVersion, packerVersionOrigin: VERSION_ORIGIN, configPath: s.config, varFiles: [], vars: [], overlay };
  }

  /**
   * source.fixAll.pkrlint: every fix of the document's findings that is not a suggestion, applied by the fixer of
   * `check --fix` (src/fix) to the text in the editor, as one edit per changed file. Undefined when nothing changes.
   */
  fixAll(uri: string, open: OpenDocument[]): CodeAction | undefined {
    const path = pathOf(uri);
    if (!path || !open.some((d) => d.uri === uri)) return undefined;
    const overlay = new Map(this.unitDocuments(uri, open).map((d) => [pathOf(d.uri)!, d.text]));
    const run = runFix(this.checkOptions([path], overlay, environmentOf(this.settings, this.root, this.log)));
    if (run.changes.length === 0) return undefined;
    const changes: Record<string, TextEdit[]> = {};
    for (const c of run.changes) changes[this.uriOf(c.path, open)] = [minimalEdit(c.before, c.after, c.bom)];
    return { title: 'Fix all pkrlint problems', kind: FIX_ALL, edit: { changes } };
  }

  /**
   * Runs `f` with the open HCL documents parsed by their incremental parsers: the check, which parses every file of
   * the unit by its text (src/packer/unit.ts), takes those parses instead of parsing again.
   */
  private withParsed<T>(docs: OpenDocument[], f: () => T): T {
    const parsed = new Map<string, HclFile>();
    for (const d of docs) {
      const p = pathOf(d.uri);
      if (!p || !(p.endsWith('.pkr.hcl') || p.endsWith('.pkrvars.hcl'))) continue;
      let parser = this.parsers.get(d.uri);
      if (!parser) this.parsers.set(d.uri, (parser = new IncrementalHcl()));
      const text = stripBom(d.text).text;
      parsed.set(text, parser.parse(text));
    }
    return parsingWith(parsed, f);
  }

  /** A document closed: its findings and its parser's tree (WebAssembly memory, freed by hand) go. */
  forget(uri: string): void {
    this.published.delete(uri);
    this.parsers.get(uri)?.delete();
    this.parsers.delete(uri);
  }

  private toPublished(d: Diagnostic, file: SourceFile | undefined): Published {
    const range = file && d.start !== undefined ? rangeOf(file, d.start, d.end ?? d.start) : FIRST_LINE;
    const diagnostic: LspDiagnostic = {
      range,
      severity: SEVERITY[d.severity],
      source: 'pkrlint',
      code: d.ruleId,
      message: d.message,
    };
    if (ruleById.has(d.ruleId)) diagnostic.codeDescription = { href: docsUrl(d.ruleId) };
    return { diagnostic, ruleId: d.ruleId, fix: d.fix, file: file && d.start !== undefined ? file : undefined };
  }

  private uriOf(path: string, open: OpenDocument[]): string {
    return open.find((d) => pathOf(d.uri) === path)?.uri ?? pathToFileURL(path).href;
  }

  /** Quick fixes of the findings in `range`, and ignores of their rules for the line or the file. */
  codeActions(uri: string, range: Range, open: OpenDocument[], only?: readonly CodeActionKind[]): CodeAction[] {
    const out: CodeAction[] = [];
    if (asksFor(only, FIX_ALL)) {
      const all = this.fixAll(uri, open);
      if (all) out.push(all);
    }
    if (!asksFor(only, 'quickfix')) return out;
    const doc = open.find((d) => d.uri === uri);
    for (const p of this.published.get(uri) ?? []) {
      if (!overlaps(p.diagnostic.range, range)) continue;
      if (p.fix) {
        const changes: Record<string, TextEdit[]> = {};
        for (const e of p.fix.edits) (changes[this.uriOf(e.file.path, open)] ??= []).push({ range: rangeOf(e.file, e.start, e.end), newText: e.text });
        // A suggestion may change meaning: offered, but not the preferred (auto-applicable) action.
        out.push({ title: p.fix.description, kind: 'quickfix', diagnostics: [p.diagnostic], isPreferred: !p.fix.suggestion, edit: { changes } });
      }
      const rule = ruleById.get(p.ruleId);
      // Ignores are comments: HCL files only, and only for rules that can be suppressed.
      if (!doc || !p.file || !(p.file.kind === 'hcl' || p.file.kind === 'pkrvars-hcl') || !rule?.meta.suppressible) continue;
      const line = p.diagnostic.range.start.line;
      const indent = /^[ \t]*/.exec(doc.text.split('\n')[line] ?? '')![0];
      const at = { line, character: 0 };
      out.push({
        title: `Ignore ${p.ruleId} for this line`,
        kind: 'quickfix',
        diagnostics: [p.diagnostic],
        edit: { changes: { [uri]: [{ range: { start: at, end: at }, newText: `${indent}# pkrlint-ignore: ${p.ruleId}\n` }] } },
      });
      out.push({
        title: `Ignore ${p.ruleId} for this file`,
        kind: 'quickfix',
        diagnostics: [p.diagnostic],
        edit: { changes: { [uri]: [{ range: FIRST_LINE, newText: `# pkrlint-ignore-file: ${p.ruleId}\n` }] } },
      });
    }
    return out;
  }

  /** Hover: the bucket name Packer will use (on bucket_name), and the rule of each finding under the cursor. */
  hover(uri: string, position: Position, open: OpenDocument[]): Hover | null {
    const parts: string[] = [];
    const bucket = this.bucketHover(uri, position, open);
    if (bucket) parts.push(bucket);
    const seen = new Set<string>();
    for (const p of this.published.get(uri) ?? []) {
      const rule = ruleById.get(p.ruleId);
      if (!rule || seen.has(p.ruleId) || !p.file || !contains(p.diagnostic.range, position)) continue;
      seen.add(p.ruleId);
      parts.push(`**${p.ruleId}** (pkrlint): ${rule.meta.description} [Documentation](${docsUrl(p.ruleId)})`);
    }
    return parts.length ? { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') } } : null;
  }

  private bucketHover(uri: string, position: Position, open: OpenDocument[]): string | undefined {
    const path = pathOf(uri);
    const doc = open.find((d) => d.uri === uri);
    if (!path || !doc || !(path.endsWith('.pkr.hcl') || path.endsWith('.pkr.json'))) return undefined;
    const overlay = new Map(this.unitDocuments(uri, open).map((d) => [pathOf(d.uri)!, d.text]));
    const unit = this.withParsed(this.unitDocuments(uri, open), () => loadDirectoryUnit(dirname(path), this.root, overlay));
    const file = unit.files.find((f) => f.path === path);
    if (!file?.hcl) return undefined;
    const offset = file.lines.offset({ line: position.line + 1, column: position.character + 1 - (file.bom && position.line === 0 ? 1 : 0) });
    const attr = registryBlocks(file.hcl.body)
      .flatMap((b) => b.body.statements)
      .find((s) => s.kind === 'attribute' && s.name === 'bucket_name' && s.start <= offset && offset <= s.end);
    if (!attr) return undefined;
    const analysis = analyze(unit, { env: environmentOf(this.settings, this.root, this.log), packerVersion: this.settings.packerVersion, packerVersionOrigin: VERSION_ORIGIN });
    const h = analysis.hcl;
    if (!h) return undefined;
    const b = h.bucket;
    const value = (v: Value) => (v.known ? shown(v, typeof v.value === 'string' ? v.value : JSON.stringify(v.value)) : undefined);
    const head = '**HCP Packer bucket**: ';
    // A file that does not parse may hold the block or build in use: only what overrides everything is certain.
    const broken = analysis.unit.files.find((f) => analysis.damage?.isBroken(f));
    if (broken && b.kind !== 'env' && !(b.kind === 'block' && b.value.known)) return `${head}not known while ${broken.display} does not parse.`;
    switch (b.kind) {
      case 'env':
        return `${head}Packer will use \`${JSON.stringify(b.value)}\`, from HCP_PACKER_BUCKET_NAME (${b.env.origin}); it overrides the template's bucket_name.`;
      case 'block': {
        const here = b.registry.file === file && b.registry.block.body.statements.includes(attr);
        const where = here ? 'this bucket_name' : `the bucket_name of the hcp_packer_registry block at ${fileLine(b.registry.file, b.registry.block.start)}`;
        const v = value(b.value);
        if (v === undefined) return `${head}Packer will use ${where}, whose value cannot be known without running Packer.`;
        const origin = b.value.known && b.value.origin ? `, set by ${b.value.origin}` : ', written in the template';
        return `${head}Packer will use \`${v}\`, from ${where}${origin}.`;
      }
      case 'build-name': {
        const v = value(b.value);
        const at = fileLine(b.build.file, b.build.block.start);
        return v === undefined ? `${head}Packer will use the name of the build at ${at}, whose value cannot be known without running Packer.` : `${head}Packer will use \`${v}\`, the name of the build at ${at}.`;
      }
      default:
        return `${head}no bucket name: none is set by bucket_name, HCP_PACKER_BUCKET_NAME or a build name.`;
    }
  }

  /** Argument names of the block around the cursor: hcp_packer_registry, and source/provisioner/post-processor by type. */
  completion(uri: string, position: Position, open: OpenDocument[]): CompletionItem[] {
    const path = pathOf(uri);
    const doc = open.find((d) => d.uri === uri);
    const json = !!path?.endsWith('.pkr.json');
    if (!path || !doc || !(json || path.endsWith('.pkr.hcl'))) return [];
    const lines = doc.text.split('\n');
    const before = (lines[position.line] ?? '').slice(0, position.character);
    // Only where an argument name starts: at the beginning of a line (in JSON, after an opening quote too).
    const typed = (json ? /^\s*("?[A-Za-z0-9_-]*)$/ : /^\s*([A-Za-z0-9_-]*)$/).exec(before);
    if (!typed) return [];
    const offset = lines.slice(0, position.line).reduce((n, l) => n + l.length + 1, 0) + before.length;
    const model = json ? parseHclJson(doc.text, jsonBlockLabels) : this.withParsed([doc], () => parseHcl(doc.text));
    const block = model.errors.length && json ? undefined : innermostBlock(model.body, offset, doc.text);
    // While an argument is being typed the text often does not parse (a bare name): the header is read from the text.
    const header = block ? { type: block.type, label: block.labels[0]?.value } : json ? enclosingJsonKey(doc.text, offset) : enclosingHeader(doc.text, offset);
    const args = header && argumentsOf(header.type, header.label);
    if (!args) return [];
    const present = new Set(block ? block.body.statements.map((s) => (s.kind === 'attribute' ? s.name : s.type)) : []);
    // In JSON the name typed so far, with its quote, is replaced: `"bu` becomes `"bucket_name": `.
    const replaced = { start: { line: position.line, character: position.character - typed[1].length }, end: position };
    return Object.entries(args)
      .filter(([name]) => !present.has(name))
      .map(([name, spec]): CompletionItem => {
        const isBlock = spec.kind !== 'attr';
        const item: CompletionItem = {
          label: name,
          kind: isBlock ? 9 /* Module */ : 10 /* Property */,
          detail: spec.kind === 'attr' ? spec.type : `block (${spec.kind})`,
        };
        if (json) item.textEdit = { range: replaced, newText: isBlock ? `"${name}": {}` : `"${name}": ` };
        else item.insertText = isBlock ? `${name} {\n}` : `${name} = `;
        return item;
      });
  }
}

/**
 * In JSON text that does not parse, the block around the offset when it is an hcp_packer_registry: the key before
 * the nearest unclosed `{` (braces in strings are not told apart, as in enclosingHeader).
 */
function enclosingJsonKey(text: string, offset: number): { type: string; label?: string } | undefined {
  const i = unclosedBrace(text, offset);
  const key = i < 0 ? undefined : /"([^"\\]*)"\s*:\s*$/.exec(text.slice(Math.max(0, i - 200), i))?.[1];
  return key === 'hcp_packer_registry' ? { type: key } : undefined;
}

/** The nearest `{` before the offset that is not closed before it, or -1. */
function unclosedBrace(text: string, offset: number): number {
  let depth = 0;
  for (let i = offset - 1; i >= 0; i--) {
    const c = text[i];
    if (c === '}') depth++;
    else if (c === '{' && depth-- === 0) return i;
  }
  return -1;
}

function registryBlocks(body: Body): Block[] {
  const out: Block[] = [];
  for (const s of body.statements) {
    if (s.kind !== 'block') continue;
    if (s.type === 'hcp_packer_registry') out.push(s);
    else if (s.type === 'build') out.push(...registryBlocks(s.body));
  }
  return out;
}

/** The innermost block whose braces enclose the offset. */
function innermostBlock(body: Body, offset: number, text: string): Block | undefined {
  for (const s of body.statements) {
    if (s.kind !== 'block') continue;
    const open = text.indexOf('{', s.labels.length ? s.labels[s.labels.length - 1].end : s.typeEnd);
    if (open < 0 || offset <= open || offset > s.end || (offset === s.end && text[s.end - 1] === '}')) continue;
    return innermostBlock(s.body, offset, text) ?? s;
  }
  return undefined;
}

const KIND_OF: Readonly<Record<string, ComponentKind>> = { source: 'builders', provisioner: 'provisioners', 'post-processor': 'post-processors' };

/**
 * The type and first label of the block whose `{` is the nearest unclosed one before the offset, read from the text
 * (braces in strings are not told apart: this is the fallback for text that does not parse).
 */
function enclosingHeader(text: string, offset: number): { type: string; label?: string } | undefined {
  const i = unclosedBrace(text, offset);
  if (i < 0) return undefined;
  const lineStart = text.lastIndexOf('\n', i) + 1;
  const m = /^\s*([A-Za-z_][\w-]*)((?:\s+"[^"]*")*)\s*$/.exec(text.slice(lineStart, i));
  if (!m) return undefined;
  return { type: m[1], label: /"([^"]*)"/.exec(m[2])?.[1] };
}

/** The arguments the schema gives a block: the registry block's from Packer's core schema, a component's from its plugin's. */
function argumentsOf(type: string, label: string | undefined): Spec | undefined {
  if (type === 'hcp_packer_registry') return coreBody('hcp_packer_registry')?.spec;
  const kind = Object.hasOwn(KIND_OF, type) ? KIND_OF[type] : undefined;
  return kind && label ? findComponent(kind, label)?.spec : undefined;
}
