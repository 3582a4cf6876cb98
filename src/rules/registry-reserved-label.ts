import { objectKey } from '../syntax/hcl.js';
import { registryAttrs } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'registry-reserved-label',
    description: 'Reports a git_sha build label, which Packer overwrites.', severity: 'warning',
    messages: {
      gitSha: 'build label "git_sha" is set by Packer itself to the HEAD commit of the working directory and overwrites this value; use another label name',
    },
  },
  (ctx) => {
    for (const { file, attr } of registryAttrs(ctx, 'build_labels')) {
      if (attr.expr.kind !== 'object') continue;
      for (const it of attr.expr.items) {
        if (objectKey(it.key) !== 'git_sha') continue;
        ctx.report({ messageId: 'gitSha', file, start: it.key.start, end: it.key.end });
      }
    }
  },
);
