import { FEATURES, supports } from '../packer/version.js';
import { blockHead } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  { id: 'registry-placement', description: 'Reports an hcp_packer_registry block in a place Packer does not accept.', severity: 'error' },
  (ctx) => {
    for (const r of ctx.hcl?.config.registries ?? []) {
      const head = blockHead(r.block);
      const report = (message: string) => ctx.report({ message, file: r.file, ...head });
      if (r.scope === 'elsewhere') {
        report(`hcp_packer_registry is not allowed inside a ${r.parent!.type} block; Packer accepts it only at the top level (${FEATURES['top-level-registry'].since}+) or directly in a build block`);
        continue;
      }
      if (r.dynamic && r.scope === 'top') {
        // Packer's schema data lists the top level among the places dynamic blocks are not expanded; unconfirmed
        // by a run, so a warning rather than an error.
        ctx.report({ message: 'a top-level dynamic "hcp_packer_registry" block may never be expanded (Packer expands dynamic blocks inside source, build and hcp_packer_registry); write the block itself', file: r.file, ...head, severity: 'warning' });
        continue;
      }
      if (!r.dynamic && r.block.labels.length) {
        report(`hcp_packer_registry takes no labels; remove ${r.block.labels.map((l) => JSON.stringify(l.value)).join(' ')}`);
      }
      if (r.scope === 'top' && !supports(ctx.target.version, 'top-level-registry')) {
        report(`a top-level hcp_packer_registry needs Packer ${FEATURES['top-level-registry'].since} or newer, but the target is ${ctx.target.version} (${ctx.target.origin}): Packer reports "Unsupported block type"; move it into the build block`);
      }
      if (r.scope === 'build' && !supports(ctx.target.version, 'build-registry')) {
        report(`hcp_packer_registry needs Packer ${FEATURES['build-registry'].since} or newer, but the target is ${ctx.target.version} (${ctx.target.origin})`);
      }
    }
  },
);
