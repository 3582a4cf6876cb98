import { isBlockKind, ownedElsewhere, schemaScopes } from './_schema.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'argument-form',
    description: 'Reports blocks written as arguments and arguments written as blocks.',
    severity: 'error',
    messages: {
      blockAsAttribute: '"{{name}}" is a block in {{where}}: write `{{name}} { … }` without "="{{each}}; Packer fails with "Unsupported argument"',
      attributeAsBlock: '"{{name}}" is an argument of {{where}}, not a block: write `{{name}} = {{shape}}`; Packer fails with "Unsupported block type"',
      dynamicAttribute: 'dynamic "{{name}}" generates blocks, but "{{name}}" is an argument of {{where}}: set it with an expression (a for expression builds a list or map); Packer fails with "Unsupported block type"',
      repeatedBlock: 'block "{{name}}" may appear only once in {{where}}; Packer fails with "Duplicate {{name}} block"',
    },
  },
  (ctx) => {
    for (const scope of schemaScopes(ctx)) {
      const { file, spec } = scope;
      const has = (name: string) => Object.hasOwn(spec, name);
      const seen = new Set<string>();
      for (const s of scope.body.statements) {
        if (s.kind === 'attribute') {
          // In HCL's JSON syntax a nested block of a component is written as an object: only native syntax is judged.
          if (file.kind !== 'hcl' || scope.open || !has(s.name) || ownedElsewhere(s.name)) continue;
          const arg = spec[s.name];
          if (!isBlockKind(arg)) continue;
          const each = arg.kind === 'block-list' && s.expr.kind === 'tuple' ? ', one block for each element' : '';
          ctx.report({ messageId: 'blockAsAttribute', data: { name: s.name, where: scope.where, each }, file, start: s.nameStart, end: s.nameEnd });
          continue;
        }
        if (s.type === 'dynamic') {
          const label = s.labels[0];
          if (!scope.dynamic || !label || !has(label.value) || isBlockKind(spec[label.value])) continue;
          ctx.report({ messageId: 'dynamicAttribute', data: { name: label.value, where: scope.where }, file, start: label.start, end: label.end });
          continue;
        }
        if (!has(s.type) || ownedElsewhere(s.type)) continue;
        const arg = spec[s.type];
        if (!isBlockKind(arg)) {
          const type = arg.kind === 'attr' ? arg.type : '';
          const shape = type.startsWith('map') || type === 'object' ? '{ … }' : type.startsWith('list') ? '[ … ]' : '…';
          ctx.report({ messageId: 'attributeAsBlock', data: { name: s.type, where: scope.where, shape }, file, start: s.typeStart, end: s.typeEnd });
          continue;
        }
        if (arg.kind === 'block' && seen.has(s.type)) ctx.report({ messageId: 'repeatedBlock', data: { name: s.type, where: scope.where }, file, start: s.typeStart, end: s.typeEnd });
        seen.add(s.type);
      }
    }
  },
);
