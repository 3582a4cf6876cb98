/** Helpers of the rules about HCP environment variables (hcp-registry.md §3, §5), in the local environment or a CI context. */
import { HCP_DATA_SOURCES } from './_datasources.js';
import type { EnvValue } from '../packer/env.js';
import type { SourceFile } from '../packer/unit.js';
import type { RuleContext } from './types.js';

/** A variable that is set to something: a non-empty known value, or an unknown expression. */
export function setValue(ctx: RuleContext, name: string): EnvValue | undefined {
  const v = ctx.env.lookup(name);
  return v && (v.unknown || v.value !== '') ? v : undefined;
}

/** Where a finding about a variable goes: where the variable is set, when pkrlint read that file. */
export function placeOf(v: EnvValue): { file?: SourceFile; start?: number; end?: number } {
  return v.at ? { file: v.at.file, start: v.at.start, end: v.at.end } : {};
}

/** What turns HCP Packer on for the unit, or undefined: the registry block or the environment (§3); JSON templates by HCP_PACKER_BUCKET_NAME. */
export function hcpEnabledBy(ctx: RuleContext): string | undefined {
  if (ctx.hcl) return ctx.hcl.hcp.enabled ? ctx.hcl.hcp.reason ?? 'the environment' : undefined;
  const bucket = ctx.hcpEnv.bucketName;
  return !ctx.hcpEnv.disabled && bucket && bucket.value !== '' ? `HCP_PACKER_BUCKET_NAME (set in ${bucket.origin})` : undefined;
}

/** The first HCP Packer data source of the configuration, as `data.<type>.<name>`: it needs credentials even with HCP off. */
export function hcpDataSource(ctx: RuleContext): string | undefined {
  const d = ctx.hcl?.config.data.find((x) => HCP_DATA_SOURCES[x.type]);
  return d && `data.${d.type}.${d.name}`;
}

/** An example of a value that changes on every run, in the words of the context's CI system. */
export function perRunExample(ctx: RuleContext): string {
  if (ctx.context?.kind === 'github') return '${{ github.run_id }}-${{ github.run_attempt }}';
  if (ctx.context?.kind === 'gitlab') return '$CI_PIPELINE_ID';
  return 'a run number';
}
