import { at, blockHead } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'registry-multiple-builds',
    description: 'Reports more than one build block in a configuration that publishes to HCP Packer.', severity: 'error',
    scope: 'unit',
    messages: {
      secondBuild:
        'a second build block while HCP Packer is enabled by {{reason}} (the first build is at {{first}}): packer build fails with "Multiple build blocks … only one build block can be defined"; merge the builds or split the configuration into directories',
    },
  },
  (ctx) => {
    const h = ctx.hcl;
    if (!h || !h.hcp.enabled || h.config.builds.length < 2) return;
    const [first, ...rest] = h.config.builds;
    for (const b of rest) {
      ctx.report({
        messageId: 'secondBuild',
        data: { reason: h.hcp.reason ?? '', first: at(first.file, first.block.start) },
        file: b.file,
        ...blockHead(b.block),
      });
    }
  },
);
