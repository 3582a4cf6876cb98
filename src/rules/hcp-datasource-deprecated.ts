import { walkExpr } from '../syntax/hcl.js';
import { FEATURES, supports } from '../packer/version.js';
import { HCP_DATA_SOURCES } from './_datasources.js';
import { blockHead } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'hcp-datasource-deprecated',
    description: 'Reports deprecated HCP Packer data sources and packer.iterationID.', severity: 'warning',
    messages: {
      dataSource: 'data source "{{type}}" is deprecated since Packer {{since}}; use "{{replacement}}" (arguments: {{renames}})',
      iterationId: 'packer.iterationID is deprecated; use packer.versionFingerprint (note: it holds the version fingerprint, not the old iteration ID)',
    },
  },
  (ctx) => {
    const cfg = ctx.hcl?.config;
    // Before the replacements exist, the old names are the only ones.
    if (!cfg || !supports(ctx.target.version, 'hcp-artifact-datasources')) return;
    for (const d of cfg.data) {
      const ds = HCP_DATA_SOURCES[d.type];
      if (!ds?.replacement) continue;
      const renames = Object.entries(ds.renames ?? {}).map(([a, b]) => `${a} → ${b}`).join(', ');
      ctx.report({
        messageId: 'dataSource',
        data: { type: d.type, since: FEATURES['hcp-artifact-datasources'].since, replacement: ds.replacement, renames },
        file: d.file,
        ...blockHead(d.block),
      });
    }
    for (const file of cfg.configFiles) {
      const visit = (ss: NonNullable<typeof file.hcl>['body']['statements']) => {
        for (const s of ss) {
          if (s.kind === 'block') visit(s.body.statements);
          else
            walkExpr(s.expr, (x) => {
              if (x.kind === 'traversal' && x.root === 'packer' && x.steps[0]?.name === 'iterationID') {
                ctx.report({ messageId: 'iterationId', file, start: x.start, end: x.end });
              }
            });
        }
      };
      visit(file.hcl?.body.statements ?? []);
    }
  },
);
