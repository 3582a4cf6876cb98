/** What an HCL2 configuration declares: variables, locals, builds, registry blocks, data sources, packer blocks. */
import { attribute, blocks, type Attribute, type Block, type Body } from '../syntax/hcl.js';
import type { SourceFile, Unit } from './unit.js';

export interface VariableDecl {
  name: string;
  file: SourceFile;
  block: Block;
  default?: Attribute;
}

export interface LocalDecl {
  name: string;
  file: SourceFile;
  /** For `locals { x = … }` the attribute itself; for `local "x" { expression = … }` its expression attribute. */
  attr: Attribute;
}

export interface BuildDecl {
  file: SourceFile;
  block: Block;
}

export interface RegistryDecl {
  file: SourceFile;
  /** The `hcp_packer_registry` block, or the `dynamic "hcp_packer_registry"` block that generates one. */
  block: Block;
  dynamic: boolean;
  /** `top`: at the root of a file; `build`: directly in a build block; `elsewhere`: anywhere else. */
  scope: 'top' | 'build' | 'elsewhere';
  /** The block directly containing it (undefined at top level). */
  parent?: Block;
  build?: BuildDecl;
}

export interface DataDecl {
  file: SourceFile;
  block: Block;
  type: string;
  name: string;
}

export interface Config {
  unit: Unit;
  variables: Map<string, VariableDecl>;
  locals: Map<string, LocalDecl>;
  builds: BuildDecl[];
  registries: RegistryDecl[];
  data: DataDecl[];
  requiredVersions: Array<{ file: SourceFile; attr: Attribute }>;
  /** Files of the configuration proper (not variable files). */
  configFiles: SourceFile[];
  autoVarFiles: SourceFile[];
}

export function isRegistryBlock(b: Block): boolean {
  return b.type === 'hcp_packer_registry' || (b.type === 'dynamic' && b.labels[0]?.value === 'hcp_packer_registry');
}

export function buildConfig(unit: Unit): Config {
  const cfg: Config = {
    unit,
    variables: new Map(),
    locals: new Map(),
    builds: [],
    registries: [],
    data: [],
    requiredVersions: [],
    configFiles: unit.files.filter((f) => f.kind === 'hcl' || f.kind === 'hcl-json'),
    autoVarFiles: unit.files.filter((f) => f.kind === 'pkrvars-hcl' || f.kind === 'pkrvars-json'),
  };
  for (const file of cfg.configFiles) {
    const body = file.hcl?.body;
    if (!body) continue;
    for (const b of blocks(body)) {
      switch (b.type) {
        case 'variable':
          if (b.labels[0]) cfg.variables.set(b.labels[0].value, { name: b.labels[0].value, file, block: b, default: attribute(b.body, 'default') });
          break;
        case 'variables':
          // Legacy form: `variables { name = default }`.
          for (const s of b.body.statements) if (s.kind === 'attribute') cfg.variables.set(s.name, { name: s.name, file, block: b, default: s });
          break;
        case 'locals':
          for (const s of b.body.statements) if (s.kind === 'attribute') cfg.locals.set(s.name, { name: s.name, file, attr: s });
          break;
        case 'local': {
          const e = attribute(b.body, 'expression');
          if (b.labels[0] && e) cfg.locals.set(b.labels[0].value, { name: b.labels[0].value, file, attr: e });
          break;
        }
        case 'build':
          cfg.builds.push({ file, block: b });
          break;
        case 'data':
          cfg.data.push({ file, block: b, type: b.labels[0]?.value ?? '', name: b.labels[1]?.value ?? '' });
          break;
        case 'packer': {
          const rv = attribute(b.body, 'required_version');
          if (rv) cfg.requiredVersions.push({ file, attr: rv });
          break;
        }
      }
    }
    collectRegistries(file, body, undefined, undefined, cfg.registries, cfg.builds);
  }
  return cfg;
}

function collectRegistries(file: SourceFile, body: Body, parent: Block | undefined, build: BuildDecl | undefined, out: RegistryDecl[], builds: BuildDecl[]): void {
  for (const b of blocks(body)) {
    if (isRegistryBlock(b)) {
      const scope = !parent ? 'top' : parent.type === 'build' ? 'build' : 'elsewhere';
      out.push({ file, block: b, dynamic: b.type === 'dynamic', scope, parent, build: scope === 'build' ? build : undefined });
      continue;
    }
    const nextBuild = !parent && b.type === 'build' ? builds.find((x) => x.block === b) : build;
    collectRegistries(file, b.body, b, nextBuild, out, builds);
  }
}

/** The registry block Packer would use: the top-level one when present, else the single build-level one. */
export function registryInUse(cfg: Config): RegistryDecl | undefined {
  return cfg.registries.find((r) => r.scope === 'top') ?? cfg.registries.find((r) => r.scope === 'build');
}
