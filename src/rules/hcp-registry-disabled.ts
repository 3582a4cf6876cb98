import { createRule } from './types.js';

export default createRule(
  {
    id: 'hcp-registry-disabled',
    description: "Reports HCP_PACKER_REGISTRY=off disabling a template's registry block.", severity: 'info',
    messages: {
      disabled: 'HCP_PACKER_REGISTRY={{value}} (set in {{origin}}) disables HCP Packer: nothing is published although {{file}} has an hcp_packer_registry block; HCP data sources still run and still need credentials',
    },
  },
  (ctx) => {
    const v = ctx.hcpEnv.registry;
    const regs = ctx.hcl?.registries ?? [];
    if (!ctx.hcpEnv.disabled || !v || regs.length === 0) return;
    ctx.report({ messageId: 'disabled', data: { value: v.value, origin: v.origin, file: regs[0].file.display } });
  },
);
