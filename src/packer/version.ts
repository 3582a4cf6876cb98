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
 * Packer's `required_version` uses Go version constraints ("~> 1.9", ">= 1.7.0, < 2.0.0"). Returns the lowest version the
 * constraint allows, or undefined when it cannot be read.
 */
export function lowestAllowed(constraint: string): string | undefined {
  const parts = constraint.split(',').map((p) => p.trim()).filter(Boolean);
  const ranges: string[] = [];
  for (const p of parts) {
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
      ranges.push(`<${full} || >${full}`);
    } else {
      ranges.push(`${op === '=' ? '' : op}${full}`);
    }
  }
  try {
    const min = semver.minVersion(ranges.join(' '));
    return min?.version;
  } catch {
    return undefined;
  }
}
