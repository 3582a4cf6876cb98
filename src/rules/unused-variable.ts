import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readInput, repositoryRoot } from '../packer/input.js';
import { fileFrom, isAutoVarFile, type SourceFile } from '../packer/unit.js';
import { ALL, references, unitIncomplete } from './_schema.js';
import { blockHead } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'unused-variable',
    description: 'Reports variables that no expression of the configuration references.',
    severity: 'warning',
    // Judges the whole configuration: not run while a part of it does not parse.
    scope: 'unit',
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
    // The whole `var` object is passed somewhere (templatefile(…, { var = var })): any variable may be read there.
    if (used.has(ALL)) return;
    const unused = [...cfg.variables.values()].filter((v) => !used.has(v.name));
    if (!unused.length) return;
    const setElsewhere = variablesSetElsewhere(ctx.unit.dir, cfg.autoVarFiles);
    for (const v of unused) {
      if (setElsewhere.has(v.name)) continue;
      const at = v.block.type === 'variable' ? blockHead(v.block) : { start: v.default!.nameStart, end: v.default!.nameEnd };
      ctx.report({ messageId: 'unused', data: { name: v.name }, file: v.file, ...at });
    }
  },
);

/**
 * Names set beside the configuration and in the directories above it up to the repository root: by variable files
 * (`*.pkrvars.hcl`, `*.pkrvars.json`, and their `.example` copies) and by `-var NAME=…` in build scripts (Makefiles,
 * shell and PowerShell scripts). A variable set that way may be declared for it (a file or a command line shared by
 * several builds), not for this configuration: Packer rejects a -var for an undeclared variable.
 */
function variablesSetElsewhere(dir: string, auto: readonly SourceFile[]): Set<string> {
  const names = new Set<string>();
  const files = [...auto];
  const root = repositoryRoot(dir) ?? dir;
  for (let d = dir; ; d = dirname(d)) {
    let entries: string[];
    try {
      entries = readdirSync(d).filter((n) => (SHARED_VAR_FILE.test(n) && !isAutoVarFile(n)) || BUILD_SCRIPT.test(n));
    } catch {
      entries = [];
    }
    for (const n of entries) {
      const p = join(d, n);
      const read = readInput(p, { explicit: false, root });
      if (BUILD_SCRIPT.test(n)) {
        if (read.ok) for (const m of read.text.matchAll(VAR_OPTION)) names.add(m[1]);
        continue;
      }
      files.push(fileFrom(p, d, /\.json(\.\w+)?$/.test(n) ? 'pkrvars-json' : 'pkrvars-hcl', read));
    }
    if (d === root || dirname(d) === d || !d.startsWith(root)) break;
  }
  for (const f of files) for (const s of f.hcl?.body.statements ?? []) if (s.kind === 'attribute') names.add(s.name);
  return names;
}

const SHARED_VAR_FILE = /\.pkrvars\.(hcl|json)(\.example)?$/;
const BUILD_SCRIPT = /^(GNUmakefile|[Mm]akefile|.*\.(mk|sh|bash|ps1))$/;
/** `-var name=…`, `-var=name=…`, `-var "name=…"`, `--var 'name=…'`. */
const VAR_OPTION = /--?var[ \t=]+["']?([A-Za-z_][\w-]*)=/g;
