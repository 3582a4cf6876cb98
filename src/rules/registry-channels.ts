import { channelProblem } from '../packer/hcp.js';
import { FEATURES, supports } from '../packer/version.js';
import { shown } from '../packer/eval.js';
import { evalIn, registryAttrs } from './_registry.js';
import { createRule } from './types.js';


export default createRule(
  {
    id: 'registry-channels',
    description: 'Reports invalid or unsupported channels in hcp_packer_registry.', severity: 'error',
    messages: {
      needsVersion: 'channels needs Packer {{since}} or newer; the target is {{target}} ({{origin}}), which ignores it silently',
      notAList: 'channels must be a list of channel names, not {{kind}}: Packer fails to decode the block',
      invalidChannel: '{{problem}}',
    },
  },
  (ctx) => {
    for (const { file, attr } of registryAttrs(ctx, 'channels')) {
      if (!supports(ctx.target.version, 'registry-channels')) {
        ctx.report({ severity: 'warning', messageId: 'needsVersion', data: { since: FEATURES['registry-channels'].since, target: ctx.target.version, origin: ctx.target.origin }, file, start: attr.nameStart, end: attr.nameEnd });
      }
      const whole = evalIn(ctx, attr.expr);
      if (whole.known && !Array.isArray(whole.value)) {
        ctx.report({ messageId: 'notAList', data: { kind: whole.value === null ? 'null' : `a ${typeof whole.value}` }, file, start: attr.expr.start, end: attr.expr.end });
        continue;
      }
      const items = attr.expr.kind === 'tuple' ? attr.expr.items : [attr.expr];
      for (const it of items) {
        const v = evalIn(ctx, it);
        if (!v.known) continue;
        const names = Array.isArray(v.value) ? v.value : [v.value];
        for (const n of names) {
          if (typeof n !== 'string') continue;
          const problem = channelProblem(n, shown(v, n));
          if (problem) ctx.report({ messageId: 'invalidChannel', data: { problem }, file, start: it.start, end: it.end });
        }
      }
    }
  },
);
