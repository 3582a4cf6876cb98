import { registryArguments } from '../packer/schema.js';
import { FEATURES, supports, type Feature } from '../packer/version.js';
import { attribute } from '../syntax/hcl.js';
import { registryBody } from './_registry.js';
import { renameArgument } from './_fixes.js';
import { closest, createRule } from './types.js';

/**
 * Arguments of the block that came after the block itself (1.7.5), by their feature in the version table: older
 * Packer ignores them without a word. `channels` is judged by registry-channels.
 */
export const LATER_REGISTRY_ARGUMENTS: Readonly<Record<string, Feature>> = {
  bucket_labels: 'registry-labels',
  build_labels: 'registry-labels',
};

export default createRule(
  {
    id: 'registry-unknown-argument',
    description: 'Reports arguments and blocks in hcp_packer_registry that Packer silently ignores.',
    severity: 'error',
    fixable: true,
    messages: {
      unknownArgument: 'argument "{{name}}" is not part of hcp_packer_registry: Packer ignores it without a word{{guess}} (known: {{known}})',
      unknownBlock: 'block "{{name}}" is not part of hcp_packer_registry: Packer ignores it without a word{{guess}} (known: {{known}})',
      tooNew:
        'argument "{{name}}" of hcp_packer_registry came in Packer {{since}}; the target Packer {{target}} ({{targetOrigin}}) ignores it without a word{{instead}}',
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
        const later = s.kind === 'attribute' ? LATER_REGISTRY_ARGUMENTS[name] : undefined;
        if (s.kind === 'attribute' && later && !supports(ctx.target.version, later)) {
          const since = FEATURES[later].since;
          const instead = name === 'bucket_labels' ? '; use "labels" for this target, or target ' + since : `; target ${since} or later for it to take effect`;
          ctx.report({ messageId: 'tooNew', severity: 'warning', data: { name, since, target: ctx.target.version, targetOrigin: ctx.target.origin, instead }, file: r.file, start: s.nameStart, end: s.nameEnd });
          continue;
        }
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
