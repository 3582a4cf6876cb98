// The schema check shared by test/migrate/schema-check.test.ts and bench/migrate-schema.ts.
import { lookupComponent, type ComponentKind, type Spec } from '../../src/packer/components.js';
import { coreBlocks } from '../../src/packer/schema.js';
import { parseHcl, type Block, type Body, type HclFile } from '../../src/syntax/hcl.js';

export interface SchemaFinding {
  /** `source "qemu": "iso_checksum_type" (line 12)`, or `… "T": unknown component …`. */
  text: string;
  unknownComponent: boolean;
  /** The argument's name (undefined for an unknown component). */
  name?: string;
}

/** The TODO comment lines directly above an offset (a run of comment lines ending on the line before). */
function todoAbove(file: HclFile, offset: number): string {
  const line = file.lines.position(offset).line;
  const byLine = new Map(file.comments.map((c) => [file.lines.position(c.start).line, c.text]));
  const texts: string[] = [];
  for (let l = line - 1; byLine.has(l); l--) texts.unshift(byLine.get(l)!);
  return texts.filter((t) => t.includes('TODO(pkrlint)')).join('\n');
}

const coreArgs = (body: string) => new Set(Object.keys(coreBlocks().bodies[body]?.attributes ?? {}));

/** Arguments of a body that neither the spec nor the core arguments know, and have no TODO naming them. */
function unexplained(file: HclFile, body: Body, spec: Spec, core: ReadonlySet<string>, where: string, todos: boolean): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  for (const s of body.statements) {
    const name = s.kind === 'attribute' ? s.name : s.type;
    const known = spec[name];
    if (known) {
      if (s.kind === 'block' && (known.kind === 'block' || known.kind === 'block-list')) out.push(...unexplained(file, s.body, known.nested ?? {}, new Set(), `${where} ${name}`, todos));
      continue;
    }
    if (core.has(name)) continue;
    if (!todos || !todoAbove(file, s.start).includes(`"${name}"`)) out.push({ text: `${where}: "${name}" (line ${file.lines.position(s.start).line})`, unknownComponent: false, name });
  }
  return out;
}

function check(file: HclFile, block: Block, kind: ComponentKind, coreBody: string, where: string, todos: boolean): SchemaFinding[] {
  const type = block.labels[0]?.value ?? '';
  const l = lookupComponent(kind, type);
  if (l.found !== 'schema') return todos && todoAbove(file, block.start).includes(`"${type}"`) ? [] : [{ text: `${where} "${type}": unknown component${todos ? ' without a TODO' : ''}`, unknownComponent: true }];
  return unexplained(file, block.body, l.component.spec, coreArgs(coreBody), `${where} "${type}"`, todos);
}

/**
 * Every argument of every source, provisioner and post-processor of an HCL2 template that the current plugin schema
 * does not know (with `todos`, unless a TODO(pkrlint) comment above it names it), and every component type without a
 * schema. A template with syntax errors gives one finding.
 */
export function schemaFindings(hcl: string, todos: boolean): SchemaFinding[] {
  const file = parseHcl(hcl);
  if (file.errors.length) return [{ text: `syntax error: ${file.errors[0].message}`, unknownComponent: false }];
  const out: SchemaFinding[] = [];
  for (const s of file.body.statements) {
    if (s.kind !== 'block') continue;
    if (s.type === 'source') out.push(...check(file, s, 'builders', 'source', 'source', todos));
    if (s.type !== 'build') continue;
    for (const b of s.body.statements) {
      if (b.kind !== 'block') continue;
      if (b.type === 'provisioner' || b.type === 'error-cleanup-provisioner') out.push(...check(file, b, 'provisioners', 'provisioner', b.type, todos));
      if (b.type === 'post-processor') out.push(...check(file, b, 'post-processors', 'post-processor', 'post-processor', todos));
      if (b.type === 'post-processors')
        for (const p of b.body.statements) if (p.kind === 'block' && p.type === 'post-processor') out.push(...check(file, p, 'post-processors', 'post-processor', 'post-processor', todos));
    }
  }
  return out;
}

