import { channelProblem } from '../packer/hcp.js';
import { FEATURES, supports } from '../packer/version.js';
import { shown } from '../packer/eval.js';
import { evalIn, registryAttrs } from './_registry.js';
import { createRule } from './types.js';


export default createRule(
  { id: 'registry-channels', description: 'Reports invalid or unsupported channels in hcp_packer_registry.', severity: 'error' },
  (ctx) => {
    for (const { file, attr } of registryAttrs(ctx, 'channels')) {
      if (!supports(ctx.target.version, 'registry-channels')) {
        ctx.report({ severity: 'warning', message: `channels needs Packer ${FEATURES['registry-channels'].since} or newer; the target is ${ctx.target.version} (${ctx.target.origin}), which ignores it silently`, file, start: attr.nameStart, end: attr.nameEnd });
      }
      const whole = evalIn(ctx, attr.expr);
      if (whole.known && !Array.isArray(whole.value)) {
        ctx.report({ message: `channels must be a list of channel names, not ${whole.value === null ? 'null' : `a ${typeof whole.value}`}: Packer fails to decode the block`, file, start: attr.expr.start, end: attr.expr.end });
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
          if (problem) ctx.report({ message: problem, file, start: it.start, end: it.end });
        }
      }
    }
  },
);
