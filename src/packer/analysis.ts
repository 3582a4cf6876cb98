/**
 * What a unit means, computed once: the target Packer version and where it comes from, the configuration, the
 * evaluator, the HCP state, the bucket names, the registry blocks. `check`, the fixer and the language server all
 * start here; rules read it instead of re-deriving it.
 */
import { buildConfig, type Config, type RegistryDecl } from './config.js';
import type { EnvContext, Environment, EnvValue } from './env.js';
import { Evaluator } from './eval.js';
import { effectiveBucket, hcpState, registryEnvDisables, type BucketSource, type HcpState } from './hcp.js';
import { fileLine, type SourceFile, type Unit } from './unit.js';
import { clip } from '../syntax/text.js';
import { NEWEST_PACKER, resolveConstraints } from './version.js';

export interface Target {
  version: string;
  /** Where the target came from, for messages: "--packer-version", "required_version in x.pkr.hcl:2", … */
  origin: string;
}

export interface AnalyzeOptions {
  env: Environment;
  /** From --packer-version. */
  packerVersion?: string;
  /** From the configuration file: used when the unit has no required_version. */
  defaultPackerVersion?: string;
  varFiles?: SourceFile[];
  vars?: Array<[string, string]>;
  /** The CI context (or dotenv file) whose environment `env` is; undefined for the local environment. */
  context?: EnvContext;
}

/** The HCP environment variables, read once. */
export interface HcpEnv {
  bucketName?: EnvValue;
  registry?: EnvValue;
  /** HCP_PACKER_REGISTRY is exactly off or 0 (any case). */
  disabled: boolean;
}

export interface HclAnalysis {
  config: Config;
  evaluator: Evaluator;
  hcp: HcpState;
  /** The bucket name Packer would use, and the one the template itself would use without HCP_PACKER_BUCKET_NAME. */
  bucket: BucketSource;
  ownBucket: BucketSource;
  registries: RegistryDecl[];
}

export interface Analysis {
  unit: Unit;
  env: Environment;
  hcpEnv: HcpEnv;
  target: Target;
  /** The CI context being judged (src/ci/); undefined for the local environment. */
  context?: EnvContext;
  /** Present for HCL2 configurations. */
  hcl?: HclAnalysis;
}

/** Packer reads required_version without variables: only literal strings count, and every packer block's. */
export function literalConstraints(cfg?: Config) {
  return (cfg?.requiredVersions ?? []).flatMap((rv) => {
    const e = rv.attr.expr;
    const text = e.kind === 'template' && e.parts.every((p) => typeof p === 'string') ? e.parts.join('') : undefined;
    return text === undefined ? [] : [{ text, shown: JSON.stringify(clip(text)), where: fileLine(rv.file, rv.attr.start), file: rv.file, expr: e }];
  });
}

export function resolveTarget(opts: AnalyzeOptions, cfg?: Config): Target {
  if (opts.packerVersion) return { version: opts.packerVersion, origin: '--packer-version' };
  // The Packer a CI job installs is the one that runs there.
  if (opts.context?.packerVersion) return opts.context.packerVersion;
  const constraints = literalConstraints(cfg);
  const low = constraints.length ? resolveConstraints(constraints.map((c) => c.text)) : undefined;
  if (low?.ok) {
    const which = constraints.map((c) => `${c.shown} in ${c.where}`).join(' and ');
    return { version: low.version, origin: `required_version ${which}` };
  }
  if (opts.defaultPackerVersion) return { version: opts.defaultPackerVersion, origin: 'the configuration file' };
  return { version: NEWEST_PACKER, origin: 'the newest Packer release' };
}

/** analyze() for a configuration already built (lint builds it first, to judge its required_version). */
export function analyzeWith(unit: Unit, config: Config | undefined, opts: AnalyzeOptions): Analysis {
  const registry = opts.env.get('HCP_PACKER_REGISTRY');
  const hcpEnv: HcpEnv = { bucketName: opts.env.get('HCP_PACKER_BUCKET_NAME'), registry, disabled: registryEnvDisables(registry) };
  const target = resolveTarget(opts, config);
  const context = opts.context;
  if (!config) return { unit, env: opts.env, hcpEnv, target, context };
  const evaluator = new Evaluator(config, opts.env, { varFiles: opts.varFiles, vars: opts.vars });
  return {
    unit,
    env: opts.env,
    hcpEnv,
    target,
    context,
    hcl: {
      config,
      evaluator,
      hcp: hcpState(config, opts.env),
      bucket: effectiveBucket(config, opts.env, evaluator),
      ownBucket: effectiveBucket(config, opts.env, evaluator, { ignoreEnv: true }),
      registries: config.registries,
    },
  };
}

export function analyze(unit: Unit, opts: AnalyzeOptions): Analysis {
  return analyzeWith(unit, unit.kind === 'hcl' ? buildConfig(unit) : undefined, opts);
}
