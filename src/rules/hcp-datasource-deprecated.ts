import { attribute, walkExpr } from '../syntax/hcl.js';
import type { DataDecl } from '../packer/config.js';
import { fileLine, type SourceFile } from '../packer/unit.js';
import { FEATURES, supports } from '../packer/version.js';
import { dataRefs, HCP_DATA_SOURCES, type DataRef, type HcpDataSource } from './_datasources.js';
import { renameArguments } from './_fixes.js';
import { blockHead } from './_registry.js';
import { createRule, type Fix, type TextEdit } from './types.js';

/** What migrating one deprecated data source involves: its references, and the fix or why there is none. */
interface Plan {
  d: DataDecl;
  ds: HcpDataSource & { replacement: string };
  refs: DataRef[];
  /** JSON files of the unit that read the data source (pkrlint does not rewrite them). */
  jsonFiles: SourceFile[];
  fix?: Fix;
  why?: string;
}

const at = (r: DataRef) => fileLine(r.file, r.start);

/** The renamed outputs a unit reads, for the message: `id → external_identifier (main.pkr.hcl:16)`. */
function outputsRead(p: Plan): string {
  const seen = new Map<string, string[]>();
  for (const r of p.refs) {
    if (!r.output || !p.ds.outputs || !Object.hasOwn(p.ds.outputs, r.output.name)) continue;
    seen.set(r.output.name, [...(seen.get(r.output.name) ?? []), at(r)]);
  }
  const parts = [...seen].map(([o, places]) => `${o} → ${p.ds.outputs![o] ?? 'no equivalent'} (${places.join(', ')})`);
  return parts.length ? `; renamed outputs read: ${parts.join(', ')}` : '';
}

/** The edits that rename the block and the references not `skip`ped, or why they cannot be made. */
function migrate(p: Plan, skip: Set<DataRef>): TextEdit[] | string {
  const { d, ds } = p;
  if (d.file.kind !== 'hcl') return 'the block is in a JSON file, which pkrlint does not rewrite';
  if (p.jsonFiles.length) return `data.${d.type}.${d.name} is read in ${p.jsonFiles[0].display}, a JSON file pkrlint does not rewrite`;
  const lost = p.refs.find((r) => r.output && ds.outputs?.[r.output.name] === null);
  if (lost) return `${ds.replacement} has no equivalent of ${lost.output!.name} (its status holds a state such as "VERSION_ACTIVE", not a bool); change what reads it by hand`;
  const whole = p.refs.find((r) => !r.output);
  if (whole) return `data.${d.type}.${d.name} is read as a whole (${at(whole)}), so its renamed outputs cannot be followed`;
  const label = d.block.labels[0];
  const edits: TextEdit[] = [{ file: d.file, start: label.start, end: label.end, text: JSON.stringify(ds.replacement) }];
  const renames = new Map<Parameters<typeof attribute>[0]['statements'][number] & { kind: 'attribute' }, string>();
  for (const [from, to] of Object.entries(ds.renames ?? {})) {
    const a = attribute(d.block.body, from);
    if (a) renames.set(a, to.split(' ')[0]);
  }
  edits.push(...renameArguments(d.file, d.block.body, renames));
  for (const r of p.refs) {
    if (skip.has(r)) continue;
    edits.push({ file: r.file, start: r.typeStart, end: r.typeEnd, text: ds.replacement });
    const out = ds.outputs?.[r.output!.name];
    if (out) edits.push({ file: r.file, start: r.output!.start, end: r.output!.end, text: out });
  }
  return edits;
}

export default createRule(
  {
    id: 'hcp-datasource-deprecated',
    description: 'Reports deprecated HCP Packer data sources and packer.iterationID.', severity: 'warning',
    fixable: true,
    messages: {
      dataSource: 'data source "{{type}}" is deprecated since Packer {{since}}; use "{{replacement}}" (arguments: {{renames}}){{outputs}}',
      dataSourceNoFix: 'data source "{{type}}" is deprecated since Packer {{since}}; use "{{replacement}}" (arguments: {{renames}}){{outputs}} (no automatic fix: {{why}})',
      iterationId: 'packer.iterationID is deprecated; use packer.versionFingerprint (note: it holds the version fingerprint, not the old iteration ID)',
    },
  },
  (ctx) => {
    const cfg = ctx.hcl?.config;
    // Before the replacements exist, the old names are the only ones (and there is nothing to fix to).
    if (!cfg || !supports(ctx.target.version, 'hcp-artifact-datasources')) return;
    const plans: Plan[] = [];
    for (const d of cfg.data) {
      const ds = HCP_DATA_SOURCES[d.type];
      if (!ds?.replacement) continue;
      plans.push({ d, ds: ds as Plan['ds'], ...dataRefs(cfg, d.type, d.name) });
    }
    // An image's `iteration_id = data.hcp-packer-iteration.X.id` becomes `version_fingerprint =
    // data.hcp-packer-version.X.fingerprint`: that reference is rewritten by the image's fix, not the iteration's.
    const iterations = plans.filter((p) => p.d.type === 'hcp-packer-iteration');
    const fromImage = new Map<Plan, { iteration?: Plan; ref?: DataRef; why?: string }>();
    for (const p of plans.filter((x) => x.d.type === 'hcp-packer-image')) {
      const id = attribute(p.d.block.body, 'iteration_id');
      if (!id) {
        fromImage.set(p, {});
        continue;
      }
      const e = id.expr;
      const target = e.kind === 'traversal' && e.root === 'data' && e.steps.length === 3 && e.steps[2].name === 'id' ? e : undefined;
      const iteration = target && iterations.find((it) => it.d.name === target.steps[1].name && target.steps[0].name === 'hcp-packer-iteration');
      // Already a version data source: named so, or an iteration reference left behind when its data source was migrated
      // in an earlier pass without this block.
      const version = target && !iteration && cfg.data.some((x) => x.type === 'hcp-packer-version' && x.name === target.steps[1].name) && ['hcp-packer-version', 'hcp-packer-iteration'].includes(String(target.steps[0].name));
      if (!iteration && !version) {
        fromImage.set(p, { why: 'iteration_id holds an iteration ID, and hcp-packer-artifact needs a version fingerprint in version_fingerprint (for example data.hcp-packer-version.X.fingerprint): set it by hand' });
        continue;
      }
      fromImage.set(p, { iteration, ref: iteration?.refs.find((r) => r.start === e.start) });
    }
    const skipped = new Set([...fromImage.values()].flatMap((v) => (v.ref ? [v.ref] : [])));
    for (const p of iterations) {
      const r = migrate(p, skipped);
      if (typeof r === 'string') p.why = r;
      else p.fix = { description: `Replace ${p.d.type} with ${p.ds.replacement}`, edits: r };
    }
    for (const [p, link] of fromImage) {
      if (link.why) {
        p.why = link.why;
        continue;
      }
      if (link.iteration && !link.iteration.fix) {
        p.why = `its iteration_id reads data.hcp-packer-iteration.${link.iteration.d.name}, which cannot be migrated automatically`;
        continue;
      }
      const r = migrate(p, new Set());
      if (typeof r === 'string') {
        p.why = r;
        continue;
      }
      const id = attribute(p.d.block.body, 'iteration_id');
      if (id) {
        const e = id.expr as Extract<typeof id.expr, { kind: 'traversal' }>;
        r.push({ file: p.d.file, start: e.start, end: e.end, text: `data.hcp-packer-version.${String(e.steps[1].name)}.fingerprint` });
      }
      p.fix = { description: `Replace ${p.d.type} with ${p.ds.replacement}`, edits: r };
    }
    for (const p of plans) {
      const renames = Object.entries(p.ds.renames ?? {}).map(([a, b]) => `${a} → ${b}`).join(', ');
      const data = { type: p.d.type, since: FEATURES['hcp-artifact-datasources'].since, replacement: p.ds.replacement, renames, outputs: outputsRead(p) };
      const head = { file: p.d.file, ...blockHead(p.d.block) };
      if (p.fix) ctx.report({ messageId: 'dataSource', data, ...head, fix: p.fix });
      else ctx.report({ messageId: 'dataSourceNoFix', data: { ...data, why: p.why ?? 'unknown' }, ...head });
    }
    for (const file of cfg.configFiles) {
      const visit = (ss: NonNullable<typeof file.hcl>['body']['statements']) => {
        for (const s of ss) {
          if (s.kind === 'block') visit(s.body.statements);
          else
            walkExpr(s.expr, (x) => {
              if (x.kind === 'traversal' && x.root === 'packer' && x.steps[0]?.name === 'iterationID') {
                const step = x.steps[0];
                const fix = file.kind === 'hcl' ? { description: 'Use packer.versionFingerprint (a different value: the version fingerprint)', suggestion: true, edits: [{ file, start: step.start + 1, end: step.end, text: 'versionFingerprint' }] } : undefined;
                ctx.report({ messageId: 'iterationId', file, start: x.start, end: x.end, fix });
              }
            });
        }
      };
      visit(file.hcl?.body.statements ?? []);
    }
  },
);
