import { attribute } from '../syntax/hcl.js';
import { FEATURES, supports } from '../packer/version.js';
import { evalIn, registryBody } from './_registry.js';
import { renameArgument } from './_fixes.js';
import { createRule } from './types.js';

function nonEmpty(v: ReturnType<typeof evalIn>): boolean | undefined {
  if (!v.known) return undefined;
  return v.value !== null && typeof v.value === 'object' && Object.keys(v.value).length > 0;
}

export default createRule(
  {
    id: 'registry-labels-deprecated',
    description: 'Reports the deprecated labels argument of hcp_packer_registry.', severity: 'warning',
    fixable: true,
    messages: {
      bothSet: 'labels and bucket_labels are both set: Packer fails with "labels and bucket_labels are mutually exclusive"; merge them into bucket_labels',
      deprecated: 'labels is deprecated since Packer {{since}}; use bucket_labels',
    },
  },
  (ctx) => {
    if (!supports(ctx.target.version, 'registry-labels')) return; // before bucket_labels, `labels` is the only form
    for (const r of ctx.hcl?.config.registries ?? []) {
      const body = registryBody(r);
      const labels = body && attribute(body, 'labels');
      if (!body || !labels) continue;
      const bucketLabels = attribute(body, 'bucket_labels');
      const range = { file: r.file, start: labels.nameStart, end: labels.nameEnd };
      if (bucketLabels && nonEmpty(evalIn(ctx, labels.expr)) && nonEmpty(evalIn(ctx, bucketLabels.expr))) {
        ctx.report({ ...range, severity: 'error', messageId: 'bothSet' });
        continue;
      }
      ctx.report({
        ...range,
        messageId: 'deprecated',
        data: { since: FEATURES['registry-labels'].since },
        fix: bucketLabels ? undefined : renameArgument(r.file, body, labels, 'bucket_labels', 'Rename to bucket_labels'),
      });
    }
  },
);
