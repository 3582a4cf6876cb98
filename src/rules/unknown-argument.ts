import { removedArgument } from '../packer/removed.js';
import { internalArguments } from '../packer/schema.js';
import { sinceAllows } from '../packer/version.js';
import { attribute } from '../syntax/hcl.js';
import { renameArgument } from './_fixes.js';
import { isBlockKind, ownedElsewhere, schemaScopes, type Scope } from './_schema.js';
import { closest, createRule, type RuleContext } from './types.js';

export default createRule(
  {
    id: 'unknown-argument',
    description: 'Reports arguments and nested blocks that the schema of their block does not have.',
    severity: 'error',
    fixable: true,
    messages: {
      unknownArgument: 'argument "{{name}}" is not expected in {{where}}: Packer fails with "Unsupported argument"{{guess}}',
      unknownBlock: 'block "{{name}}" is not expected in {{where}}: Packer fails with "Unsupported block type"{{guess}}',
      jsonOnly: 'argument "{{name}}" of {{where}} is read from legacy JSON templates only: the plugin\'s HCL2 schema does not have it, so Packer fails with "Unsupported argument" here',
      notInVersion: '"{{name}}" in {{where}} is new in Packer {{since}}; the target, Packer {{target}} ({{origin}}), fails with "Unsupported {{what}}"',
    },
  },
  (ctx) => {
    for (const scope of schemaScopes(ctx)) checkScope(ctx, scope);
  },
);

function checkScope(ctx: RuleContext<'unknownArgument' | 'unknownBlock' | 'jsonOnly' | 'notInVersion'>, scope: Scope): void {
  const { file, body, spec } = scope;
  const internal = internalArguments();
  const candidates = (blocksOnly: boolean) => Object.keys(spec).filter((k) => !internal.includes(k) && !ownedElsewhere(k) && isBlockKind(spec[k]) === blocksOnly);
  const guess = (name: string, blocksOnly: boolean) => {
    const g = closest(name, candidates(blocksOnly));
    return g ? `; did you mean "${g}"?` : '';
  };
  for (const s of body.statements) {
    if (s.kind === 'attribute') {
      if (scope.open) continue;
      const arg = Object.hasOwn(spec, s.name) ? spec[s.name] : undefined;
      if (arg) {
        // A block written as an attribute is argument-form's finding.
        if (!sinceAllows(ctx.target.version, arg.since)) report(ctx, scope, s.name, arg.since!, 'argument', s.nameStart, s.nameEnd);
        continue;
      }
      if (ownedElsewhere(s.name)) continue;
      // An argument the plugin had and removed is removed-argument's finding, which says what replaced it.
      if (scope.component && scope.component.kind !== 'data-sources' && removedArgument(scope.component.kind, scope.component.type, s.name)) continue;
      if (scope.component?.jsonOnly.includes(s.name)) {
        ctx.report({ messageId: 'jsonOnly', data: { name: s.name, where: scope.where }, file, start: s.nameStart, end: s.nameEnd });
        continue;
      }
      const g = closest(s.name, candidates(false));
      const canRename = g !== undefined && file.kind === 'hcl' && !attribute(body, g);
      ctx.report({
        messageId: 'unknownArgument',
        data: { name: s.name, where: scope.where, guess: g ? `; did you mean "${g}"?` : '' },
        file,
        start: s.nameStart,
        end: s.nameEnd,
        // A near miss may be a newer plugin's argument or a typo for another: offered, never applied by --fix.
        fix: canRename ? { ...renameArgument(file, body, s, g, `Rename to ${g}`), suggestion: true } : undefined,
      });
      continue;
    }
    const isDynamic = s.type === 'dynamic';
    // Packer expands dynamic blocks only in some bodies; elsewhere what they generate is not judged.
    if (isDynamic && !scope.dynamic) continue;
    const name = isDynamic ? s.labels[0]?.value : s.type;
    if (name === undefined || ownedElsewhere(name)) continue;
    const start = isDynamic ? s.labels[0].start : s.typeStart;
    const end = isDynamic ? s.labels[0].end : s.typeEnd;
    const arg = Object.hasOwn(spec, name) ? spec[name] : undefined;
    if (arg) {
      if (!sinceAllows(ctx.target.version, arg.since)) report(ctx, scope, name, arg.since!, 'block type', start, end);
      continue;
    }
    ctx.report({ messageId: 'unknownBlock', data: { name, where: scope.where, guess: guess(name, true) }, file, start, end });
  }
}

function report(ctx: RuleContext<'notInVersion'>, scope: Scope, name: string, since: string, what: string, start: number, end: number): void {
  ctx.report({
    messageId: 'notInVersion',
    data: { name, where: scope.where, since: since.replace(/^v/, ''), target: ctx.target.version, origin: ctx.target.origin, what },
    file: scope.file,
    start,
    end,
  });
}
