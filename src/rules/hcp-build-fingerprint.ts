import { dirname } from 'node:path';
import { repositoryRoot } from '../packer/input.js';
import { registryInUse } from '../packer/config.js';
import { FEATURES, supports } from '../packer/version.js';
import { hcpEnabledBy, perRunExample, placeOf, setValue } from './_env.js';
import { blockHead } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'hcp-build-fingerprint',
    description: 'Reports an HCP_PACKER_BUILD_FINGERPRINT that makes a second build fail, and a build with no fingerprint at all.',
    severity: 'warning',
    // Judges the whole configuration: not run while a part of it does not parse.
    scope: 'unit',
    messages: {
      constant:
        'HCP_PACKER_BUILD_FINGERPRINT is set to a constant (in {{origin}}): the fingerprint of a completed version cannot be reused, so the second run of this job fails; leave it unset{{generated}} or make it change per run, e.g. with {{perRun}}',
      commitOnly:
        'HCP_PACKER_BUILD_FINGERPRINT is set from {{expression}} (in {{origin}}), which does not change when the same commit is built again: re-running it fails once its version is complete; add a per-run part such as {{perRun}}',
      noGit:
        'HCP Packer is enabled by {{reason}} and HCP_PACKER_BUILD_FINGERPRINT is not set, but the directory of the configuration is not inside a git repository: Packer before {{since}} (the target is {{target}}, {{targetOrigin}}) takes the fingerprint from git HEAD, so packer build fails; set HCP_PACKER_BUILD_FINGERPRINT or target {{since}}',
    },
  },
  (ctx) => {
    const fp = setValue(ctx, 'HCP_PACKER_BUILD_FINGERPRINT');
    const since = FEATURES['hcp-generated-fingerprint'].since;
    const generates = supports(ctx.target.version, 'hcp-generated-fingerprint');
    if (fp) {
      // Only a CI job runs again and again; a fingerprint set by hand is how a build is resumed.
      if (!ctx.context) return;
      const perRun = perRunExample(ctx);
      if (!fp.unknown) {
        ctx.report({ messageId: 'constant', data: { origin: fp.origin, generated: generates ? ' (Packer then generates one per build)' : '', perRun }, ...placeOf(fp) });
      } else if (fp.varies === 'commit') {
        ctx.report({ messageId: 'commitOnly', severity: 'info', data: { expression: fp.value, origin: fp.origin, perRun }, ...placeOf(fp) });
      }
      return;
    }
    // A CI job works in a checkout; the local directory is judged as it is.
    if (generates || ctx.context) return;
    const reason = hcpEnabledBy(ctx);
    if (!reason) return;
    const dir = ctx.unit.kind === 'hcl' ? ctx.unit.dir : dirname(ctx.unit.id);
    if (repositoryRoot(dir)) return;
    const reg = ctx.hcl && registryInUse(ctx.hcl.config);
    ctx.report({
      messageId: 'noGit',
      severity: 'error',
      data: { reason, since, target: ctx.target.version, targetOrigin: ctx.target.origin },
      ...(reg ? { file: reg.file, ...blockHead(reg.block) } : {}),
    });
  },
);
