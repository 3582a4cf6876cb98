import { FEATURES, supports } from '../packer/version.js';
import { hcpDataSource, hcpEnabledBy, placeOf, setValue } from './_env.js';
import type { EnvValue } from '../packer/env.js';
import { createRule } from './types.js';

/**
 * Where a finding about a credential goes: at the variable when it is set by an expression (`${{ secrets.X }}`); a
 * literal credential is not pointed at, so that no code frame prints its line (the message names the line).
 */
function credentialPlace(v: EnvValue) {
  return v.unknown ? placeOf(v) : {};
}

export default createRule(
  {
    id: 'hcp-credentials',
    description: 'Reports HCP credentials set by halves, and a CI job that uses HCP Packer without credentials.',
    severity: 'error',
    // Judges the whole configuration: not run while a part of it does not parse.
    scope: 'unit',
    messages: {
      halfPair: '{{set}} is set (in {{origin}}) but {{missing}} is not: Packer authenticates to HCP only with both; set {{missing}} as well',
      noCredentials: "HCP Packer {{needs}}, but this job sets no HCP credentials (HCP_CLIENT_ID and HCP_CLIENT_SECRET{{credFile}}): Packer cannot authenticate to HCP; pass them from secrets in the job's env",
      credFileTooOld:
        'HCP_CRED_FILE is set (in {{origin}}) and HCP_CLIENT_ID/HCP_CLIENT_SECRET are not, but the target Packer {{target}} ({{targetOrigin}}) reads credential files only from {{since}}: Packer cannot authenticate to HCP',
    },
  },
  (ctx) => {
    const id = setValue(ctx, 'HCP_CLIENT_ID');
    const secret = setValue(ctx, 'HCP_CLIENT_SECRET');
    // Names and places only: a credential's value is never shown. A context whose file is not the whole environment
    // (GitLab, an env file) may get the other half from settings pkrlint cannot see.
    const whole = !ctx.context || ctx.context.complete;
    if (whole && ((id && !secret) || (!id && secret))) {
      const [set, missing, v] = id ? ['HCP_CLIENT_ID', 'HCP_CLIENT_SECRET', id] : ['HCP_CLIENT_SECRET', 'HCP_CLIENT_ID', secret!];
      ctx.report({ messageId: 'halfPair', data: { set, missing, origin: v.origin }, ...credentialPlace(v) });
      return;
    }
    // Only a context whose file holds the job's whole environment can tell that a variable is not set.
    if (id || !ctx.context?.complete) return;
    const enabledBy = hcpEnabledBy(ctx);
    const ds = hcpDataSource(ctx);
    if (!enabledBy && !ds) return;
    const needs = enabledBy ? `is enabled by ${enabledBy}` : `is used by data source ${ds} (which needs credentials even when nothing is published)`;
    const credFile = setValue(ctx, 'HCP_CRED_FILE');
    const fileSupported = supports(ctx.target.version, 'hcp-cred-file');
    if (credFile && fileSupported) return;
    if (credFile) {
      const since = FEATURES['hcp-cred-file'].since;
      ctx.report({ messageId: 'credFileTooOld', data: { origin: credFile.origin, target: ctx.target.version, targetOrigin: ctx.target.origin, since }, ...placeOf(credFile) });
      return;
    }
    ctx.report({ messageId: 'noCredentials', data: { needs, credFile: fileSupported ? ', or HCP_CRED_FILE' : '' } });
  },
);
