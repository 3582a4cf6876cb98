/** When HCP Packer is on for a configuration, and which bucket name Packer would use (hcp-registry.md §3, §4). */
import { attribute } from '../syntax/hcl.js';
import { registryInUse, type Config, type RegistryDecl } from './config.js';
import type { Environment, EnvValue } from './env.js';
import type { Evaluator, Value } from './eval.js';
import { UNKNOWN } from './eval.js';

export const BUCKET_NAME_PATTERN = /^[a-zA-Z0-9-]{3,36}$/;

/**
 * The nearest name that fits Packer's pattern and HCP's slug rule (alphanumeric ends): runs of other characters
 * become one hyphen, hyphens at the ends go, the name is cut to 36 characters, and a name under 3 is padded.
 */
export function bucketSlug(name: string): string {
  let s = name.replace(/[^a-zA-Z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '');
  s = s.slice(0, 36).replace(/-+$/, '');
  if (s.length < 3) s = s ? `${s}-packer` : 'packer-template';
  return s;
}

/** A bucket name from a template file name (as `migrate` derives it): its base name without extension, as a slug. */
export function bucketNameFromFile(fileName: string): string {
  return bucketSlug(fileName.replace(/\\/g, '/').split('/').pop()!.replace(/\.json$/i, '').replace(/\.pkr$/i, ''));
}

/** HCP's slug rule for channel names: 3–36 letters, digits and hyphens, starting and ending with a letter or digit. */
const CHANNEL_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{1,34})[a-zA-Z0-9]$/;

/** Why a build cannot assign a channel name, or undefined when it can; `quoted` is how the message shows the name. */
export function channelProblem(name: string, quoted = JSON.stringify(name)): string | undefined {
  if (name === 'latest') return `channel ${quoted} is managed by HCP Packer and cannot be assigned by a build`;
  if (!CHANNEL_PATTERN.test(name)) return `channel ${quoted} breaks HCP's channel name rule: 3 to 36 letters, digits and hyphens, starting and ending with a letter or digit`;
  return undefined;
}

/** `HCP_PACKER_REGISTRY` disables HCP only when it is exactly `off` or `0`, case-insensitively. */
export function registryEnvDisables(v: EnvValue | undefined): boolean {
  if (!v) return false;
  const s = v.value.toLowerCase();
  return s === 'off' || s === '0';
}

export interface HcpState {
  enabled: boolean;
  /** What turned it on, for messages. */
  reason?: string;
}

export function hcpState(cfg: Config, env: Environment): HcpState {
  const reg = env.get('HCP_PACKER_REGISTRY');
  if (registryEnvDisables(reg)) return { enabled: false };
  // A block where Packer does not accept one is an error of its own, not a switch.
  if (cfg.registries.some((r) => r.scope !== 'elsewhere')) return { enabled: true, reason: 'an hcp_packer_registry block' };
  const bucket = env.get('HCP_PACKER_BUCKET_NAME');
  if (bucket && bucket.value !== '') return { enabled: true, reason: `HCP_PACKER_BUCKET_NAME (set in ${bucket.origin})` };
  if (reg) return { enabled: true, reason: `HCP_PACKER_REGISTRY=${JSON.stringify(reg.value)} (set in ${reg.origin})` };
  return { enabled: false };
}

export type BucketSource =
  | { kind: 'env'; env: EnvValue; value: string }
  | { kind: 'block'; registry: RegistryDecl; value: Value }
  | { kind: 'build-name'; value: Value; build: Config['builds'][number] }
  | { kind: 'none' };

/** The bucket name Packer would use, highest precedence first: the environment, the block in use, the build's name. */
export function effectiveBucket(cfg: Config, env: Environment, ev: Evaluator, opts: { ignoreEnv?: boolean } = {}): BucketSource {
  const e = opts.ignoreEnv ? undefined : env.get('HCP_PACKER_BUCKET_NAME');
  if (e && e.value !== '') return { kind: 'env', env: e, value: e.value };
  const reg = registryInUse(cfg);
  if (reg) {
    if (reg.dynamic) return { kind: 'block', registry: reg, value: UNKNOWN };
    const a = attribute(reg.block.body, 'bucket_name');
    if (a) {
      const v = ev.eval(a.expr);
      if (!v.known || v.value !== '') return { kind: 'block', registry: reg, value: v };
    }
  }
  // The build name is a fallback only for the build-level path: one build and no top-level block.
  if (!cfg.registries.some((r) => r.scope === 'top') && cfg.builds.length === 1) {
    const b = cfg.builds[0];
    const n = attribute(b.block.body, 'name');
    if (n) {
      const v = ev.eval(n.expr);
      if (!v.known || v.value !== '') return { kind: 'build-name', value: v, build: b };
    }
  }
  return { kind: 'none' };
}
