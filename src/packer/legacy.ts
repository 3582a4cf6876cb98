import type { JsonNode } from '../syntax/json.js';

const LEGACY_KEYS = new Set(['builders', 'provisioners', 'post-processors', 'variables']);
const LEGACY_ONLY_KEYS = new Set(['builders', 'provisioners', 'post-processors', 'min_packer_version', 'sensitive-variables']);

/**
 * Whether a parsed JSON root is a legacy (pre-HCL2) Packer template. Recognised by content: a root object with
 * `builders`, `provisioners` or `post-processors` as arrays (or a `post-processors` array), or `variables` as a flat
 * object of scalars. HCL2-in-JSON (`.pkr.json`) uses `source`, `build`, `variable` (singular) instead.
 */
export function isLegacyTemplate(root: JsonNode | undefined): boolean {
  if (!root || root.kind !== 'object') return false;
  let sawLegacy = false;
  for (const m of root.members) {
    if (m.key === 'source' || m.key === 'build' || m.key === 'variable' || m.key === 'locals' || m.key === 'data') return false;
    if (LEGACY_ONLY_KEYS.has(m.key) && (m.value.kind === 'array' || m.key === 'min_packer_version' || m.key === 'sensitive-variables')) sawLegacy = true;
    if (m.key === 'variables' && m.value.kind === 'object') {
      const flat = m.value.members.every((v) => v.value.kind !== 'object' && v.value.kind !== 'array');
      if (flat) sawLegacy = true;
    }
  }
  return sawLegacy && root.members.some((m) => LEGACY_KEYS.has(m.key) || m.key === 'min_packer_version');
}

/** A JSON variable file (`-var-file` style): a flat object whose values are all strings. */
export function isJsonVarFile(root: JsonNode | undefined): boolean {
  return !!root && root.kind === 'object' && root.members.length > 0 && root.members.every((m) => m.value.kind === 'string');
}
