/** Packer versions (semver strings, as in src/packer/version.ts); the migration's target decides what may be emitted. */
import { NEWEST_PACKER, parseVersion as parse } from '../packer/version.js';

export type Version = string;

export const DEFAULT_TARGET = NEWEST_PACKER;

/** Parses `1.6.6`, `v1.6.6` or `1.13` (a release, not a pre-release); undefined for anything else. */
export function parseTargetVersion(text: string): Version | undefined {
  const v = parse(text);
  return v && !v.includes('-') ? v : undefined;
}
