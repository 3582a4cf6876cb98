import { createRule } from './types.js';

/** Values people write meaning "off" that Packer reads as "on". */
const LOOKS_OFF = new Set(['off', '0', 'false', 'no', 'n', 'f', 'disabled', 'disable', 'none', 'null', 'nil', 'never', '']);

export default createRule(
  {
    id: 'hcp-registry-env-value',
    description: 'Reports an HCP_PACKER_REGISTRY value that looks like it disables HCP but does not.', severity: 'warning',
    messages: {
      enables: 'HCP_PACKER_REGISTRY {{hint}} (set in {{origin}}): Packer disables HCP only for exactly "off" or "0" (any case), so this ENABLES HCP Packer; write HCP_PACKER_REGISTRY=off, or unset it',
    },
  },
  (ctx) => {
    const v = ctx.hcpEnv.registry;
    if (!v || ctx.hcpEnv.disabled || !LOOKS_OFF.has(v.value.trim().toLowerCase())) return;
    const hint = v.value === '' ? 'is set but empty' : `is ${JSON.stringify(v.value)}`;
    ctx.report({ messageId: 'enables', data: { hint, origin: v.origin } });
  },
);
