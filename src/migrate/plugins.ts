import { FEATURES } from '../packer/version.js';
import { attr, block, str, type OutBlock, type OutItem } from '../hcl/model.js';
import type { Used } from './builders.js';
import type { Migration } from './context.js';
import { lookupComponent } from './schema.js';

/** `required_plugins` derived from the components the template uses (components.json), or undefined when none is external. */
export function requiredPlugins(m: Migration, used: Used): OutBlock | undefined {
  const plugins = new Map<string, { source: string; version: string }>();
  // Components without a known plugin were reported where they are used.
  for (const { kind, type } of used.values()) {
    const l = lookupComponent(kind, type);
    if (l.found === 'schema' && l.component.source !== 'packer-core') plugins.set(l.component.plugin, { source: l.component.source, version: l.component.version });
  }
  if (plugins.size === 0) return undefined;
  if (!m.allows('required-plugins')) {
    m.add('note', `required_plugins not written: target Packer ${m.target} is older than ${FEATURES['required-plugins'].since} (needed from then on: ${[...plugins.values()].map((p) => p.source).join(', ')})`);
    return undefined;
  }
  const items: OutItem[] = [...plugins]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, p]) => attr(name, { kind: 'object', entries: [{ key: 'source', value: str(p.source) }, { key: 'version', value: str(p.version) }] }));
  m.add('converted', `required_plugins: ${[...plugins.values()].map((p) => `${p.source} ${p.version}`).join(', ')}`);
  return block('required_plugins', [], items);
}
