import { at, blockHead } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  { id: 'registry-multiple-builds', description: 'Reports more than one build block in a configuration that publishes to HCP Packer.', severity: 'error' },
  (ctx) => {
    const h = ctx.hcl;
    if (!h || !h.hcp.enabled || h.config.builds.length < 2) return;
    const [first, ...rest] = h.config.builds;
    for (const b of rest) {
      ctx.report({
        message: `a second build block while HCP Packer is enabled by ${h.hcp.reason} (the first build is at ${at(first.file, first.block.start)}): packer build fails with "Multiple build blocks … only one build block can be defined"; merge the builds or split the configuration into directories`,
        file: b.file,
        ...blockHead(b.block),
      });
    }
  },
);
