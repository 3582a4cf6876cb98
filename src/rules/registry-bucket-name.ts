import { BUCKET_NAME_PATTERN, bucketSlug } from '../packer/hcp.js';
import semver from 'semver';
import { EMPTY_BUCKET_NAME_REJECTED } from '../packer/version.js';
import { shown, type Plain } from '../packer/eval.js';
import { attribute, type Expr } from '../syntax/hcl.js';
import { evalIn, fromWhere, registryAttrs } from './_registry.js';
import type { SourceFile } from '../packer/unit.js';
import { createRule, type Fix, type Report, type RuleContext } from './types.js';

/**
 * What is wrong with a bucket name, if anything: an error, or a warning for a leading/trailing hyphen. For a
 * sensitive name the reason does not quote the offending character.
 */
export function bucketNameProblem(name: string, sensitive = false): Pick<Report, 'severity'> & { why: string } | undefined {
  if (!BUCKET_NAME_PATTERN.test(name)) {
    const bad = [...name].find((c) => !/[a-zA-Z0-9-]/.test(c));
    const why = name.length < 3 || name.length > 36 ? `it is ${name.length} character${name.length === 1 ? '' : 's'} long` : sensitive ? 'it contains a character other than ASCII letters, digits and hyphens' : `it contains ${JSON.stringify(bad)}`;
    return { severity: 'error', why: `${why}; Packer requires 3 to 36 ASCII letters, digits and hyphens ("hcp_packer_registry.bucket_name can only contain between 3 and 36 ASCII letters, numbers and hyphens")` };
  }
  if (name.startsWith('-') || name.endsWith('-')) {
    return { severity: 'warning', why: 'it starts or ends with a hyphen: Packer accepts that, but HCP\'s slug rule requires a letter or digit at both ends' };
  }
  return undefined;
}

function literalParts(e: Expr): string[] {
  return e.kind === 'template' && !e.hasDirective ? e.parts.filter((p): p is string => typeof p === 'string') : [];
}

/** For a bucket name written as a plain quoted string: the nearest valid name, as a suggestion (it renames the bucket). */
function nearestName(file: SourceFile, e: Expr, name: string): Fix | undefined {
  if (file.kind !== 'hcl' || e.kind !== 'template' || e.heredoc || !e.parts.every((p) => typeof p === 'string')) return undefined;
  const slug = bucketSlug(name);
  if (slug === name) return undefined;
  return { description: `Use the bucket name "${slug}"`, suggestion: true, edits: [{ file, start: e.start, end: e.end, text: JSON.stringify(slug) }] };
}

function asName(v: Plain): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export default createRule(
  {
    id: 'registry-bucket-name',
    description: "Reports a bucket name that does not match Packer's bucket name pattern.", severity: 'error',
    messages: {
      literalCharacter: 'bucket name contains {{character}} in its literal text, whatever its variables hold: Packer requires 3 to 36 ASCII letters, digits and hyphens',
      emptyRejected: 'an empty bucket_name is rejected by Packer {{from}} to {{to}} (the target is {{target}}, {{origin}}); remove the argument or set a name',
      invalidName: 'bucket name {{name}}{{from}} is not valid: {{why}}',
      riskyName: 'bucket name {{name}}{{from}} is risky: {{why}}',
      invalidEnvName: 'HCP_PACKER_BUCKET_NAME {{name}} (set in {{origin}}) is not a valid bucket name: {{why}}; Packer does not check it and the build fails on the server',
      invalidBuildName: 'the build name {{name}}{{from}} is used as the bucket name, and it is not valid: {{why}}; set bucket_name in hcp_packer_registry',
    },
  },
  (ctx: RuleContext) => {
    for (const { file, attr } of registryAttrs(ctx, 'bucket_name')) {
      const v = evalIn(ctx, attr.expr);
      if (!v.known) {
        // Unknown as a whole, but a literal part with a character the pattern forbids fails whatever the rest is.
        const bad = literalParts(attr.expr).join('').match(/[^a-zA-Z0-9-]/);
        if (bad) ctx.report({ messageId: 'literalCharacter', data: { character: JSON.stringify(bad[0]) }, file, start: attr.expr.start, end: attr.expr.end });
        continue;
      }
      const name = asName(v.value);
      if (name === '' && semver.gte(ctx.target.version, EMPTY_BUCKET_NAME_REJECTED.from) && semver.lt(ctx.target.version, EMPTY_BUCKET_NAME_REJECTED.fixedIn)) {
        const { from, to } = EMPTY_BUCKET_NAME_REJECTED;
        ctx.report({ messageId: 'emptyRejected', data: { from, to, target: ctx.target.version, origin: ctx.target.origin }, file, start: attr.expr.start, end: attr.expr.end });
        continue;
      }
      if (name === undefined || name === '') continue;
      const p = bucketNameProblem(name, !!v.sensitive);
      if (p) ctx.report({ messageId: p.severity === 'error' ? 'invalidName' : 'riskyName', data: { name: shown(v, name), from: fromWhere(v), why: p.why }, severity: p.severity, file, start: attr.expr.start, end: attr.expr.end, fix: nearestName(file, attr.expr, name) });
    }
    const env = ctx.hcpEnv.bucketName;
    if (env && env.value !== '') {
      const p = bucketNameProblem(env.value);
      if (p) ctx.report({ messageId: 'invalidEnvName', data: { name: JSON.stringify(env.value), origin: env.origin, why: p.why }, severity: p.severity });
    }
    const h = ctx.hcl;
    if (!h || !h.hcp.enabled) return;
    const eff = h.bucket;
    if (eff.kind !== 'build-name' || !eff.value.known) return;
    const name = asName(eff.value.value);
    const p = name ? bucketNameProblem(name, !!eff.value.sensitive) : undefined;
    const n = attribute(eff.build.block.body, 'name')!;
    if (p) ctx.report({ messageId: 'invalidBuildName', data: { name: shown(eff.value, name!), from: fromWhere(eff.value), why: p.why }, severity: p.severity, file: eff.build.file, start: n.expr.start, end: n.expr.end });
  },
);
