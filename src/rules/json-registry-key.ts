import { member } from '../syntax/json.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'json-registry-key',
    description: 'Reports a root hcp_packer_registry key in a legacy JSON template.', severity: 'error',
    messages: {
      rootKey: 'a legacy JSON template cannot carry hcp_packer_registry: Packer fails with "Unknown root level key in template"; set HCP_PACKER_BUCKET_NAME instead, or migrate to HCL2 with `pkrlint migrate`',
    },
  },
  (ctx) => {
    if (ctx.unit.kind !== 'legacy') return;
    const file = ctx.unit.files[0];
    const m = member(file.json?.root, 'hcp_packer_registry');
    if (!m) return;
    ctx.report({
      messageId: 'rootKey',
      file,
      start: m.keyStart,
      end: m.keyEnd,
    });
  },
);
