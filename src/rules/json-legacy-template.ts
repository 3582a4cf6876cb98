import { createRule } from './types.js';

export default createRule(
  {
    id: 'json-legacy-template',
    description: 'Reports a legacy JSON template, whose registry metadata can only come from the environment.', severity: 'info',
    messages: {
      legacy: 'legacy JSON template: HCP Packer metadata (bucket name, description, labels, channels) can only come from HCP_PACKER_BUCKET_NAME; run `pkrlint migrate {{file}}` to convert it to HCL2 with an hcp_packer_registry block',
    },
  },
  (ctx) => {
    if (ctx.unit.kind !== 'legacy') return;
    const file = ctx.unit.files[0];
    const root = file.json?.root;
    ctx.report({
      messageId: 'legacy',
      data: { file: file.display },
      file,
      start: root?.start ?? 0,
      end: (root?.start ?? 0) + 1,
    });
  },
);
