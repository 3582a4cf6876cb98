import { registryInUse } from '../packer/config.js';
import { blockHead } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'registry-bucket-name-required',
    description: 'Reports an HCP-enabled configuration from which no bucket name can come.', severity: 'error',
    scope: 'unit',
    messages: {
      legacyWithoutEnv: 'HCP_PACKER_REGISTRY (set in {{origin}}) enables HCP Packer for the legacy JSON template {{file}}, but HCP_PACKER_BUCKET_NAME is not set: a JSON template can take its bucket name only from it; packer build fails with "Bucket name required"',
      noBucketName: 'HCP Packer is enabled by {{reason}}, but no bucket name can come from anywhere: set bucket_name in hcp_packer_registry{{fallbackNote}} or HCP_PACKER_BUCKET_NAME; packer build fails with "Bucket name required"',
    },
  },
  (ctx) => {
    const bucketEnv = ctx.hcpEnv.bucketName;
    if (ctx.unit.kind === 'legacy') {
      // A JSON template takes its bucket name from the environment only.
      const reg = ctx.hcpEnv.registry;
      if (reg && !ctx.hcpEnv.disabled && !bucketEnv?.value) {
        ctx.report({ messageId: 'legacyWithoutEnv', data: { origin: reg.origin, file: ctx.unit.files[0].display } });
      }
      return;
    }
    const h = ctx.hcl;
    if (!h || !h.hcp.enabled) return;
    if (h.bucket.kind !== 'none') return;
    const reg = registryInUse(h.config);
    const fallbackNote = reg?.scope === 'top' ? ' (a top-level block does not fall back to the build name)' : '';
    const found = { messageId: 'noBucketName', data: { reason: h.hcp.reason ?? '', fallbackNote } } as const;
    if (reg) ctx.report({ ...found, file: reg.file, ...blockHead(reg.block) });
    else ctx.report(found);
  },
);
