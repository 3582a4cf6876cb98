import { attribute } from '../syntax/hcl.js';
import { HCP_DATA_SOURCES } from './_datasources.js';
import { blockHead } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'hcp-datasource-arguments',
    description: 'Reports missing and mutually exclusive arguments on HCP Packer data sources.', severity: 'error',
    messages: {
      missing: 'data "{{type}}" "{{name}}" is missing {{missing}}',
      both: 'data "{{type}}" "{{name}}" sets both "{{a}}" and "{{b}}"; they are mutually exclusive: set exactly one',
      neither: 'data "{{type}}" "{{name}}" needs exactly one of "{{a}}" or "{{b}}"',
    },
  },
  (ctx) => {
    for (const d of ctx.hcl?.config.data ?? []) {
      const ds = HCP_DATA_SOURCES[d.type];
      if (!ds) continue;
      const has = (n: string) => attribute(d.block.body, n) !== undefined;
      const names = { type: d.type, name: d.name };
      const head = { file: d.file, ...blockHead(d.block) };
      const missing = ds.required.filter((n) => !has(n));
      if (missing.length) ctx.report({ ...head, messageId: 'missing', data: { ...names, missing: missing.map((m) => `"${m}"`).join(', ') } });
      if (ds.exactlyOne) {
        const [a, b] = ds.exactlyOne;
        if (has(a) && has(b)) {
          ctx.report({ ...head, messageId: 'both', data: { ...names, a, b } });
        } else if (!has(a) && !has(b)) {
          ctx.report({ ...head, messageId: 'neither', data: { ...names, a, b } });
        }
      }
    }
  },
);
