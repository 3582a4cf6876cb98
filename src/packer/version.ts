import semver from 'semver';

/** The newest Packer release the facts in this tool were checked against; the default target. */
export const NEWEST_PACKER = '1.16.0';

/** "1.6.6", "v1.13", "1.9.0-beta" → a full semver string, or undefined when it is not a version. */
export function parseVersion(v: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(-[0-9A-Za-z.-]+)?$/.exec(v.trim());
  return m ? `${m[1]}.${m[2]}.${m[3] ?? 0}${m[4] ?? ''}` : undefined;
}

export function atLeast(version: string, min: string): boolean {
  return semver.gte(version, min);
}

/**
 * Packer's `required_version` uses Go version constraints ("~> 1.9", ">= 1.7.0, < 2.0.0", "!= 1.13.0"); every
 * constraint given must hold. Returns the lowest release version they allow, or undefined when one cannot be read
 * or none is allowed.
 */
export function lowestAllowed(...constraints: string[]): string | undefined {
  const ranges: string[] = [];
  const excluded: string[] = [];
  for (const p of constraints.flatMap((c) => c.split(',')).map((x) => x.trim()).filter(Boolean)) {
    const m = /^(~>|>=|<=|!=|>|<|=)?\s*v?(\d+(?:\.\d+){0,2})(?:[-+][0-9A-Za-z.-]*)?$/.exec(p);
    if (!m) return undefined;
    const op = m[1] ?? '=';
    const segs = m[2].split('.');
    const full = semver.coerce(m[2])!.version;
    if (op === '~>') {
      // Pessimistic: the last given segment may grow.
      if (segs.length === 1) ranges.push(`>=${full}`);
      else if (segs.length === 2) ranges.push(`>=${full} <${Number(segs[0]) + 1}.0.0`);
      else ranges.push(`>=${full} <${segs[0]}.${Number(segs[1]) + 1}.0`);
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
    return undefined;
  }
  // An excluded version is skipped by stepping past it, as long as the range still allows the next one.
  while (v && excluded.includes(v)) {
    v = semver.inc(v, 'patch') ?? undefined;
    if (v && !semver.satisfies(v, range)) return undefined;
  }
  return v;
}
