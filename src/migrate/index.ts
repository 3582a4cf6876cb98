import { attr, blank, block, comment, commentOf, list, replaceRefs, str, template, type OutBody, type OutItem } from '../hcl/model.js';
import { printBody, type Printed } from '../hcl/print.js';
import { isJsonVarFile, isLegacyTemplate, ROOT_KEYS } from '../packer/legacy.js';
import { STANDALONE_MARKER } from '../packer/unit.js';
import { member, parseJson, type JsonDocument, type JsonMember, type JsonNode } from '../syntax/json.js';
import { LineIndex, stripBom } from '../syntax/text.js';
import { commentLines, isCommentKey, jsonToExpr, lastOfEachKey } from './body.js';
import { convertBuilders, type SourceRef, type Used } from './builders.js';
import { Migration, Names, type VariableInfo } from './context.js';
import { requiredPlugins } from './plugins.js';
import { convertComponent, convertPostProcessors, convertProvisioners } from './provisioners.js';
import { registryBlock, type RegistryOptions, type RegistryPlacement } from './registry.js';
import { statusOf, type MigrationStatus, type ReportItem } from './report.js';
import { convertVariables, declareVariables, envVariableBlocks } from './variables.js';
import { FEATURES, atLeast } from '../packer/version.js';
import { DEFAULT_TARGET, parseTargetVersion, type Version } from './version.js';

export { formatReport, statusOf, type MigrationStatus, type ReportItem } from './report.js';
export { visible } from '../hcl/print.js';
export { parseTargetVersion, DEFAULT_TARGET } from './version.js';

export interface MigrateOptions {
  /** Target Packer version (`1.6.6`, `v1.16.0`); default DEFAULT_TARGET, the newest Packer checked. */
  packerVersion?: string;
  registry?: boolean;
  bucketName?: string;
  bucketLabels?: Record<string, string>;
  buildLabels?: Record<string, string>;
  channels?: string[];
  /** Environment for HCP_PACKER_BUCKET_NAME; default process.env. */
  env?: Record<string, string | undefined>;
  /** Review items raised by the caller about the output as a whole (e.g. other templates in its directory): TODOs at the top. */
  reviews?: string[];
  /**
   * Where the JSON template is, seen from the output's directory (a relative path with `/`), when they differ:
   * `{{template_dir}}`, which is `path.root` in HCL2, is rewritten to point there.
   */
  templateDir?: string;
  /** The output is built on its own beside other templates (`packer build file.pkr.hcl`): marked for pkrlint check. */
  standalone?: boolean;
}

export interface MigrateResult {
  hcl: string;
  report: ReportItem[];
  status: MigrationStatus;
  /** A template's variables: JSON name, HCL name, and whether it became a local (for its variable files). */
  variables?: VariableInfo[];
}

/**
 * Packer (Go's JSON decoding) keeps the last of duplicate keys, and so does the migration; the others are reported.
 * Iterative (a stack instead of recursion) and linear in the size of the document, in the order of the text.
 */
function reportDuplicateKeys(m: Migration, root: JsonNode): void {
  const stack: ({ node: JsonNode } | { member: JsonMember; kept: JsonMember })[] = [{ node: root }];
  while (stack.length) {
    const top = stack.pop()!;
    if ('member' in top) {
      const { member: x, kept } = top;
      const item = m.add('review', `duplicate key "${x.key}" (kept: the one on line ${m.line(kept.keyStart)}): this earlier value is ignored, as Packer ignores it: ${m.json(x.value)}`, x.keyStart);
      const list = m.duplicates.get(kept);
      if (list) list.push(item);
      else m.duplicates.set(kept, [item]);
      continue;
    }
    const node = top.node;
    if (node.kind === 'array') for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i] });
    if (node.kind !== 'object') continue;
    const last = new Map(node.members.map((x) => [x.key, x]));
    for (let i = node.members.length - 1; i >= 0; i--) {
      const x = node.members[i];
      stack.push({ node: x.value });
      const kept = last.get(x.key)!;
      if (kept !== x) stack.push({ member: x, kept });
    }
  }
}

/**
 * Marks the values of sensitive variables, so that no message or TODO comment quotes them: every variable named in
 * any `sensitive-variables` list, in every `variables` object (the shadowed duplicates too, whose values the report
 * would otherwise quote as ignored).
 */
function markSensitive(m: Migration, root: Extract<JsonNode, { kind: 'object' }>): void {
  const names = new Set<string>();
  for (const x of root.members)
    if (x.key === 'sensitive-variables' && x.value.kind === 'array') for (const i of x.value.items) if (i.kind === 'string') names.add(i.value);
  if (names.size === 0) return;
  for (const x of root.members)
    if (x.key === 'variables' && x.value.kind === 'object') for (const v of x.value.members) if (names.has(v.key)) m.secret(v.value);
}

/** Ties report items to their output lines and orders them by JSON line. */
function finish(report: ReportItem[], printed: Printed): ReportItem[] {
  for (const r of report) if (r.node) r.outputLine = printed.lineOf.get(r.node);
  return report.map(({ node: _n, ...rest }) => rest).sort((a, b) => (a.jsonLine ?? 0) - (b.jsonLine ?? 0));
}

function failed(doc: JsonDocument | undefined, message: string, at?: number): MigrateResult {
  const jsonLine = doc && at !== undefined ? doc.lines.position(at).line : undefined;
  return { hcl: '', report: [{ level: 'error', message, jsonLine }], status: 'error' };
}

export function targetVersion(text: string | undefined): Version {
  const v = parseTargetVersion(text ?? DEFAULT_TARGET);
  if (!v) throw new Error(`invalid Packer version "${text}" (expected X.Y.Z, e.g. 1.6.6)`);
  return v;
}

/**
 * How deep a JSON document may nest to be migrated. The parser and the converter recurse once per level (and Go
 * template parentheses add at most MAX_PAREN_DEPTH more): this bound keeps them well within Node's stack. Packer 1.6.6
 * itself passes at most about 1020 levels to a builder, provisioner or post-processor (its plugin protocol's limit);
 * deeper JSON is accepted by Packer only in keys it ignores, such as `push`.
 */
export const MAX_JSON_DEPTH = 1100;

/** The offset of the first `{` or `[` that opens level MAX_JSON_DEPTH + 1 (strings skipped), if any: a linear scan. */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return undefined;
}

function parse(text: string): { doc: JsonDocument; error?: undefined } | { doc?: JsonDocument; error: MigrateResult } {
  const body = stripBom(text).text;
  const deep = tooDeep(body);
  if (deep !== undefined) {
    const line = new LineIndex(body).position(deep).line;
    return { error: { hcl: '', report: [{ level: 'error', message: `nested more than ${MAX_JSON_DEPTH} levels deep; pkrlint migrate converts JSON nested up to ${MAX_JSON_DEPTH} levels (Packer passes at most about 1020 levels to a builder, provisioner or post-processor)`, jsonLine: line }], status: 'error' } };
  }
  const doc = parseJson(body);
  if (doc.errors.length) return { doc, error: failed(doc, `JSON syntax error: ${doc.errors[0].message}`, doc.errors[0].start) };
  return { doc };
}

/**
 * Runs one file's conversion so that running out of stack or string space fails that file with a clear message
 * instead of the whole run (the bounds above should make this unreachable; it is the safety net).
 */
function guarded(convert: () => MigrateResult): MigrateResult {
  try {
    return convert();
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    if (/call stack/i.test(e.message)) return failed(undefined, 'nested too deeply (or too large) to convert: pkrlint ran out of stack space');
    if (/string length|array length/i.test(e.message)) return failed(undefined, 'too large to convert (the output would exceed what pkrlint can hold in memory)');
    throw e;
  }
}

/** Converts one legacy JSON template to HCL2. Never throws on bad input: problems are in the report. */
export function migrateTemplate(text: string, fileName: string, options: MigrateOptions = {}): MigrateResult {
  const target = targetVersion(options.packerVersion);
  return guarded(() => convertTemplate(text, fileName, target, options));
}

function convertTemplate(text: string, fileName: string, target: Version, options: MigrateOptions): MigrateResult {
  const parsed = parse(text);
  if (parsed.error) return parsed.error;
  const doc = parsed.doc;
  const root = doc.root;
  if (!root || root.kind !== 'object' || !isLegacyTemplate(root)) return failed(doc, 'not a legacy JSON Packer template', 0);
  const m = new Migration(doc, target);
  const used: Used = new Map();

  markSensitive(m, root);
  reportDuplicateKeys(m, root);
  const top = topItems(m, root, text, options);
  const variables = member(root, 'variables')?.value;
  declareVariables(m, variables);
  const vars = convertVariables(m, variables, member(root, 'sensitive-variables')?.value);
  const { sources, items: sourceItems } = convertBuilders(m, member(root, 'builders')?.value, used);
  const { buildItems, registry } = buildBlockItems(m, root, sources, used, fileName, options);
  const packerItems = packerBlockItems(m, root, used);
  const envBlocks = envVariableBlocks(m);
  const localItems = [...vars.locals];
  if (m.timestampLocal) localItems.unshift(attr(m.timestampLocal, { kind: 'call', name: 'regex_replace', args: [{ kind: 'call', name: 'timestamp', args: [] }, str('[- TZ:]'), str('')] }));
  // (Loops, not spreads: a template may have thousands of them.)
  for (const t of remainingDuplicateTodos(m)) top.push(t);
  for (const t of vars.todos) top.push(t);

  const sections: OutItem[][] = [];
  if (top.length) sections.push(top);
  if (packerItems.length) sections.push([block('packer', [], packerItems)]);
  if (registry.where === 'top') sections.push([registry.block]);
  for (const b of [...vars.blocks, ...envBlocks]) sections.push([b]);
  if (localItems.length) sections.push([block('locals', [], localItems)]);
  for (const b of vars.sensitiveLocals) sections.push([b]);
  if (sourceItems.length) sections.push(sourceItems);
  sections.push([block('build', [], buildItems)]);

  const body: OutBody = { items: sections.flatMap((s, i) => (i === 0 ? s : [blank(), ...s])) };
  relocate(m, body, options.templateDir);
  const printed = printBody(body);
  const report = finish(m.report, printed);
  return { hcl: printed.text, report, status: statusOf(report), variables: [...m.variables.values()] };
}

type JsonObject = Extract<JsonNode, { kind: 'object' }>;

/**
 * `{{template_dir}}` became `path.root`, the output's directory: an output written elsewhere than its JSON template
 * (another directory of its own, --out-dir) points from there back to the JSON's directory, so the same files are used.
 */
function relocate(m: Migration, body: OutBody, templateDir: string | undefined): void {
  if (!templateDir) return;
  const n = replaceRefs(body, ['path', 'root'], (r) => template([r, `/${templateDir}`]));
  if (n) m.add('converted', `{{template_dir}} became "\${path.root}/${templateDir}" (${n} use${n === 1 ? '' : 's'}): the JSON template's directory, seen from the output's`);
}

/** The top of the file: the standalone marker, root comment keys, the caller's reviews, root keys that are not carried over. */
function topItems(m: Migration, root: JsonObject, text: string, options: MigrateOptions): OutItem[] {
  const top: OutItem[] = [];
  if (options.standalone) top.push(comment(`${STANDALONE_MARKER}: built on its own (packer build FILE), not with the other templates of this directory`));
  const rootComments = root.members.filter((x) => x.key.startsWith('_'));
  for (const c of rootComments) top.push(isCommentKey(c) ? commentOf(commentLines(c)) : comment(`${c.key}: ${JSON.stringify(text.slice(c.value.start, c.value.end))}`));
  for (const r of options.reviews ?? []) top.push(m.todo(r));
  if (rootComments.length) m.add('converted', `${rootComments.length} root comment key${rootComments.length === 1 ? '' : 's'} to comments at the top`);
  for (const mem of root.members) {
    if (mem.key.startsWith('_') || ROOT_KEYS.has(mem.key)) continue;
    top.push(m.todo(`unknown root key "${mem.key}" (Packer rejects it in JSON templates); not carried over: ${m.json(mem.value)}`, mem.keyStart));
  }
  const push = member(root, 'push');
  if (push) top.push(m.todo(`"push" (Atlas push settings) is ignored by Packer and has no HCL2 equivalent; not carried over: ${m.json(push.value)}`, push.keyStart));
  return top;
}

/** The build block's body: description, sources, the registry block when it goes there, provisioners, post-processors. */
function buildBlockItems(m: Migration, root: JsonObject, sources: SourceRef[], used: Used, fileName: string, options: MigrateOptions): { buildItems: OutItem[]; registry: RegistryPlacement } {
  const buildItems: OutItem[] = [];
  const description = member(root, 'description');
  const descriptionText = description?.value.kind === 'string' ? description.value.value : undefined;
  if (description) {
    const notes = m.notesOf();
    buildItems.push(notes.on(attr('description', jsonToExpr(description.value, m.scope('other', description.value, notes)))));
  }
  if (sources.length) buildItems.push(attr('sources', list(sources.map((s) => str(`source.${s.type}.${s.name}`)))));
  else buildItems.unshift(m.todo('the template has no builders: the build has no sources', root));

  const registry = registryBlock(m, {
    registry: options.registry ?? true,
    bucketName: options.bucketName,
    bucketLabels: options.bucketLabels ?? {},
    buildLabels: options.buildLabels ?? {},
    channels: options.channels ?? [],
    env: options.env ?? process.env,
  } satisfies RegistryOptions, fileName, descriptionText);
  if (registry.where === 'build') buildItems.push(blank(), registry.block);

  const provisioners = convertProvisioners(m, member(root, 'provisioners')?.value, sources, used);
  const ecp = member(root, 'error-cleanup-provisioner');
  const cleanup: OutItem[] = [];
  if (ecp) {
    if (m.allows('error-cleanup-provisioner')) cleanup.push(...convertComponent(m, ecp.value, 'provisioners', 'error-cleanup-provisioner', sources, used, 'error-cleanup-provisioner'));
    else cleanup.push(m.todo(`error-cleanup-provisioner needs Packer ${FEATURES['error-cleanup-provisioner'].since}; not carried over for this target`, ecp.keyStart));
  }
  const pps = convertPostProcessors(m, member(root, 'post-processors')?.value, sources, used);
  // One blank line before each block, above the TODO comments that belong to it.
  let previous: OutItem | undefined;
  for (const it of [...provisioners, ...cleanup, ...pps]) {
    if (it.type !== 'blank' && previous?.type !== 'comment') buildItems.push(blank());
    buildItems.push(it);
    previous = it;
  }
  return { buildItems, registry };
}

/** The packer block's body: required_version (raised to what the output needs) and required_plugins. */
function packerBlockItems(m: Migration, root: JsonObject, used: Used): OutItem[] {
  const plugins = requiredPlugins(m, used);
  const packerItems: OutItem[] = [];
  const minVersion = member(root, 'min_packer_version');
  if (minVersion) {
    if (minVersion.value.kind === 'string') {
      let version = minVersion.value.value;
      const parsed = parseTargetVersion(version);
      // The output may use constructs newer than the JSON's minimum: the constraint must admit only Packers that read it.
      if (m.needed && (!parsed || !atLeast(parsed, m.needed.version))) {
        version = m.needed.version;
        m.add('note', `required_version raised from ">= ${minVersion.value.value}" to ">= ${version}": the output uses ${FEATURES[m.needed.feature].name} (Packer ${version})`, minVersion.keyStart);
      }
      packerItems.push(attr('required_version', str(`>= ${version}`)));
      m.add('converted', `min_packer_version to packer { required_version = ">= ${version}" }`, minVersion.keyStart);
    } else packerItems.push(m.todo('min_packer_version is not a string; not carried over', minVersion.keyStart));
  }
  if (plugins) {
    if (packerItems.length) packerItems.push(blank());
    packerItems.push(plugins);
  }
  return packerItems;
}

/** Duplicate keys whose kept value is not a component argument: their TODOs go at the top of the file. */
function remainingDuplicateTodos(m: Migration): OutItem[] {
  const todos: OutItem[] = [];
  for (const items of m.duplicates.values())
    for (const item of items) {
      const c = comment(`TODO(pkrlint): ${item.message}`);
      item.node = c;
      todos.push(c);
    }
  return todos;
}

/** The template whose variables a variable file sets, when both are migrated together. */
export interface VarFileTemplate {
  /** How the template is named in messages. */
  name: string;
  variables: VariableInfo[];
}

/**
 * Converts a JSON variable file (a flat object of strings) to `.pkrvars.hcl` text. With the template it belongs to,
 * keys take the template's variable names (renames included); a key that names a variable which became a local, or
 * no variable at all, is reported, because Packer ignores it with no more than an "Undefined variable" warning.
 */
export function migrateVarFile(text: string, template?: VarFileTemplate): MigrateResult {
  return guarded(() => convertVarFile(text, template));
}

function convertVarFile(text: string, template?: VarFileTemplate): MigrateResult {
  const parsed = parse(text);
  if (parsed.error) return parsed.error;
  const doc = parsed.doc;
  if (!isJsonVarFile(doc.root) || doc.root?.kind !== 'object') return failed(doc, 'not a JSON variable file (a flat object of strings)', 0);
  const m = new Migration(doc, DEFAULT_TARGET);
  const items: OutItem[] = [];
  const table = new Map(template?.variables.map((v) => [v.jsonName, v]));
  const names = new Names();
  // Names of the template's variables are taken; keys unknown to it get names of their own that do not collide.
  for (const v of table.values()) names.reserve(v.name);
  const members = lastOfEachKey(doc.root.members);
  const unknown = members.filter((x) => !table.has(x.key));
  const assigned = names.assign(unknown.map((u) => u.key));
  const own = new Map(unknown.map((x, i) => [x, assigned[i]]));
  for (const mem of members) {
    const info = table.get(mem.key);
    const name = info?.name ?? own.get(mem)!;
    if (info?.local) items.push(m.todo(`variable "${mem.key}" became local.${info.name} in ${template!.name} (its default is not a literal or env()): this value is not used`, mem.keyStart));
    else if (template && !info) items.push(m.todo(`${template.name} has no variable "${mem.key}": Packer ignores this value (with an "Undefined variable" warning)`, mem.keyStart));
    if (name !== mem.key) m.add('renamed', `variable "${mem.key}" is now "${name}"${template && info ? ` (as in ${template.name})` : ''}`, mem.keyStart);
    // Values of variable files are taken literally: Packer does not interpolate them.
    items.push(attr(name, str((mem.value as Extract<JsonNode, { kind: 'string' }>).value)));
  }
  const values = members.length;
  m.add('converted', `${values} variable value${values === 1 ? '' : 's'}${template ? ` for the variables of ${template.name}` : ''}`);
  const printed = printBody({ items });
  const report = finish(m.report, printed);
  return { hcl: printed.text, report, status: statusOf(report) };
}

/** Which kind of JSON file a text is, for the CLI's discovery. */
export function classifyJson(text: string): 'template' | 'var-file' | 'other' | 'invalid' {
  // Too deep to parse safely is "invalid": a file that looks like a template is then a job whose report says why.
  const { doc, error } = parse(text);
  if (error || !doc) return 'invalid';
  if (isLegacyTemplate(doc.root)) return 'template';
  if (isJsonVarFile(doc.root)) return 'var-file';
  return 'other';
}
