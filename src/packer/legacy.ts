import type { JsonNode } from '../syntax/json.js';

/** Root keys of a legacy template (grammar/packer-schema/core-blocks.json, legacy_json_template.root_keys). */
export const ROOT_KEYS: ReadonlySet<string> = new Set([
  'builders',
  'description',
  'error-cleanup-provisioner',
  'min_packer_version',
  'post-processors',
  'provisioners',
  'push',
  'sensitive-variables',
  'variables',
]);

/**
 * Whether a parsed JSON root is a legacy (pre-HCL2) Packer template, judged by content: an object with a `builders`
 * array, or one whose keys are all legacy root keys (or `_`-prefixed comments, or a misplaced `hcp_packer_registry`,
 * which a rule reports) with `provisioners` or `post-processors` as an array, or `variables` as a flat object. Other JSON that
 * happens to have a `variables` key — an Azure ARM deployment template, a package manifest — has other root keys.
 * HCL2-in-JSON (`.pkr.json`) uses `source`, `build`, `variable` instead and is not legacy.
 */
export function isLegacyTemplate(root: JsonNode | undefined): boolean {
  if (!root || root.kind !== 'object' || root.members.length === 0) return false;
  // A `builders` array is Packer's alone; a template with it is one even with a key Packer rejects (reported later).
  if (root.members.some((m) => m.key === 'builders' && m.value.kind === 'array')) return true;
  let shaped = false;
  for (const m of root.members) {
    if (m.key.startsWith('_') || m.key === 'hcp_packer_registry') continue;
    if (!ROOT_KEYS.has(m.key)) return false;
    if ((m.key === 'provisioners' || m.key === 'post-processors') && m.value.kind === 'array') shaped = true;
    if (m.key === 'variables' && m.value.kind === 'object' && m.value.members.every((v) => v.value.kind !== 'object' && v.value.kind !== 'array')) shaped = true;
  }
  return shaped;
}

/** A JSON variable file (`-var-file` style): a flat object whose values are all strings. */
export function isJsonVarFile(root: JsonNode | undefined): boolean {
  return !!root && root.kind === 'object' && root.members.length > 0 && root.members.every((m) => m.value.kind === 'string');
}
