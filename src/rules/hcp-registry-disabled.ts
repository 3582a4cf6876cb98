import { createRule } from './types.js';

export default createRule(
  { id: 'hcp-registry-disabled', description: "Reports HCP_PACKER_REGISTRY=off disabling a template's registry block.", severity: 'info' },
  (ctx) => {
    const v = ctx.hcpEnv.registry;
    const regs = ctx.hcl?.registries ?? [];
    if (!ctx.hcpEnv.disabled || !v || regs.length === 0) return;
    ctx.report({ message: `HCP_PACKER_REGISTRY=${v.value} (set in ${v.origin}) disables HCP Packer: nothing is published although ${regs[0].file.display} has an hcp_packer_registry block; HCP data sources still run and still need credentials` });
  },
);
