import { evalIn, fromWhere, registryAttrs } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'registry-description',
    description: 'Reports a registry description longer than 255 bytes of UTF-8.', severity: 'error',
    messages: {
      tooLong: 'description{{from}} is {{bytes}} bytes of UTF-8{{note}}; Packer rejects more than 255 ("hcp_packer_registry.description should have a maximum length of 255 characters")',
    },
  },
  (ctx) => {
    for (const { file, attr } of registryAttrs(ctx, 'description')) {
      const v = evalIn(ctx, attr.expr);
      if (!v.known || typeof v.value !== 'string') continue;
      const bytes = Buffer.byteLength(v.value, 'utf8');
      if (bytes <= 255) continue;
      const chars = [...v.value].length;
      const note = chars <= 255 ? ` (only ${chars} characters: Packer counts bytes, not characters)` : '';
      ctx.report({
        messageId: 'tooLong',
        data: { from: fromWhere(v), bytes: String(bytes), note },
        file,
        start: attr.expr.start,
        end: attr.expr.end,
      });
    }
  },
);
