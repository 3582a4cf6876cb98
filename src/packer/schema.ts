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
  labels: string[];
  body?: string;
}
interface BodyDef {
  attributes?: Record<string, { type?: string; since?: string }>;
  blocks?: Record<string, BlockDef>;
}
interface CoreBlocks {
  top_level_blocks: Record<string, BlockDef>;
  bodies: Record<string, BodyDef>;
  /** Components compiled into Packer releases, by kind (read by the migrator). */
  bundled_components: { components: Record<string, Record<string, unknown>> };
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
