/** Packer versions (semver strings, as in src/packer/version.ts); the migration's target decides what may be emitted. */
import { NEWEST_PACKER, parseVersion as parse } from '../packer/version.js';

export type Version = string;

export const DEFAULT_TARGET = NEWEST_PACKER;

/** Parses `1.6.6`, `v1.6.6` or `1.13` (a release, not a pre-release); undefined for anything else. */
export function parseVersion(text: string): Version | undefined {
  const v = parse(text);
  return v && !v.includes('-') ? v : undefined;
}

/** First Packer release of each construct the migration may emit (core-blocks.json `since`, or checked against Packer). */
export const SINCE = {
  requiredPlugins: '1.7.0',
  dataBlocks: '1.7.0',
  errorCleanupProvisioner: '1.7.0',
  localSensitive: '1.7.0',
  legacyIsotime: '1.7.1',
  legacyStrftime: '1.7.1',
  // Packer 1.6.6 has no aws_secretsmanager_raw (checked: "There is no function named"); 1.7.0 is assumed.
  awsSecretsManagerRaw: '1.7.0',
  buildRegistry: '1.7.5',
  registryLabels: '1.7.9',
  topLevelRegistry: '1.13.0',
  registryChannels: '1.15.0',
} as const;

export const FEATURE_NAMES: Record<keyof typeof SINCE, string> = {
  requiredPlugins: 'required_plugins',
  dataBlocks: 'data blocks',
  errorCleanupProvisioner: 'error-cleanup-provisioner',
  localSensitive: 'a sensitive local',
  legacyIsotime: 'legacy_isotime()',
  legacyStrftime: 'legacy_strftime()',
  awsSecretsManagerRaw: 'aws_secretsmanager_raw()',
  buildRegistry: 'hcp_packer_registry in the build block',
  registryLabels: 'bucket_labels/build_labels',
  topLevelRegistry: 'a top-level hcp_packer_registry',
  registryChannels: 'registry channels',
};
