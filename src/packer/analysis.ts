/**
 * What a unit means, computed once: the target Packer version and where it comes from, the configuration, the
 * evaluator, the HCP state, the bucket names, the registry blocks. `check`, the fixer and the language server all
 * start here; rules read it instead of re-deriving it.
 */
import { buildConfig, type Config, type RegistryDecl } from './config.js';
import type { EnvContext, Environment, EnvValue } from './env.js';
import { Evaluator, UNKNOWN } from './eval.js';
import { effectiveBucket, hcpState, registryEnvDisables, type BucketSource, type HcpState } from './hcp.js';
import { fileLine, type SourceFile, type Unit } from './unit.js';
import { meetsAny } from '../syntax/hcl-errors.js';
import type { Spanned } from '../syntax/hcl.js';
import { clip } from '../syntax/text.js';
import { NEWEST_PACKER, resolveConstraints } from './version.js';

export interface Target {
  version: string;
  /** Where the target came from, for messages: "--packer-version", "required_version in x.pkr.hcl:2", … */
  origin: string;
  /** The target may differ from what the whole unit says: a required_version may be in a part that did not parse. */
  uncertain?: boolean;
}

export interface AnalyzeOptions {
  env: Environment;
  /** From --packer-version, or the editor's setting. */
  packerVersion?: string;
  /** How packerVersion was given, for messages; default "--packer-version". */
  packerVersionOrigin?: string;
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

/**
 * What syntax errors left unknown in a unit: the places in each broken file that error recovery may have changed.
 * A unit with damage is incomplete: a whole-unit rule cannot judge it, and a local finding in a damaged place could
 * be wrong (src/lint/lint.ts).
 */
export class Damage {
  private readonly places = new Map<SourceFile, readonly Spanned[]>();

  constructor(files: readonly SourceFile[]) {
    for (const f of files) {
      if (f.syntaxErrors.length === 0) continue;
      // A file without ranges (JSON, a file not read, invalid UTF-8) is damaged as a whole.
      const ranges = f.hcl?.damaged;
      this.places.set(f, ranges?.length ? ranges : [{ start: 0, end: Math.max(1, f.text.length) }]);
    }
  }

  get any(): boolean {
    return this.places.size > 0;
  }

  /** Whether a place meets a damaged range: recovery may have changed what it says or what surrounds it. */
  covers(file: SourceFile, start: number, end = start): boolean {
    const ranges = this.places.get(file);
    return ranges !== undefined && meetsAny(ranges, start, end);
  }

  isBroken(file: SourceFile): boolean {
    return this.places.has(file);
  }

  /** The text of every damaged place: what the broken part may hold. */
  *texts(): Generator<string> {
    for (const [f, ranges] of this.places) for (const r of ranges) yield f.text.slice(r.start, r.end);
  }
}

export interface Analysis {
  unit: Unit;
  /** Present when a file of the unit (or a variable file given) has syntax errors: the unit is incomplete. */
  damage?: Damage;
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
  if (opts.packerVersion) return { version: opts.packerVersion, origin: opts.packerVersionOrigin ?? '--packer-version' };
  // The Packer a CI job installs is the one that runs there.
  if (opts.context?.packerVersion) return { ...opts.context.packerVersion };
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
export function analyzeWith(unit: Unit, built: Config | undefined, opts: AnalyzeOptions): Analysis {
  const registry = opts.env.get('HCP_PACKER_REGISTRY');
  const hcpEnv: HcpEnv = { bucketName: opts.env.get('HCP_PACKER_BUCKET_NAME'), registry, disabled: registryEnvDisables(registry) };
  const found = new Damage([...unit.files, ...(opts.varFiles ?? [])]);
  const damage = found.any ? found : undefined;
  const config = built && damage ? withoutDamaged(built, damage) : built;
  const target = resolveTarget(opts, config);
  const context = opts.context;
  // A required_version in a part that did not parse could set another target.
  if (damage && !opts.packerVersion && [...damage.texts()].some((t) => t.includes('required_version'))) target.uncertain = true;
  if (!config) return { unit, env: opts.env, hcpEnv, target, context, damage };
  // A broken variable file may set any variable: then no variable has a known value.
  const varFileBroken = damage && [...config.autoVarFiles, ...(opts.varFiles ?? [])].some((f) => damage.isBroken(f));
  const evaluator = new Evaluator(varFileBroken ? { ...config, variables: new Map() } : config, opts.env, { varFiles: opts.varFiles, vars: opts.vars });
  let bucket = effectiveBucket(config, opts.env, evaluator);
  let ownBucket = effectiveBucket(config, opts.env, evaluator, { ignoreEnv: true });
  if (damage) [bucket, ownBucket] = [bucket, ownBucket].map(uncertainBucket);
  return {
    unit,
    env: opts.env,
    hcpEnv,
    target,
    context,
    damage,
    hcl: { config, evaluator, hcp: hcpState(config, opts.env), bucket, ownBucket, registries: config.registries },
  };
}

/**
 * The declarations of a configuration outside damaged places: one error recovery may have changed is not read
 * (a variable whose declaration is damaged is unknown, as an undeclared one is).
 */
function withoutDamaged(cfg: Config, damage: Damage): Config {
  const ok = (file: SourceFile, s: Spanned) => !damage.covers(file, s.start, s.end);
  const keep = <V extends { file: SourceFile }>(m: Map<string, V>, at: (v: V) => Spanned) => new Map([...m].filter(([, v]) => ok(v.file, at(v))));
  return {
    ...cfg,
    variables: keep(cfg.variables, (v) => v.default ?? v.block),
    locals: keep(cfg.locals, (l) => l.attr),
    builds: cfg.builds.filter((b) => ok(b.file, b.block)),
    registries: cfg.registries.filter((r) => ok(r.file, r.block)),
    data: cfg.data.filter((d) => ok(d.file, d.block)),
    requiredVersions: cfg.requiredVersions.filter((r) => ok(r.file, r.attr)),
  };
}

/**
 * In an incomplete unit, which registry block or build is in use may be in the part that did not parse: only the
 * environment's bucket name and a top-level block's are certain (Packer takes them over anything else); otherwise
 * the bucket name is unknown, never guessed.
 */
function uncertainBucket(b: BucketSource): BucketSource {
  if (b.kind === 'env' || b.kind === 'none' || (b.kind === 'block' && b.registry.scope === 'top')) return b;
  return { ...b, value: UNKNOWN };
}

export function analyze(unit: Unit, opts: AnalyzeOptions): Analysis {
  return analyzeWith(unit, unit.kind === 'hcl' ? buildConfig(unit) : undefined, opts);
}
