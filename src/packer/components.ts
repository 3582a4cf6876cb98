import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { coreBlocks, schemaDir } from './schema.js';

/** A component argument as extracted from the plugin's generated HCL2 spec (grammar/packer-schema/README.md). */
export type ArgSpec =
  | { kind: 'attr'; type: string }
  | { kind: 'block'; nested: Spec }
  | { kind: 'block-list'; nested: Spec }
  | { kind: 'block-attrs'; element_type: string };

export type Spec = Record<string, ArgSpec>;

import type { ComponentKind } from './removed.js';
export type { ComponentKind };

interface PluginEntry {
  plugin: string;
  builders?: Record<string, Spec>;
  provisioners?: Record<string, Spec>;
  'post-processors'?: Record<string, Spec>;
  'json-only-arguments'?: Partial<Record<ComponentKind, Record<string, string[]>>>;
  extracted_from: { git_describe: string };
}

interface Bundled {
  current_source: string | null;
  current_name?: string;
}

export interface Component {
  /** Source address, or 'packer-core' for components built into Packer. */
  source: string;
  plugin: string;
  spec: Spec;
  jsonOnly: string[];
  /** A version constraint for required_plugins, from the release the schema was read at. */
  version: string;
}

/** How a component type is known: with its schema, only by name (a plugin without extracted schema), or not at all. */
export type Lookup = { found: 'schema'; component: Component } | { found: 'bundled'; source: string | null; currentName?: string } | { found: 'unknown' };

const KINDS: ComponentKind[] = ['builders', 'provisioners', 'post-processors'];

/** Components with a schema by `kind:type` (the first plugin of components.json that has it), and bundled names. */
let cache: { index: Map<string, Component>; bundled: Record<ComponentKind, Record<string, Bundled>> } | undefined;

function load() {
  if (!cache) {
    const components = JSON.parse(readFileSync(join(schemaDir(), 'components.json'), 'utf8')) as Record<string, PluginEntry>;
    const index = new Map<string, Component>();
    for (const [source, entry] of Object.entries(components))
      for (const kind of KINDS)
        for (const [type, spec] of Object.entries(entry[kind] ?? {})) {
          const key = `${kind}:${type}`;
          if (!index.has(key))
            index.set(key, { source, plugin: entry.plugin, spec, jsonOnly: entry['json-only-arguments']?.[kind]?.[type] ?? [], version: constraintFrom(entry.extracted_from.git_describe) });
        }
    const bundled = coreBlocks().bundled_components.components as Record<ComponentKind, Record<string, Bundled>>;
    cache = { index, bundled };
  }
  return cache;
}

/** `v1.7.0-57-g5028903a` → `>= 1.7.0`. */
function constraintFrom(describe: string): string {
  const m = /^v?(\d+\.\d+\.\d+)/.exec(describe);
  return m ? `>= ${m[1]}` : '>= 0.0.1';
}

export function lookupComponent(kind: ComponentKind, type: string): Lookup {
  const { index, bundled } = load();
  const component = index.get(`${kind}:${type}`);
  if (component) return { found: 'schema', component };
  const b = bundled[kind]?.[type];
  if (b) return { found: 'bundled', source: b.current_source, currentName: b.current_name };
  return { found: 'unknown' };
}
