import semver from 'semver';
import { clip } from '../syntax/text.js';

/** The newest Packer release the facts in this tool were checked against; the default target. */
export const NEWEST_PACKER = '1.16.0';

/** The largest number Packer's version parser (hashicorp/go-version, strconv.ParseInt) reads in one segment. */
const GO_INT64_MAX = 9223372036854775807n;

/**
 * A version segment pkrlint can compute with: a safe integer. 12345678901234567890 is no Packer release, and semver
 * (like every comparison here) would throw or round on it.
 */
function safeSegment(s: string): boolean {
  return s.length <= 16 && Number.isSafeInteger(Number(s));
}

/**
 * "1.6.6", "v1.13", "1.9.0-beta" → a full semver string, or undefined when it is not a version pkrlint can use —
 * including one with a segment past 2^53 (--packer-version 12345678901234567890.0.0 is bad usage, not 0.0.0).
 */
export function parseVersion(v: string): string | undefined {
  if (v.length > 256) return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(-[0-9A-Za-z.-]+)?$/.exec(v.trim());
  if (!m || ![m[1], m[2], m[3] ?? '0'].every(safeSegment)) return undefined;
  const out = `${Number(m[1])}.${Number(m[2])}.${Number(m[3] ?? 0)}${m[4] ?? ''}`;
  return semver.valid(out) ? out : undefined;
}

export function atLeast(version: string, min: string): boolean {
  return semver.gte(version, min);
}

/** What Packer makes of version constraints: the lowest version they allow, or why there is none. */
export type Allowed =
  | { ok: true; version: string }
  /** `invalid`: Packer rejects the text ("Invalid version constraint"); `unsatisfiable`: no Packer version meets it. */
  | { ok: false; reason: 'invalid' | 'unsatisfiable'; problem: string }
  /** Valid for Packer but beyond what pkrlint computes (a fourth segment, an odd pre-release): no judgement. */
  | { ok: false; reason: 'unreadable'; problem: string };

/** One constraint term, as go-version reads it: operator, numeric segments, pre-release or metadata (ignored). */
const TERM = /^(~>|>=|<=|!=|>|<|=)?\s*v?(\d+(?:\.\d+)*)(?:-[0-9A-Za-z.~-]+)?(?:\+[0-9A-Za-z.~-]+)?$/;

/**
 * Packer's `required_version` uses Go version constraints ("~> 1.9", ">= 1.7.0, < 2.0.0", "!= 1.13.0"); every
 * constraint given must hold. Segments past int64 make a constraint invalid, as in Packer; segments past 2^53 name
 * no Packer there will ever be, so `>=`, `>`, `=` and `~>` with one are unsatisfiable and `<`, `<=`, `!=` always hold.
 */
export function resolveConstraints(constraints: string[]): Allowed {
  const ranges: string[] = [];
  const excluded: string[] = [];
  for (const p of constraints.flatMap((c) => c.split(',')).map((x) => x.trim())) {
    const m = p.length <= 256 ? TERM.exec(p) : null;
    if (!m) {
      // go-version needs a number in every term; anything without one is certainly invalid.
      if (!/\d/.test(p)) return { ok: false, reason: 'invalid', problem: `${JSON.stringify(clip(p, 40))} is not a version constraint` };
      return { ok: false, reason: 'unreadable', problem: `pkrlint cannot read the constraint ${JSON.stringify(p)}` };
    }
    const op = m[1] ?? '=';
    const segs = m[2].split('.');
    const huge = segs.find((s) => BigInt(s) > GO_INT64_MAX);
    if (huge) return { ok: false, reason: 'invalid', problem: `${clip(huge, 30)} is too large for a version number` };
    if (segs.some((s) => !safeSegment(s))) {
      if (op === '<' || op === '<=' || op === '!=') continue;
      return { ok: false, reason: 'unsatisfiable', problem: `${p} asks for a version no Packer release has` };
    }
    const extra = segs.slice(3);
    if (extra.some((s) => Number(s) !== 0)) return { ok: false, reason: 'unreadable', problem: `pkrlint cannot read the four-part version in ${JSON.stringify(p)}` };
    const given = segs.slice(0, 3).map(Number);
    const full = [...given, 0, 0].slice(0, 3).join('.');
    if (op === '~>') {
      // Pessimistic: the last given segment may grow.
      if (given.length === 1) ranges.push(`>=${full}`);
      else if (given.length === 2) ranges.push(`>=${full} <${given[0] + 1}.0.0`);
      else ranges.push(`>=${full} <${given[0]}.${given[1] + 1}.0`);
    } else if (op === '!=') {
      excluded.push(full);
    } else {
      ranges.push(`${op === '=' ? '' : op}${full}`);
    }
  }
  const range = ranges.join(' ') || '>=0.0.0';
  let v: string | undefined;
  try {
    v = semver.minVersion(range)?.version;
  } catch {
    v = undefined;
  }
  // An excluded version is skipped by stepping past it, as long as the range still allows the next one.
  while (v && excluded.includes(v)) {
    const next: string | null = semver.inc(v, 'patch');
    v = next && semver.satisfies(next, range) ? next : undefined;
  }
  return v ? { ok: true, version: v } : { ok: false, reason: 'unsatisfiable', problem: 'no Packer version meets every constraint' };
}

/** A legacy template's `min_packer_version`, judged as the constraint `>= version`. */
export function resolveMinimum(version: string): Allowed {
  if (!/\d/.test(version) || version.includes(',')) return { ok: false, reason: 'invalid', problem: `${JSON.stringify(clip(version, 40))} is not a version` };
  return resolveConstraints([`>= ${version}`]);
}

/** The lowest release every constraint allows, or undefined when one cannot be read or none is allowed. */
export function lowestAllowed(...constraints: string[]): string | undefined {
  const r = resolveConstraints(constraints);
  return r.ok ? r.version : undefined;
}

/**
 * Version facts in one place: the first Packer release of each construct the rules judge and the migrator emits.
 * Where grammar/packer-schema/core-blocks.json records a `since`, the table names that entry and a test checks that
 * the two agree; the others were checked against Packer's changelog (../shared/spec/hcp-registry.md).
 */
export const FEATURES = {
  'required-plugins': { since: '1.7.0', name: 'required_plugins' },
  'data-blocks': { since: '1.7.0', name: 'data blocks' },
  'error-cleanup-provisioner': { since: '1.7.0', name: 'error-cleanup-provisioner' },
  'local-sensitive': { since: '1.7.0', name: 'a sensitive local' },
  'legacy-isotime': { since: '1.7.1', name: 'legacy_isotime()' },
  'legacy-strftime': { since: '1.7.1', name: 'legacy_strftime()' },
  // Packer 1.6.6 has no aws_secretsmanager_raw (checked: "There is no function named"); 1.7.0 is assumed.
  'aws-secretsmanager-raw': { since: '1.7.0', name: 'aws_secretsmanager_raw()' },
  'build-registry': { since: '1.7.5', name: 'hcp_packer_registry in the build block', schema: 'bodies.build.blocks.hcp_packer_registry' },
  'registry-labels': { since: '1.7.9', name: 'bucket_labels/build_labels', schema: 'bodies.hcp_packer_registry.attributes.bucket_labels' },
  'hcp-image-channel': { since: '1.8.3', name: 'channel on the hcp-packer-image data source' },
  'hcp-generated-fingerprint': { since: '1.9.0', name: 'generated build fingerprints (a ULID when HCP_PACKER_BUILD_FINGERPRINT is unset)' },
  'hcp-project-id': { since: '1.9.1', name: 'HCP_PROJECT_ID' },
  'hcp-organization-id': { since: '1.9.3', name: 'HCP_ORGANIZATION_ID' },
  'hcp-artifact-datasources': { since: '1.10.1', name: 'the hcp-packer-artifact and hcp-packer-version data sources' },
  'top-level-registry': { since: '1.13.0', name: 'a top-level hcp_packer_registry', schema: 'top_level_blocks.hcp_packer_registry' },
  'hcp-cred-file': { since: '1.14.2', name: 'HCP credential files (HCP_CRED_FILE)' },
  'registry-channels': { since: '1.15.0', name: 'registry channels', schema: 'bodies.hcp_packer_registry.attributes.channels' },
} as const satisfies Record<string, { since: string; name: string; schema?: string }>;

export type Feature = keyof typeof FEATURES;

/** Whether the target Packer version has a feature. */
export function supports(target: string, feature: Feature): boolean {
  return semver.gte(target, FEATURES[feature].since);
}

/** Releases in which Packer rejected an empty bucket_name (a regression fixed in 1.11.3). */
export const EMPTY_BUCKET_NAME_REJECTED = { from: '1.10.2', to: '1.11.2', fixedIn: '1.11.3' } as const;

/** Whether the target has an item of grammar/packer-schema whose `since` is given ("v1.7.0"); no `since`: always. */
export function sinceAllows(target: string, since: string | undefined): boolean {
  return since === undefined || semver.gte(target, since.replace(/^v/, ''));
}
