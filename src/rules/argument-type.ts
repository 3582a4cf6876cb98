import type { Plain } from '../packer/eval.js';
import { schemaScopes } from './_schema.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'argument-type',
    description: 'Reports arguments whose known value has a type the schema does not accept.',
    severity: 'error',
    messages: {
      wrongType: 'argument "{{name}}" of {{where}} must be {{expected}}, but {{actual}}; Packer fails with "Incorrect attribute value type"',
    },
  },
  (ctx) => {
    const evaluator = ctx.hcl?.evaluator;
    if (!evaluator) return;
    for (const scope of schemaScopes(ctx)) {
      if (scope.open) continue;
      for (const s of scope.body.statements) {
        if (s.kind !== 'attribute' || !Object.hasOwn(scope.spec, s.name)) continue;
        const arg = scope.spec[s.name];
        if (arg.kind !== 'attr' || !TYPE.test(arg.type)) continue;
        const v = evaluator.eval(s.expr);
        // A value that depends on a variable may be given another way at build time (-var, -var-file): not judged.
        if (!v.known || v.origin?.includes('var.')) continue;
        const problem = mismatch(v.value, arg.type);
        if (problem) ctx.report({ messageId: 'wrongType', data: { name: s.name, where: scope.where, expected: describeType(arg.type), actual: problem }, file: scope.file, start: s.expr.start, end: s.expr.end });
      }
    }
  },
);

/** The types judged: primitives and lists and maps of them (every type of components.json). */
const TYPE = /^(string|number|bool|(list|map)\((.+)\))$/;

function describeType(t: string): string {
  const m = /^(list|map)\((.+)\)$/.exec(t);
  if (!m) return t === 'bool' ? 'a bool' : `a ${t}`;
  const inner = describeType(m[2]).replace(/^an? /, '');
  return `a ${m[1]} of ${inner === 'bool' ? 'bools' : inner.startsWith('list') || inner.startsWith('map') ? inner.replace(/^(list|map)/, '$1s') : `${inner}s`}`;
}

function kindOf(v: Plain): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return 'a string';
  return typeof v === 'number' ? 'a number' : 'a bool';
}

/**
 * Why the value cannot be converted to the type as HCL converts (a number or bool to a string, a numeric string to a
 * number, "true"/"false" to a bool), or undefined when it can. Values are never shown: they may be secrets.
 */
function mismatch(v: Plain, type: string): string | undefined {
  if (v === null) return undefined;
  const m = /^(list|map)\((.+)\)$/.exec(type);
  if (m) {
    const want = m[1] === 'list' ? Array.isArray(v) : typeof v === 'object' && !Array.isArray(v);
    if (!want) return `it is ${kindOf(v)}`;
    const items: Array<[string, Plain]> = Array.isArray(v) ? v.map((x, i) => [`element ${i + 1}`, x]) : Object.entries(v as Record<string, Plain>).map(([k, x]) => [`the value of ${JSON.stringify(k)}`, x]);
    for (const [where, x] of items) {
      const inner = mismatch(x, m[2]);
      if (inner) return `${where}: ${inner}`.replace(/: it is/, ' is');
    }
    return undefined;
  }
  switch (type) {
    case 'string':
      return typeof v === 'object' ? `it is ${kindOf(v)}` : undefined;
    case 'number':
      if (typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v.trim()) && v.trim() === v)) return undefined;
      return typeof v === 'string' ? 'it is a string that is not a number' : `it is ${kindOf(v)}`;
    case 'bool':
      if (typeof v === 'boolean' || v === 'true' || v === 'false') return undefined;
      return typeof v === 'string' ? 'it is a string other than "true" or "false"' : `it is ${kindOf(v)}`;
  }
  return undefined;
}
