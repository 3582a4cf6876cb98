/**
 * The schema rules' walk: every body of the configuration with the arguments Packer's schema allows there (core
 * bodies from core-blocks.json, component bodies from components.json, nested blocks of both).
 */
import { coreBody, findComponent, pluginBySource, topLevelSpec, type ArgSpec, type Component, type ComponentKind, type Plugin, type Spec } from '../packer/schema.js';
import type { SourceFile } from '../packer/unit.js';
import { resolveConstraints, sinceAllows } from '../packer/version.js';
import { blocks, objectKey, walkExpr, type Block, type Body } from '../syntax/hcl.js';
import type { RuleContext } from './types.js';

export interface Scope {
  file: SourceFile;
  body: Body;
  /** The arguments and blocks allowed here. */
  spec: Spec;
  /** Any attribute name is allowed (locals, variables, required_plugins). */
  open: boolean;
  /** How messages name this body: `source "amazon-ebs"`, `launch_block_device_mappings in source "amazon-ebs"`. */
  where: string;
  /** The component whose top-level body this is. */
  component?: Component;
  /** Whether Packer expands `dynamic` blocks here. */
  dynamic: boolean;
}

/** Blocks other rules own: the registry rules judge hcp_packer_registry, the hcp-datasource rules the HCP data sources. */
export function ownedElsewhere(name: string): boolean {
  return name === 'hcp_packer_registry';
}
function isHcpDataSource(type: string): boolean {
  return type.startsWith('hcp-packer-');
}

export function isBlockKind(a: ArgSpec): a is Extract<ArgSpec, { kind: 'block' | 'block-list' }> {
  return a.kind === 'block' || a.kind === 'block-list';
}

/**
 * A build's source reference → its type and name, as Packer reads it (sourceRefFromString): `T.N`, or `X.T.N` whose
 * first part is dropped (`source.amazon-ebs.ubuntu`, also `sources.…`); a fourth part and beyond are ignored.
 */
export function sourceRef(ref: string): { type: string; name: string } | undefined {
  let parts = ref.split('.');
  if (parts.length < 2) return undefined;
  if (parts.length > 2) parts = parts.slice(1);
  return { type: parts[0], name: parts[1] };
}

/** The component kind a block of this core body uses, and its type from the block's labels. */
function componentOf(bodyName: string, b: Block): { kind: ComponentKind; type: string } | undefined {
  const label = b.labels[0]?.value;
  if (label === undefined) return undefined;
  const kind = coreBody(bodyName)?.componentKind;
  if (!kind) return undefined;
  if (bodyName === 'build.source') {
    const ref = sourceRef(label);
    return ref ? { kind, type: ref.type } : undefined;
  }
  return { kind, type: label };
}

/**
 * The scope of a block that the spec entry `arg` allows, or undefined when its body is not judged (a component the
 * schema does not know, a block other rules own, a block Packer accepts and ignores).
 */
export function childScope(parent: Scope, b: Block, arg: ArgSpec, body: Body = b.body, judged: (c: Component) => boolean = () => true): Scope | undefined {
  if (!isBlockKind(arg)) return undefined;
  const name = b.type === 'dynamic' ? b.labels[0]?.value ?? '' : b.type;
  const dynamic = parent.dynamic || name === 'build' || name === 'source';
  if (arg.nested) return { file: parent.file, body, spec: arg.nested, open: false, where: `${name} in ${parent.where}`, dynamic };
  if (!arg.body || ownedElsewhere(name)) return undefined;
  const core = coreBody(arg.body);
  if (!core) return undefined;
  const comp = componentOf(arg.body, b);
  if (core.componentKind) {
    // A dynamic block's label is the block type, not the component type: what it generates is not judged.
    if (b.type === 'dynamic' || !comp || (comp.kind === 'data-sources' && isHcpDataSource(comp.type))) return undefined;
    const component = findComponent(comp.kind, comp.type);
    if (!component || !judged(component)) return undefined;
    const where = `${b.type} "${b.labels[0]?.value ?? ''}"`;
    return { file: parent.file, body, spec: { ...component.spec, ...core.spec }, open: false, where, component, dynamic };
  }
  return { file: parent.file, body, spec: core.spec, open: core.open, where: name, dynamic };
}

/** Every judged body of the unit's configuration files, outermost first. */
export function schemaScopes(ctx: RuleContext): Scope[] {
  const out: Scope[] = [];
  const cfg = ctx.hcl?.config;
  if (!cfg) return out;
  const spec = topLevelSpec();
  const { entries } = requiredPlugins(ctx);
  const judged = (c: Component) => schemaApplies(c, entries);
  for (const file of cfg.configFiles) {
    if (!file.hcl) continue;
    const stack: Scope[] = [{ file, body: file.hcl.body, spec, open: false, where: 'the top level', dynamic: false }];
    while (stack.length) {
      const scope = stack.pop()!;
      out.push(scope);
      const children: Scope[] = [];
      for (const b of blocks(scope.body)) {
        if (b.type === 'dynamic') {
          const name = b.labels[0]?.value;
          const arg = name !== undefined && scope.dynamic && Object.hasOwn(scope.spec, name) ? scope.spec[name] : undefined;
          if (!arg) continue;
          for (const content of blocks(b.body, 'content')) {
            const child = childScope(scope, b, arg, content.body, judged);
            if (child) children.push(child);
          }
          continue;
        }
        const arg = Object.hasOwn(scope.spec, b.type) ? scope.spec[b.type] : undefined;
        // A block the target Packer does not have is reported itself; what it holds is not judged.
        const child = arg && sinceAllows(ctx.target.version, arg.since) ? childScope(scope, b, arg, b.body, judged) : undefined;
        if (child) children.push(child);
      }
      stack.push(...children.reverse());
    }
  }
  return out;
}

/**
 * Whether the schema of a component speaks for the plugin release the configuration asks for: not when its
 * required_plugins entry has a version constraint that excludes the release the schema was read at (`vmware ~> 1`
 * keeps the ESXi options the 2.x schema no longer has).
 */
function schemaApplies(c: Component, entries: RequiredPlugin[]): boolean {
  const plugin = pluginBySource(c.source);
  return !plugin || !entries.some((e) => e.source !== undefined && pluginBySource(e.source) === plugin && excludesSchemaRelease(e, plugin));
}

/** Whether the entry's version constraint allows no release the schema could speak for: not the one it was read at. */
export function excludesSchemaRelease(e: RequiredPlugin, plugin: Plugin): boolean {
  if (e.version === undefined || plugin.release === undefined) return false;
  const r = resolveConstraints([e.version, `= ${plugin.release}`]);
  return !r.ok && r.reason === 'unsatisfiable';
}

/** Whether any file of the unit failed to parse: unit-wide rules judge nothing on a partial tree. */
export function unitIncomplete(ctx: RuleContext): boolean {
  return ctx.unit.files.some((f) => f.syntaxErrors.length > 0);
}

/** A reference to something the configuration declares: `var.x`, `local.x`, `data.T.N`, `source.T.N`. */
export interface Reference {
  file: SourceFile;
  kind: 'var' | 'local' | 'data' | 'source';
  /** `x`, or `T.N` for data and sources. */
  name: string;
  start: number;
  end: number;
  /** The variable block the reference is in (its own validation refers to it). */
  inVariable?: string;
}

/**
 * The attribute names after a traversal's root, read from the text (`var.x >= 8`: the reader model keeps only `var`
 * for an operand of a binary operator), with where each ends. Native syntax only: in a `.pkr.json` string every
 * expression has the string's place.
 */
function namesAfter(file: SourceFile, start: number, root: string): { names: string[]; ends: number[] } | undefined {
  if (file.kind !== 'hcl' || !file.text.startsWith(root, start)) return undefined;
  const step = /[ \t]*\.[ \t]*([A-Za-z_][\w-]*)/y;
  const names: string[] = [];
  const ends: number[] = [];
  step.lastIndex = start + root.length;
  for (let m = step.exec(file.text); m && names.length < 2; m = step.exec(file.text)) {
    names.push(m[1]);
    ends.push(step.lastIndex);
  }
  return { names, ends };
}

/** The name of a reference to the whole `var` object. */
export const ALL = '*';

/** Every reference in the unit's configuration files, in every expression, and the sources a build names in strings. */
export function references(ctx: RuleContext): Reference[] {
  const out: Reference[] = [];
  for (const file of ctx.hcl?.config.configFiles ?? []) {
    if (!file.hcl) continue;
    const stack: Array<{ body: Body; inVariable?: string; inBuild: boolean; build?: boolean }> = [{ body: file.hcl.body, inBuild: false }];
    while (stack.length) {
      const { body, inVariable, inBuild, build } = stack.pop()!;
      for (const s of body.statements) {
        if (s.kind === 'block') {
          const variable = inVariable ?? (body === file.hcl.body && s.type === 'variable' ? s.labels[0]?.value : undefined);
          const isBuild = body === file.hcl.body && s.type === 'build';
          stack.push({ body: s.body, inVariable: variable, inBuild: inBuild || isBuild, build: isBuild });
          if (build && s.type === 'source' && s.labels[0]) {
            const ref = sourceRef(s.labels[0].value);
            if (ref) out.push({ file, kind: 'source', name: `${ref.type}.${ref.name}`, start: s.labels[0].start, end: s.labels[0].end });
          }
          continue;
        }
        if (build && s.name === 'sources' && s.expr.kind === 'tuple') {
          for (const it of s.expr.items) {
            const text = it.kind === 'template' && it.parts.length === 1 && typeof it.parts[0] === 'string' ? it.parts[0] : undefined;
            const ref = text === undefined ? undefined : sourceRef(text);
            if (ref) out.push({ file, kind: 'source', name: `${ref.type}.${ref.name}`, start: it.start, end: it.end });
          }
        }
        // An object's keys are names, not references (`{ var = var }` passes every variable under the key "var").
        const keys = new Set<unknown>();
        walkExpr(s.expr, (e) => {
          if (e.kind === 'object') for (const it of e.items) keys.add(it.key);
          if (e.kind !== 'traversal' || keys.has(e)) return;
          const read = e.steps.length ? undefined : namesAfter(file, e.start, e.root);
          // The whole `var` object (templatefile("x.pkrtpl", { var = var })): every variable may be read.
          if (e.root === 'var' && e.steps.length === 0 && !read?.names.length) {
            out.push({ file, kind: 'var', name: ALL, start: e.start, end: e.end, inVariable });
            return;
          }
          const [a, b] = read ? read.names : e.steps.map((st) => st.name);
          // The place: the root and the steps that name the thing (`var.x` of `var.x.y`, `data.T.N` of `data.T.N.id`).
          const at = (steps: number) => ({ file, start: e.start, end: read ? read.ends[steps - 1] : Math.max(e.steps[steps - 1].end, e.start), inVariable });
          if ((e.root === 'var' || e.root === 'local') && typeof a === 'string') out.push({ ...at(1), kind: e.root, name: a });
          else if (e.root === 'data' && typeof a === 'string' && typeof b === 'string') out.push({ ...at(2), kind: 'data', name: `${a}.${b}` });
          // `source.name` and `source.type` are the current source's, inside a build.
          else if (e.root === 'source' && typeof a === 'string' && typeof b === 'string' && a !== 'name' && a !== 'type') out.push({ ...at(2), kind: 'source', name: `${a}.${b}` });
        });
      }
    }
  }
  return out;
}

/** A component a block uses: `source "amazon-ebs" "x"`, `provisioner "shell"`, `post-processor "manifest"`, `data "http" "x"`. */
export interface ComponentUse {
  file: SourceFile;
  kind: ComponentKind;
  type: string;
  block: Block;
  /** The type label. */
  start: number;
  end: number;
}

const USE_KIND: Record<string, ComponentKind> = { source: 'builders', data: 'data-sources', provisioner: 'provisioners', 'error-cleanup-provisioner': 'provisioners', 'post-processor': 'post-processors' };

export function componentUses(ctx: RuleContext): ComponentUse[] {
  const out: ComponentUse[] = [];
  const add = (file: SourceFile, b: Block) => {
    const label = b.labels[0];
    if (label) out.push({ file, kind: USE_KIND[b.type], type: label.value, block: b, start: label.start, end: label.end });
  };
  for (const file of ctx.hcl?.config.configFiles ?? []) {
    for (const b of blocks(file.hcl?.body ?? EMPTY)) {
      if (b.type === 'source' || b.type === 'data') add(file, b);
      if (b.type !== 'build') continue;
      for (const inner of blocks(b.body)) {
        if (inner.type === 'provisioner' || inner.type === 'error-cleanup-provisioner' || inner.type === 'post-processor') add(file, inner);
        if (inner.type === 'post-processors') for (const pp of blocks(inner.body, 'post-processor')) add(file, pp);
      }
    }
  }
  return out;
}
const EMPTY: Body = { start: 0, end: 0, statements: [] };

/** An entry of `packer { required_plugins { NAME = { source = …, version = … } } }`. */
export interface RequiredPlugin {
  /** The local name: components of the plugin are named `NAME` and `NAME-…`. */
  name: string;
  source?: string;
  /** The version constraint, when it is a literal string. */
  version?: string;
}

export interface RequiredPluginsBlock {
  file: SourceFile;
  packer: Block;
  block?: Block;
}

export function requiredPlugins(ctx: RuleContext): { entries: RequiredPlugin[]; blocks: RequiredPluginsBlock[] } {
  const entries: RequiredPlugin[] = [];
  const found: RequiredPluginsBlock[] = [];
  for (const file of ctx.hcl?.config.configFiles ?? []) {
    for (const packer of blocks(file.hcl?.body ?? EMPTY, 'packer')) {
      const rps = blocks(packer.body, 'required_plugins');
      if (!rps.length) found.push({ file, packer });
      for (const rp of rps) {
        found.push({ file, packer, block: rp });
        for (const s of rp.body.statements) {
          if (s.kind !== 'attribute') continue;
          const literal = (key: string) => {
            const v = s.expr.kind === 'object' ? s.expr.items.find((it) => objectKey(it.key) === key)?.value : undefined;
            return v?.kind === 'template' && v.parts.every((p) => typeof p === 'string') ? v.parts.join('') : undefined;
          };
          entries.push({ name: s.name, source: literal('source'), version: literal('version') });
        }
      }
    }
  }
  return { entries, blocks: found };
}

/** Whether the component type is named like one of the plugin installed under this local name. */
export function namedBy(localName: string, type: string): boolean {
  return type === localName || type.startsWith(`${localName}-`);
}
