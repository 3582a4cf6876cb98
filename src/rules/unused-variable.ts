import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readInput, repositoryRoot } from '../packer/input.js';
import { fileFrom, isAutoVarFile, type SourceFile } from '../packer/unit.js';
import { references, unitIncomplete } from './_schema.js';
import { blockHead } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'unused-variable',
    description: 'Reports variables that no expression of the configuration references.',
    severity: 'warning',
    messages: {
      unused: 'variable "{{name}}" is declared but never referenced as var.{{name}} in this configuration: remove it, or use it',
    },
  },
  (ctx) => {
    const cfg = ctx.hcl?.config;
    // On a partial tree (a file that did not parse) a reference may be missing only from what was read.
    if (!cfg || unitIncomplete(ctx) || !cfg.variables.size) return;
    const used = new Set<string>();
    for (const r of references(ctx)) if (r.kind === 'var' && r.inVariable !== r.name) used.add(r.name);
    const unused = [...cfg.variables.values()].filter((v) => !used.has(v.name));
    if (!unused.length) return;
    const setElsewhere = variablesSetByVarFiles(ctx.unit.dir, cfg.autoVarFiles);
    for (const v of unused) {
      if (setElsewhere.has(v.name)) continue;
      const at = v.block.type === 'variable' ? blockHead(v.block) : { start: v.default!.nameStart, end: v.default!.nameEnd };
      ctx.report({ messageId: 'unused', data: { name: v.name }, file: v.file, ...at });
    }
  },
);

/**
 * Names set by the variable files beside the configuration and in the directories above it up to the repository root
 * (`*.pkrvars.hcl`, `*.pkrvars.json`, and their `.example` copies): a variable such a file sets may be declared for it
 * (a file shared by several builds and passed to each with -var-file), not for this configuration.
 */
function variablesSetByVarFiles(dir: string, auto: readonly SourceFile[]): Set<string> {
  const names = new Set<string>();
  const files = [...auto];
  const root = repositoryRoot(dir) ?? dir;
  for (let d = dir; ; d = dirname(d)) {
    let entries: string[];
    try {
      entries = readdirSync(d).filter((n) => SHARED_VAR_FILE.test(n) && !isAutoVarFile(n));
    } catch {
      entries = [];
    }
    for (const n of entries) {
      const p = join(d, n);
      files.push(fileFrom(p, d, /\.json(\.\w+)?$/.test(n) ? 'pkrvars-json' : 'pkrvars-hcl', readInput(p, { explicit: false, root })));
    }
    if (d === root || dirname(d) === d || !d.startsWith(root)) break;
  }
  for (const f of files) for (const s of f.hcl?.body.statements ?? []) if (s.kind === 'attribute') names.add(s.name);
  return names;
}

const SHARED_VAR_FILE = /\.pkrvars\.(hcl|json)(\.example)?$/;
