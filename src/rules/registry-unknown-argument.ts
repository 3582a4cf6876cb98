import { registryArguments } from '../packer/schema.js';
import { attribute } from '../syntax/hcl.js';
import { registryBody } from './_registry.js';
import { renameArgument } from './_fixes.js';
import { closest, createRule } from './types.js';

export default createRule(
  {
    id: 'registry-unknown-argument',
    description: 'Reports arguments and blocks in hcp_packer_registry that Packer silently ignores.',
    severity: 'error',
    fixable: true,
    messages: {
      unknownArgument: 'argument "{{name}}" is not part of hcp_packer_registry: Packer ignores it without a word{{guess}} (known: {{known}})',
      unknownBlock: 'block "{{name}}" is not part of hcp_packer_registry: Packer ignores it without a word{{guess}} (known: {{known}})',
    },
  },
  (ctx) => {
    const known = registryArguments();
    const names = [...known.attributes, ...known.blocks];
    for (const r of ctx.hcl?.config.registries ?? []) {
      const body = registryBody(r);
      if (!body) continue;
      for (const s of body.statements) {
        const isBlock = s.kind === 'block';
        const name = isBlock ? (s.type === 'dynamic' ? s.labels[0]?.value ?? '' : s.type) : s.name;
        if (isBlock ? known.blocks.includes(name) : known.attributes.includes(name)) continue;
        const guess = closest(name, names);
        const start = isBlock ? s.start : s.nameStart;
        const end = isBlock ? s.typeEnd : s.nameEnd;
        const canRename = !isBlock && guess && known.attributes.includes(guess) && !attribute(body, guess);
        ctx.report({
          messageId: isBlock ? 'unknownBlock' : 'unknownArgument',
          data: { name, guess: guess ? `; did you mean "${guess}"?` : '', known: names.join(', ') },
          file: r.file,
          start,
          end,
          // A near miss may be a real argument of a newer Packer or a typo for another: a suggestion, never applied by --fix.
          fix: canRename && s.kind === 'attribute' ? { ...renameArgument(r.file, body, s, guess, `Rename to ${guess}`), suggestion: true } : undefined,
        });
      }
    }
  },
);
