/** The Packer schema as data (grammar/packer-schema/), read once on first use. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

let dirCache: string | undefined;
/** grammar/packer-schema/ of this installation, found upward from this module (compiled or bundled, it moves). */
export function schemaDir(): string {
  if (dirCache) return dirCache;
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'grammar', 'packer-schema', 'core-blocks.json'))) {
    const up = dirname(d);
    if (up === d) throw new Error('cannot find grammar/packer-schema/ of this pkrlint installation');
    d = up;
  }
  dirCache = join(d, 'grammar', 'packer-schema');
  return dirCache;
}

interface BlockDef {
  kind: 'block' | 'block-list';
  labels: string[];
  body?: string;
  since?: string;
  status?: string;
}
interface BodyDef {
  attributes?: Record<string, { kind: 'attr'; type: string; since?: string }>;
  blocks?: Record<string, BlockDef>;
  any_attribute_name?: unknown;
  remaining_arguments?: { component_kind: ComponentKind };
}
interface CoreBlocks {
  top_level_blocks: Record<string, BlockDef>;
  bodies: Record<string, BodyDef>;
  /** Components compiled into Packer releases, by kind (read by the migrator). */
  bundled_components: { components: Record<string, Record<string, unknown>> };
  internal_component_arguments: string[];
}

let core: CoreBlocks | undefined;
export function coreBlocks(): CoreBlocks {
  core ??= JSON.parse(readFileSync(join(schemaDir(), 'core-blocks.json'), 'utf8')) as CoreBlocks;
  return core;
}

/** The arguments and nested blocks Packer decodes in `hcp_packer_registry`; everything else is silently ignored. */
export function registryArguments(): { attributes: string[]; blocks: string[] } {
  const body = coreBlocks().bodies.hcp_packer_registry;
  return { attributes: Object.keys(body.attributes ?? {}), blocks: Object.keys(body.blocks ?? {}) };
}

/**
 * Block types (with their label counts) for HCL's JSON syntax, by the path of enclosing block types. Component bodies
 * (source, provisioner …) are plugin-defined; their nested blocks are not modelled, so they read as attributes there.
 */
export function jsonBlockLabels(path: readonly string[], key: string): number | undefined {
  const c = coreBlocks();
  if (key === 'dynamic') return 1;
  if (path.length === 0) return c.top_level_blocks[key]?.labels.length;
  const parent = path[path.length - 1];
  if (parent === 'dynamic') return key === 'content' ? 0 : undefined;
  const bodyName = bodyOf(path);
  const def = bodyName ? c.bodies[bodyName]?.blocks?.[key] : undefined;
  return def?.labels.length;
}

function bodyOf(path: readonly string[]): string | undefined {
  const c = coreBlocks();
  let body = c.top_level_blocks[path[0]]?.body;
  for (const t of path.slice(1)) {
    if (!body) return undefined;
    body = c.bodies[body]?.blocks?.[t]?.body;
  }
  return body;
}

/** The component kinds of components.json, by the block that uses them. */
export type ComponentKind = 'builders' | 'provisioners' | 'post-processors' | 'data-sources';
export const COMPONENT_KINDS: readonly ComponentKind[] = ['builders', 'provisioners', 'post-processors', 'data-sources'];

/** An argument of a component (as extracted from its generated HCL2 spec) or of a core body (with `since`). */
export type ArgSpec =
  | { kind: 'attr'; type: string; since?: string }
  | { kind: 'block' | 'block-list'; nested?: Spec; body?: string; labels?: string[]; since?: string; status?: string }
  | { kind: 'block-attrs'; element_type: string; since?: string };
export type Spec = Record<string, ArgSpec>;

interface PluginEntry {
  plugin: string;
  builders?: Record<string, Spec>;
  provisioners?: Record<string, Spec>;
  'post-processors'?: Record<string, Spec>;
  'data-sources'?: Record<string, Spec>;
  'json-only-arguments'?: Partial<Record<ComponentKind, Record<string, string[]>>>;
  source_aliases?: string[];
  extracted_from?: { git_describe?: string };
}

export interface Component {
  kind: ComponentKind;
  type: string;
  /** Source address, or 'packer-core' for components built into Packer. */
  source: string;
  plugin: string;
  spec: Spec;
  /** Keys the component reads from legacy JSON templates only; its HCL2 spec rejects them. */
  jsonOnly: string[];
}

export interface Plugin {
  source: string;
  plugin: string;
  aliases: string[];
  /** A version constraint for required_plugins: at least the release the schema was read at (`>= 1.7.0`). */
  version: string;
  /** The last release tag at or before the commit the schema was read at (`1.7.0`); undefined when unknown. */
  release?: string;
}

/** A component type compiled into some Packer release (bundled_components): known by name, maybe without schema. */
export interface Bundled {
  current_source: string | null;
  current_name?: string;
  first_bundled?: string;
  not_bundled_since?: string;
}

let comps: { index: Map<string, Component>; plugins: Plugin[] } | undefined;
function loadComponents() {
  if (!comps) {
    const all = JSON.parse(readFileSync(join(schemaDir(), 'components.json'), 'utf8')) as Record<string, PluginEntry>;
    const index = new Map<string, Component>();
    const plugins: Plugin[] = [];
    for (const [source, entry] of Object.entries(all)) {
      const release = /^v?(\d+\.\d+\.\d+)/.exec(entry.extracted_from?.git_describe ?? '');
      plugins.push({ source, plugin: entry.plugin, aliases: entry.source_aliases ?? [], version: release ? `>= ${release[1]}` : '>= 0.0.1', release: release?.[1] });
      for (const kind of COMPONENT_KINDS)
        for (const [type, spec] of Object.entries(entry[kind] ?? {})) {
          const key = `${kind}:${type}`;
          if (!index.has(key)) index.set(key, { kind, type, source, plugin: entry.plugin, spec, jsonOnly: entry['json-only-arguments']?.[kind]?.[type] ?? [] });
        }
    }
    comps = { index, plugins };
  }
  return comps;
}

/** The component with a schema, or undefined (a plugin outside the schema, a typo, a bundled type without schema). */
export function findComponent(kind: ComponentKind, type: string): Component | undefined {
  return loadComponents().index.get(`${kind}:${type}`);
}

/** A type Packer once compiled in, with where it lives now. */
export function bundledComponent(kind: ComponentKind, type: string): Bundled | undefined {
  const b = (coreBlocks().bundled_components.components as Record<string, Record<string, Bundled> | undefined>)[kind];
  return b && Object.hasOwn(b, type) ? b[type] : undefined;
}

/** Every type of a kind pkrlint knows by name: with schema, or bundled into some Packer release. */
export function componentTypes(kind: ComponentKind): string[] {
  const out = new Set<string>();
  for (const c of loadComponents().index.values()) if (c.kind === kind) out.add(c.type);
  for (const t of Object.keys((coreBlocks().bundled_components.components as Record<string, Record<string, unknown> | undefined>)[kind] ?? {})) out.add(t);
  return [...out];
}

/** The plugin of components.json with this source address (or an older address of it). */
export function pluginBySource(source: string): Plugin | undefined {
  const s = source.toLowerCase();
  return loadComponents().plugins.find((p) => p.source === s || p.aliases.includes(s));
}

/** The component types of a plugin, by kind. */
export function pluginComponents(source: string): Component[] {
  return [...loadComponents().index.values()].filter((c) => c.source === source);
}

/** The internal `packer_*` arguments Packer sets itself in every component. */
export function internalArguments(): readonly string[] {
  return coreBlocks().internal_component_arguments;
}

/** A core body of core-blocks.json as a Spec (attributes and blocks), with its extra facts. */
export interface CoreBody {
  spec: Spec;
  /** Any attribute name is allowed (locals, variables, required_plugins). */
  open: boolean;
  /** Arguments not in `spec` are checked against this component kind. */
  componentKind?: ComponentKind;
}

const coreBodyCache = new Map<string, CoreBody | undefined>();
export function coreBody(name: string): CoreBody | undefined {
  if (coreBodyCache.has(name)) return coreBodyCache.get(name);
  const raw = Object.hasOwn(coreBlocks().bodies, name) ? coreBlocks().bodies[name] : undefined;
  const out = raw
    ? {
        spec: { ...(raw.attributes ?? {}), ...(raw.blocks ?? {}) },
        open: raw.any_attribute_name !== undefined,
        componentKind: raw.remaining_arguments?.component_kind,
      }
    : undefined;
  coreBodyCache.set(name, out);
  return out;
}

/** The top-level blocks Packer's HCL2 schema accepts, as a Spec. */
export function topLevelSpec(): Spec {
  return coreBlocks().top_level_blocks;
}
