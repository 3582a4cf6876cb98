import { shown } from '../packer/eval.js';
import { attribute } from '../syntax/hcl.js';
import { createRule } from './types.js';

export default createRule(
  { id: 'registry-env-override', description: "Reports HCP_PACKER_BUCKET_NAME silently overriding the template's bucket_name.", severity: 'warning' },
  (ctx) => {
    const env = ctx.hcpEnv.bucketName;
    const h = ctx.hcl;
    if (!h || !env || env.value === '' || ctx.hcpEnv.disabled) return;
    // The name the template would use if the variable were not set.
    const own = h.ownBucket;
    if ((own.kind !== 'block' && own.kind !== 'build-name') || !own.value.known) return;
    const declared = String(own.value.value);
    if (declared === env.value) return;
    const [file, attr, what] =
      own.kind === 'block'
        ? [own.registry.file, attribute(own.registry.block.body, 'bucket_name')!, 'bucket_name']
        : [own.build.file, attribute(own.build.block.body, 'name')!, 'the build name, used as bucket name,'];
    ctx.report({
      message: `HCP_PACKER_BUCKET_NAME=${JSON.stringify(env.value)} (set in ${env.origin}) overrides ${what} ${shown(own.value, declared)}: Packer will publish to bucket ${JSON.stringify(env.value)} without saying so`,
      file,
      start: attr.expr.start,
      end: attr.expr.end,
    });
  },
);
