/**
 * The components of grammar/packer-schema/components.json as the migrator and removed-argument look them up: one
 * type's schema with the required_plugins constraint of its plugin, or how Packer knows it otherwise. A view over
 * src/packer/schema.ts, which reads the file.
 */
import type { ComponentKind } from './removed.js';
import { bundledComponent, findComponent, pluginBySource, type ArgSpec, type Component as SchemaComponent, type Spec } from './schema.js';

export type { ArgSpec, ComponentKind, Spec };

export interface Component extends SchemaComponent {
  /** A version constraint for required_plugins, from the release the schema was read at. */
  version: string;
}

/** How a component type is known: with its schema, only by name (a plugin without extracted schema), or not at all. */
export type Lookup = { found: 'schema'; component: Component } | { found: 'bundled'; source: string | null; currentName?: string } | { found: 'unknown' };

export function lookupComponent(kind: ComponentKind, type: string): Lookup {
  const component = findComponent(kind, type);
  if (component) return { found: 'schema', component: { ...component, version: pluginBySource(component.source)?.version ?? '>= 0.0.1' } };
  const b = bundledComponent(kind, type);
  if (b) return { found: 'bundled', source: b.current_source, currentName: b.current_name };
  return { found: 'unknown' };
}
