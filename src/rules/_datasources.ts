/** The HCP Packer data sources (hcp-registry.md §6), and the references to a data source in a unit. */
import type { Config } from '../packer/config.js';
import type { SourceFile } from '../packer/unit.js';
import { walkExpr, type Body, type Expr } from '../syntax/hcl.js';

export interface HcpDataSource {
  required: string[];
  /** Exactly one of these must be set. */
  exactlyOne?: [string, string];
  replacement?: string;
  /** Argument renames for the replacement. */
  renames?: Record<string, string>;
  /** Output renames for the replacement; null for an output the replacement has no equivalent of. */
  outputs?: Record<string, string | null>;
}

export const HCP_DATA_SOURCES: Record<string, HcpDataSource> = {
  'hcp-packer-version': { required: ['bucket_name', 'channel_name'] },
  'hcp-packer-artifact': { required: ['bucket_name', 'platform', 'region'], exactlyOne: ['channel_name', 'version_fingerprint'] },
  'hcp-packer-iteration': {
    required: ['bucket_name', 'channel'],
    replacement: 'hcp-packer-version',
    renames: { channel: 'channel_name' },
    outputs: { incremental_version: 'name', complete: null },
  },
  'hcp-packer-image': {
    required: ['bucket_name', 'cloud_provider', 'region'],
    exactlyOne: ['channel', 'iteration_id'],
    replacement: 'hcp-packer-artifact',
    renames: { channel: 'channel_name', cloud_provider: 'platform', iteration_id: 'version_fingerprint (a fingerprint, not an ID)' },
    outputs: { id: 'external_identifier', cloud_provider: 'platform', iteration_id: 'version_id' },
  },
};

/** One reference `data.<type>.<name>[.<output>]`: where its type name is, and the output it reads if any. */
export interface DataRef {
  file: SourceFile;
  /** The whole reference. */
  start: number;
  end: number;
  /** The type name, without its dot. */
  typeStart: number;
  typeEnd: number;
  /** The output read (an attribute step); undefined when the data source is read as a whole or indexed. */
  output?: { name: string; start: number; end: number };
}

interface Step {
  name: string | undefined;
  start: number;
  end: number;
}

/**
 * Every reference to `data.<type>.<name>` in the HCL files of a configuration, and the HCL-in-JSON files that mention
 * it (pkrlint does not rewrite those). A traversal with an index is read by the parser as a bare `data` followed by its
 * steps; both shapes are read here.
 */
export function dataRefs(cfg: Config, type: string, name: string): { refs: DataRef[]; jsonFiles: SourceFile[] } {
  const refs: DataRef[] = [];
  const jsonFiles = cfg.configFiles.filter((f) => f.kind !== 'hcl' && f.text.includes(`data.${type}.${name}`));
  for (const file of cfg.configFiles) {
    if (file.kind !== 'hcl' || !file.hcl) continue;
    const text = file.text;
    const match = (steps: Step[], start: number, end: number) => {
      if (steps[0]?.name !== type || steps[1]?.name !== name) return;
      const out = steps[2];
      refs.push({ file, start, end, typeStart: steps[0].start + 1, typeEnd: steps[0].end, output: out?.name !== undefined ? { name: out.name, start: out.start + 1, end: out.end } : undefined });
    };
    const asStep = (s: { start: number; end: number }): Step => {
      const t = text.slice(s.start, s.end);
      return { name: /^\.[A-Za-z_][A-Za-z0-9_-]*$/.test(t) ? t.slice(1) : undefined, start: s.start, end: s.end };
    };
    const visitExpr = (e: Expr) =>
      walkExpr(e, (x) => {
        if (x.kind === 'traversal' && x.root === 'data' && x.steps.length >= 2) match(x.steps.map(asStep), x.start, x.end);
        else if (x.kind === 'other' && x.children[0]?.kind === 'traversal' && x.children[0].root === 'data' && x.children[0].steps.length < 2) {
          const t = x.children[0];
          match([...t.steps, ...x.children.slice(1)].map(asStep), x.start, x.end);
        }
      });
    const visit = (b: Body) => {
      for (const s of b.statements) {
        if (s.kind === 'block') visit(s.body);
        else visitExpr(s.expr);
      }
    };
    visit(file.hcl.body);
  }
  return { refs, jsonFiles };
}
