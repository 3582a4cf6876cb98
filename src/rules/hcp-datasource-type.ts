import { createRule } from './types.js';

const TERRAFORM_NAMES = /^hcp_packer_(version|artifact|iteration|image)$/;

export default createRule(
  {
    id: 'hcp-datasource-type',
    description: 'Reports Terraform-style names of HCP Packer data sources.', severity: 'error',
    fixable: true,
    messages: { terraformName: '"{{type}}" is the Terraform provider\'s name; Packer\'s data source is "{{name}}" and Packer reports an unknown data type' },
  },
  (ctx) => {
    for (const d of ctx.hcl?.config.data ?? []) {
      if (!TERRAFORM_NAMES.test(d.type)) continue;
      const label = d.block.labels[0];
      const name = d.type.replace(/_/g, '-');
      ctx.report({
        messageId: 'terraformName',
        data: { type: d.type, name },
        file: d.file,
        start: label.start,
        end: label.end,
        fix: d.file.kind === 'hcl' ? { description: `Rename to ${name}`, edits: [{ file: d.file, start: label.start, end: label.end, text: JSON.stringify(name) }] } : undefined,
      });
    }
  },
);
