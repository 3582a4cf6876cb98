import { FEATURES, supports } from '../packer/version.js';
import { blockHead } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'registry-placement',
    description: 'Reports an hcp_packer_registry block in a place Packer does not accept.', severity: 'error',
    messages: {
      notAllowedHere: 'hcp_packer_registry is not allowed inside a {{parent}} block; Packer accepts it only at the top level ({{since}}+) or directly in a build block',
      dynamicTop: 'a top-level dynamic "hcp_packer_registry" block may never be expanded (Packer expands dynamic blocks inside source, build and hcp_packer_registry); write the block itself',
      labels: 'hcp_packer_registry takes no labels; remove {{labels}}',
      topNeedsVersion: 'a top-level hcp_packer_registry needs Packer {{since}} or newer, but the target is {{target}} ({{origin}}): Packer reports "Unsupported block type"; move it into the build block',
      buildNeedsVersion: 'hcp_packer_registry needs Packer {{since}} or newer, but the target is {{target}} ({{origin}})',
    },
  },
  (ctx) => {
    for (const r of ctx.hcl?.config.registries ?? []) {
      const head = blockHead(r.block);
      const target = { target: ctx.target.version, origin: ctx.target.origin };
      if (r.scope === 'elsewhere') {
        ctx.report({ messageId: 'notAllowedHere', data: { parent: r.parent!.type, since: FEATURES['top-level-registry'].since }, file: r.file, ...head });
        continue;
      }
      if (r.dynamic && r.scope === 'top') {
        // Packer's schema data lists the top level among the places dynamic blocks are not expanded; unconfirmed
        // by a run, so a warning rather than an error.
        ctx.report({ messageId: 'dynamicTop', file: r.file, ...head, severity: 'warning' });
        continue;
      }
      if (!r.dynamic && r.block.labels.length) {
        ctx.report({ messageId: 'labels', data: { labels: r.block.labels.map((l) => JSON.stringify(l.value)).join(' ') }, file: r.file, ...head });
      }
      if (r.scope === 'top' && !supports(ctx.target.version, 'top-level-registry')) {
        ctx.report({ messageId: 'topNeedsVersion', data: { since: FEATURES['top-level-registry'].since, ...target }, file: r.file, ...head });
      }
      if (r.scope === 'build' && !supports(ctx.target.version, 'build-registry')) {
        ctx.report({ messageId: 'buildNeedsVersion', data: { since: FEATURES['build-registry'].since, ...target }, file: r.file, ...head });
      }
    }
  },
);
