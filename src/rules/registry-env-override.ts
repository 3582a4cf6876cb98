import { shown } from '../packer/eval.js';
import { attribute } from '../syntax/hcl.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'registry-env-override',
    description: "Reports HCP_PACKER_BUCKET_NAME silently overriding the template's bucket_name.", severity: 'warning',
    scope: 'unit',
    messages: {
      overrides: 'HCP_PACKER_BUCKET_NAME={{env}} (set in {{origin}}) overrides {{what}} {{declared}}: Packer will publish to bucket {{env}} without saying so',
    },
  },
  (ctx) => {
    const env = ctx.hcpEnv.bucketName;
    const h = ctx.hcl;
    if (!h || !env || env.value === '' || ctx.hcpEnv.disabled) return;
    // The name the template would use if the variable were not set.
    const own = h.ownBucket;
    if ((own.kind !== 'block' && own.kind !== 'build-name') || !own.value.known) return;
    // A bucket name the template would use is a string (or a number Packer turns into one), never an object.
    const declared = typeof own.value.value === 'object' ? JSON.stringify(own.value.value) : String(own.value.value);
    if (declared === env.value) return;
    const [file, attr, what] =
      own.kind === 'block'
        ? [own.registry.file, attribute(own.registry.block.body, 'bucket_name')!, 'bucket_name']
        : [own.build.file, attribute(own.build.block.body, 'name')!, 'the build name, used as bucket name,'];
    ctx.report({
      messageId: 'overrides',
      data: { env: JSON.stringify(env.value), origin: env.origin, what, declared: shown(own.value, declared) },
      file,
      start: attr.expr.start,
      end: attr.expr.end,
    });
  },
);
