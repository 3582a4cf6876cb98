import { FEATURES } from '../packer/version.js';
import { attr, block, str, type OutBlock, type OutExpr, type OutItem } from '../hcl/model.js';
import { BUCKET_NAME_PATTERN, bucketNameFromFile } from '../packer/hcp.js';
import type { Migration } from './context.js';

export { bucketNameFromFile };

export interface RegistryOptions {
  registry: boolean;
  bucketName?: string;
  bucketLabels: Record<string, string>;
  buildLabels: Record<string, string>;
  channels: string[];
  env: Record<string, string | undefined>;
}

/** Cuts text to at most `max` UTF-8 bytes without splitting a character. */
export function cutUtf8(text: string, max: number): string {
  let bytes = 0;
  let out = '';
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > max) break;
    bytes += n;
    out += ch;
  }
  return out;
}

function labels(map: Record<string, string>): OutExpr {
  return { kind: 'object', entries: Object.entries(map).map(([key, value]) => ({ key, value: str(value) })) };
}

export type RegistryPlacement = { where: 'top' | 'build'; block: OutBlock } | { where: 'none' };

/** The hcp_packer_registry block migration adds, placed by the target version (spec: migration.md). */
export function registryBlock(m: Migration, opts: RegistryOptions, fileName: string, description: string | undefined): RegistryPlacement {
  if (!opts.registry) {
    m.add('note', 'no hcp_packer_registry block added (--no-registry)');
    return { where: 'none' };
  }
  if (!m.allows('build-registry')) {
    m.add('note', `no hcp_packer_registry block added: target Packer ${m.target} is older than ${FEATURES['build-registry'].since}, the first to support it`);
    return { where: 'none' };
  }
  const items: OutItem[] = [];
  const envName = opts.env.HCP_PACKER_BUCKET_NAME;
  let bucket: string;
  if (opts.bucketName !== undefined) bucket = opts.bucketName;
  else if (envName) {
    bucket = envName;
    m.add('note', `bucket_name "${envName}" taken from HCP_PACKER_BUCKET_NAME; while that variable is set it overrides the template's bucket_name anyway`);
  } else {
    bucket = bucketNameFromFile(fileName);
    m.add('note', `bucket_name "${bucket}" derived from the file name`);
  }
  if (!BUCKET_NAME_PATTERN.test(bucket)) {
    // Packer rejects an invalid bucket_name in the template: write a valid one and say which name was asked for.
    const derived = bucketNameFromFile(fileName);
    items.push(m.todo(`bucket_name "${bucket}" does not match ${BUCKET_NAME_PATTERN.source} (3 to 36 ASCII letters, digits and hyphens); "${derived}", derived from the file name, is written instead: choose the bucket's real name`));
    bucket = derived;
  }
  items.push(attr('bucket_name', str(bucket)));
  if (description !== undefined) {
    const cut = cutUtf8(description, 255);
    if (cut !== description) m.add('note', 'the description is longer than 255 bytes: cut for hcp_packer_registry.description');
    items.push(attr('description', str(cut)));
  }
  const hasLabels = Object.keys(opts.bucketLabels).length > 0 || Object.keys(opts.buildLabels).length > 0;
  if (hasLabels && !m.allows('registry-labels')) {
    if (Object.keys(opts.bucketLabels).length) items.push(attr('labels', labels(opts.bucketLabels)));
    if (Object.keys(opts.buildLabels).length)
      m.add('note', `build labels need Packer ${FEATURES['registry-labels'].since}; target ${m.target} has only bucket labels (\`labels\`): not written`);
  } else {
    if (Object.keys(opts.bucketLabels).length) items.push(attr('bucket_labels', labels(opts.bucketLabels)));
    if (Object.keys(opts.buildLabels).length) items.push(attr('build_labels', labels(opts.buildLabels)));
  }
  if (opts.channels.length) {
    if (m.allows('registry-channels')) items.push(attr('channels', { kind: 'list', items: opts.channels.map(str) }));
    else m.add('note', `channels need Packer ${FEATURES['registry-channels'].since} (older versions ignore them silently): not written for target ${m.target}`);
  }
  const where = m.allows('top-level-registry') ? 'top' : 'build';
  const b = block('hcp_packer_registry', [], items);
  m.add('converted', `hcp_packer_registry block added ${where === 'top' ? 'at top level' : 'in the build block'} (bucket "${bucket}")`, undefined, b);
  return { where, block: b };
}
