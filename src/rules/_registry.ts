/** Helpers shared by the registry rules: where the blocks are and what they say. */
import { attribute, blocks, type Attribute, type Block, type Expr } from '../syntax/hcl.js';
import type { RegistryDecl } from '../packer/config.js';
import type { Value } from '../packer/eval.js';
import type { SourceFile } from '../packer/unit.js';
import type { RuleContext } from './types.js';

/** The body Packer decodes for a registry declaration: the block's own, or a dynamic block's `content`. */
export function registryBody(r: RegistryDecl): Block['body'] | undefined {
  if (!r.dynamic) return r.block.body;
  return blocks(r.block.body, 'content')[0]?.body;
}

export interface RegistryAttr {
  registry: RegistryDecl;
  file: SourceFile;
  attr: Attribute;
}

/** Every attribute named `name` in every registry block of the unit (including dynamic content, which is static text). */
export function registryAttrs(ctx: RuleContext, name: string): RegistryAttr[] {
  const out: RegistryAttr[] = [];
  for (const r of ctx.hcl?.config.registries ?? []) {
    const body = registryBody(r);
    const a = body && attribute(body, name);
    if (a) out.push({ registry: r, file: r.file, attr: a });
  }
  return out;
}

export function evalIn(ctx: RuleContext, e: Expr): Value {
  return ctx.hcl ? ctx.hcl.evaluator.eval(e) : { known: false };
}

/** The place to report a block: its type keyword and labels, which is where a reader looks for it. */
export function blockHead(b: Block): { start: number; end: number } {
  const end = b.labels.length ? b.labels[b.labels.length - 1].end : b.typeEnd;
  // In HCL's JSON syntax a block given as an array element starts after its key.
  return { start: b.start, end: Math.max(end, b.start + 1) };
}

export { fileLine as at } from '../packer/unit.js';

/** " (from var.x (the default at variables.pkr.hcl:3))" when a value came through variables or locals. */
export function fromWhere(v: Value): string {
  return v.known && v.origin ? ` (from ${v.origin})` : '';
}

/** The text that names an argument in a file: bare in native syntax, quoted in HCL's JSON syntax. */
export function argumentName(file: SourceFile, name: string): string {
  return file.kind === 'hcl-json' ? JSON.stringify(name) : name;
}
