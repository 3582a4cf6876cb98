import { FEATURES, supports, type Feature } from '../packer/version.js';
import { attribute } from '../syntax/hcl.js';
import { HCP_DATA_SOURCES } from './_datasources.js';
import { blockHead } from './_registry.js';
import { createRule } from './types.js';

/** Arguments of HCP data sources that came later than the data source itself: type → argument → feature. */
const LATER_ARGUMENTS: Record<string, Record<string, Feature>> = {
  'hcp-packer-image': { channel: 'hcp-image-channel' },
};

export default createRule(
  {
    id: 'hcp-datasource-arguments',
    description: 'Reports missing and mutually exclusive arguments on HCP Packer data sources.', severity: 'error',
    messages: {
      missing: 'data "{{type}}" "{{name}}" is missing {{missing}}',
      both: 'data "{{type}}" "{{name}}" sets both "{{a}}" and "{{b}}"; they are mutually exclusive: set exactly one',
      neither: 'data "{{type}}" "{{name}}" needs exactly one of "{{a}}" or "{{b}}"',
      tooNew:
        'argument "{{argument}}" of data "{{type}}" "{{name}}" came in Packer {{since}}; the target Packer {{target}} ({{targetOrigin}}) does not know it, and packer validate fails with "Unsupported argument"{{instead}}',
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
      for (const [arg, feature] of Object.entries(LATER_ARGUMENTS[d.type] ?? {})) {
        const a = attribute(d.block.body, arg);
        if (!a || supports(ctx.target.version, feature)) continue;
        const instead = ds.exactlyOne?.includes(arg) ? `; use "${ds.exactlyOne.find((x) => x !== arg)}" or target ${FEATURES[feature].since}` : '';
        ctx.report({
          messageId: 'tooNew',
          data: { ...names, argument: arg, since: FEATURES[feature].since, target: ctx.target.version, targetOrigin: ctx.target.origin, instead },
          file: d.file,
          start: a.nameStart,
          end: a.nameEnd,
        });
      }
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
