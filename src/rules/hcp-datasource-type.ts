import { FEATURES, supports } from '../packer/version.js';
import { dataRefs } from './_datasources.js';
import { createRule, type TextEdit } from './types.js';

const TERRAFORM_NAMES = /^hcp_packer_(version|artifact|iteration|image)$/;

/** The data source types that came with Packer 1.10.1, and the older type each replaced. */
const NEWER_TYPES: Record<string, string> = { 'hcp-packer-version': 'hcp-packer-iteration', 'hcp-packer-artifact': 'hcp-packer-image' };

export default createRule(
  {
    id: 'hcp-datasource-type',
    description: 'Reports HCP Packer data source types Packer does not know: Terraform-style names, and types newer than the target Packer.', severity: 'error',
    fixable: true,
    messages: {
      terraformName: '"{{type}}" is the Terraform provider\'s name; Packer\'s data source is "{{name}}" and Packer reports an unknown data type',
      newerType: 'data source "{{type}}" came with Packer {{since}} and the target is {{target}} ({{origin}}): Packer reports an unknown data type; use "{{older}}" (with its own arguments) or require Packer {{since}}',
    },
  },
  (ctx) => {
    const cfg = ctx.hcl?.config;
    if (!cfg) return;
    const newTypes = supports(ctx.target.version, 'hcp-artifact-datasources');
    for (const d of cfg.data) {
      const label = d.block.labels[0];
      if (!label) continue;
      if (!newTypes && Object.hasOwn(NEWER_TYPES, d.type)) {
        const data = { type: d.type, since: FEATURES['hcp-artifact-datasources'].since, target: ctx.target.version, origin: ctx.target.origin, older: NEWER_TYPES[d.type] };
        ctx.report({ messageId: 'newerType', data, file: d.file, start: label.start, end: label.end });
        continue;
      }
      if (!TERRAFORM_NAMES.test(d.type)) continue;
      const name = d.type.replace(/_/g, '-');
      // The block and every reference to it; not when the new name is unknown to the target too, or a JSON file reads it.
      const { refs, jsonFiles } = dataRefs(cfg, d.type, d.name);
      const fixable = d.file.kind === 'hcl' && jsonFiles.length === 0 && (newTypes || !Object.hasOwn(NEWER_TYPES, name));
      const edits: TextEdit[] = [{ file: d.file, start: label.start, end: label.end, text: JSON.stringify(name) }, ...refs.map((r) => ({ file: r.file, start: r.typeStart, end: r.typeEnd, text: name }))];
      ctx.report({
        messageId: 'terraformName',
        data: { type: d.type, name },
        file: d.file,
        start: label.start,
        end: label.end,
        fix: fixable ? { description: `Rename to ${name}`, edits } : undefined,
      });
    }
  },
);
