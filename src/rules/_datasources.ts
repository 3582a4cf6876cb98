/** The HCP Packer data sources (hcp-registry.md §6). */
export interface HcpDataSource {
  required: string[];
  /** Exactly one of these must be set. */
  exactlyOne?: [string, string];
  replacement?: string;
  /** Argument renames for the replacement. */
  renames?: Record<string, string>;
}

export const HCP_DATA_SOURCES: Record<string, HcpDataSource> = {
  'hcp-packer-version': { required: ['bucket_name', 'channel_name'] },
  'hcp-packer-artifact': { required: ['bucket_name', 'platform', 'region'], exactlyOne: ['channel_name', 'version_fingerprint'] },
  'hcp-packer-iteration': { required: ['bucket_name', 'channel'], replacement: 'hcp-packer-version', renames: { channel: 'channel_name' } },
  'hcp-packer-image': {
    required: ['bucket_name', 'cloud_provider', 'region'],
    exactlyOne: ['channel', 'iteration_id'],
    replacement: 'hcp-packer-artifact',
    renames: { channel: 'channel_name', cloud_provider: 'platform', iteration_id: 'version_fingerprint (a fingerprint, not an ID)' },
  },
};
