import { blocks } from '../syntax/hcl.js';
import { ALL, references, unitIncomplete, type Reference } from './_schema.js';
import { closest, createRule } from './types.js';

const MAX_CANDIDATES = 1000;

export default createRule(
  {
    id: 'undefined-reference',
    description: 'Reports var.x, local.x, data.T.N and source.T.N references to things the configuration does not declare.',
    severity: 'error',
    // Judges the whole configuration: not run while a part of it does not parse.
    scope: 'unit',
    messages: {
      variable: 'var.{{name}} is not declared: no file of this configuration has a variable "{{name}}" block, and Packer fails with "Reference to undeclared input variable"{{guess}}',
      local: 'local.{{name}} is not declared: no locals block or local block of this configuration defines "{{name}}", and Packer fails with "Reference to undeclared local value"{{guess}}',
      data: 'data.{{name}} is not declared: no file of this configuration has a data block with these labels{{guess}}',
      source: 'source.{{name}} is not declared: no file of this configuration has a source block with these labels{{guess}}',
    },
  },
  (ctx) => {
    const cfg = ctx.hcl?.config;
    // On a partial tree (a file that did not parse) a declaration may be missing only from what was read.
    if (!cfg || unitIncomplete(ctx)) return;
    const declared: Record<Reference['kind'], Set<string>> = { var: new Set(cfg.variables.keys()), local: new Set(cfg.locals.keys()), data: new Set(), source: new Set() };
    for (const d of cfg.data) declared.data.add(`${d.type}.${d.name}`);
    for (const file of cfg.configFiles) {
      for (const b of blocks(file.hcl?.body ?? { start: 0, end: 0, statements: [] })) {
        if (b.type === 'local' && b.labels[0]) declared.local.add(b.labels[0].value);
        if (b.type === 'source' && b.labels.length === 2) declared.source.add(`${b.labels[0].value}.${b.labels[1].value}`);
      }
    }
    const messageId = { var: 'variable', local: 'local', data: 'data', source: 'source' } as const;
    // One guess per name; none among thousands of declarations (each guess compares with every one of them).
    const guesses = new Map<string, string>();
    const guess = (r: Reference) => {
      const key = `${r.kind}.${r.name}`;
      let g = guesses.get(key);
      if (g === undefined) {
        const found = declared[r.kind].size <= MAX_CANDIDATES ? closest(r.name, [...declared[r.kind]]) : undefined;
        g = found ? `; did you mean ${r.kind}.${found}?` : '';
        guesses.set(key, g);
      }
      return g;
    };
    for (const r of references(ctx)) {
      if (r.name === ALL || declared[r.kind].has(r.name)) continue;
      ctx.report({ messageId: messageId[r.kind], data: { name: r.name, guess: guess(r) }, file: r.file, start: r.start, end: r.end });
    }
  },
);
