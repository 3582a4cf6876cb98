import { FEATURES, supports } from '../packer/version.js';
import { blockHead } from './_registry.js';
import { moveRegistryToTop } from './_fixes.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'registry-in-build-deprecated',
    description: 'Reports a build-level hcp_packer_registry block when the target Packer prefers the top-level block.',
    severity: 'warning',
    fixable: true,
    messages: {
      deprecated: 'build-level hcp_packer_registry is deprecated since Packer {{since}} (target {{target}}); Packer warns "Build block level hcp_packer_registry are deprecated": move it to the top level',
      deprecatedNoFix: 'build-level hcp_packer_registry is deprecated since Packer {{since}} (target {{target}}); Packer warns "Build block level hcp_packer_registry are deprecated": move it to the top level (no automatic fix: {{why}})',
    },
  },
  (ctx) => {
    if (!supports(ctx.target.version, 'top-level-registry')) return;
    const cfg = ctx.hcl?.config;
    for (const r of cfg?.registries ?? []) {
      if (r.scope !== 'build') continue;
      const move = moveRegistryToTop(r, cfg!);
      const data = { since: FEATURES['top-level-registry'].since, target: ctx.target.version };
      if ('fix' in move) ctx.report({ messageId: 'deprecated', data, file: r.file, ...blockHead(r.block), fix: move.fix });
      else ctx.report({ messageId: 'deprecatedNoFix', data: { ...data, why: move.why }, file: r.file, ...blockHead(r.block) });
    }
  },
);
