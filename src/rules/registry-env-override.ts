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
      overridesUnknown:
        'HCP_PACKER_BUCKET_NAME is set (in {{origin}}) to {{expression}}, whose value is unknown here: unless it is empty or equal to {{declared}}, it overrides {{what}} {{declared}} and Packer publishes to that bucket without saying so',
    },
  },
  (ctx) => {
    const set = ctx.env.lookup('HCP_PACKER_BUCKET_NAME');
    // A value set by an expression (a CI secret or variable) is not guessed: the finding says it is unknown.
    const env = set?.unknown ? set : ctx.hcpEnv.bucketName;
    const h = ctx.hcl;
    if (!h || !env || env.value === '' || ctx.hcpEnv.disabled) return;
    // The name the template would use if the variable were not set.
    const own = h.ownBucket;
    if ((own.kind !== 'block' && own.kind !== 'build-name') || !own.value.known) return;
    // A bucket name the template would use is a string (or a number Packer turns into one), never an object.
    const declared = typeof own.value.value === 'object' ? JSON.stringify(own.value.value) : String(own.value.value);
    if (!env.unknown && declared === env.value) return;
    const [file, attr, what] =
      own.kind === 'block'
        ? [own.registry.file, attribute(own.registry.block.body, 'bucket_name')!, 'bucket_name']
        : [own.build.file, attribute(own.build.block.body, 'name')!, 'the build name, used as bucket name,'];
    if (env.unknown) {
      ctx.report({ messageId: 'overridesUnknown', data: { expression: env.value, origin: env.origin, what, declared: shown(own.value, declared) }, file, start: attr.expr.start, end: attr.expr.end });
      return;
    }
    ctx.report({
      messageId: 'overrides',
      data: { env: JSON.stringify(env.value), origin: env.origin, what, declared: shown(own.value, declared) },
      file,
      start: attr.expr.start,
      end: attr.expr.end,
    });
  },
);
