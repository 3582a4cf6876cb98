import { objectKey } from '../syntax/hcl.js';
import { evalIn, fromWhere, registryAttrs } from './_registry.js';
import { createRule } from './types.js';

const LABEL_ARGS = ['bucket_labels', 'build_labels', 'labels'];

function valueKind(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  return undefined;
}

export default createRule(
  {
    id: 'registry-label-type',
    description: 'Reports label map values that are not strings.', severity: 'error',
    messages: {
      valueNotString: '{{arg}} value for "{{key}}" is {{kind}}: label values must be strings (numbers and bools are converted), and Packer fails to decode the block',
      notAMap: '{{arg}}{{from}} is {{kind}}, not a map of strings',
      nestedNotString: '{{arg}}{{from}} has a value for {{key}} that is {{kind}}: label values must be strings',
    },
  },
  (ctx) => {
    for (const arg of LABEL_ARGS) {
      for (const { file, attr } of registryAttrs(ctx, arg)) {
        const e = attr.expr;
        if (e.kind === 'object') {
          for (const it of e.items) {
            const v = evalIn(ctx, it.value);
            const literal = it.value.kind === 'tuple' ? 'a list' : it.value.kind === 'object' ? 'an object' : undefined;
            const bad = literal ?? (v.known ? valueKind(v.value) : undefined);
            if (!bad) continue;
            const key = objectKey(it.key) ?? '…';
            ctx.report({ messageId: 'valueNotString', data: { arg, key, kind: bad }, file, start: it.value.start, end: it.value.end });
          }
          continue;
        }
        const v = evalIn(ctx, e);
        // A null map decodes as no labels; only null values inside the map are decode errors.
        if (!v.known || v.value === null) continue;
        const top = v.value !== null && typeof v.value === 'object' && !Array.isArray(v.value) ? undefined : valueKind(v.value) ?? `a ${typeof v.value}`;
        const nested = top ? undefined : Object.entries(v.value as Record<string, unknown>).find(([, x]) => valueKind(x));
        if (top) ctx.report({ messageId: 'notAMap', data: { arg, from: fromWhere(v), kind: top }, file, start: e.start, end: e.end });
        else if (nested) {
          const data = { arg, from: fromWhere(v), key: v.sensitive ? 'a key' : `"${nested[0]}"`, kind: valueKind(nested[1])! };
          ctx.report({ messageId: 'nestedNotString', data, file, start: e.start, end: e.end });
        }
      }
    }
  },
);
