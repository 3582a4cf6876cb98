import { FEATURES, supports } from '../packer/version.js';
import { registryInUse } from '../packer/config.js';
import { hcpEnabledBy, placeOf, setValue } from './_env.js';
import { blockHead } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'hcp-project-id-version',
    description: 'Reports HCP project and organization variables that the target Packer ignores.',
    severity: 'warning',
    // Judges the whole configuration: not run while a part of it does not parse.
    scope: 'unit',
    messages: {
      projectIgnored:
        'HCP_PROJECT_ID is set (in {{origin}}) but the target Packer {{target}} ({{targetOrigin}}) reads it only from {{since}}: it is ignored, and the builds go to the oldest project of the organization',
      organizationIgnored: 'HCP_ORGANIZATION_ID is set (in {{origin}}) but the target Packer {{target}} ({{targetOrigin}}) reads it only from {{since}}: it is ignored',
      noProjects:
        'HCP Packer is enabled by {{reason}}, and the target Packer {{target}} ({{targetOrigin}}) predates HCP projects ({{since}}): builds for an organization with several projects fail; target {{since}} or later',
    },
  },
  (ctx) => {
    const target = { target: ctx.target.version, targetOrigin: ctx.target.origin };
    const project = setValue(ctx, 'HCP_PROJECT_ID');
    const projects = supports(ctx.target.version, 'hcp-project-id');
    if (project && !projects) {
      ctx.report({ messageId: 'projectIgnored', data: { origin: project.origin, since: FEATURES['hcp-project-id'].since, ...target }, ...placeOf(project) });
    }
    const org = setValue(ctx, 'HCP_ORGANIZATION_ID');
    if (org && !supports(ctx.target.version, 'hcp-organization-id')) {
      ctx.report({ messageId: 'organizationIgnored', data: { origin: org.origin, since: FEATURES['hcp-organization-id'].since, ...target }, ...placeOf(org) });
    }
    const reason = hcpEnabledBy(ctx);
    if (projects || project || !reason) return;
    const reg = ctx.hcl && registryInUse(ctx.hcl.config);
    ctx.report({
      messageId: 'noProjects',
      severity: 'info',
      data: { reason, since: FEATURES['hcp-project-id'].since, ...target },
      ...(reg ? { file: reg.file, ...blockHead(reg.block) } : {}),
    });
  },
);
