import type { RegistryDecl } from '../packer/config.js';
import { at, blockHead } from './_registry.js';
import { createRule } from './types.js';

export default createRule(
  {
    id: 'registry-duplicate',
    description: 'Reports more than one hcp_packer_registry block where Packer allows only one.', severity: 'error',
    scope: 'unit',
    messages: {
      secondTop: 'a second top-level hcp_packer_registry block (the first is at {{first}}): Packer fails with "Only one hcp_packer_registry is allowed"',
      secondInBuild: 'a second hcp_packer_registry block in the same build (the first is at {{first}}): Packer fails with "Only one hcp_packer_registry is allowed"',
      buildBesidesTop: 'a build-level hcp_packer_registry block besides the top-level one at {{first}}: packer build fails with "Multiple HCP Packer registry block declaration"; keep only the top-level block',
      severalBuilds: 'hcp_packer_registry blocks in several builds (another is at {{first}}): HCP Packer allows one build per configuration; use one top-level block',
    },
  },
  (ctx) => {
    const regs = (ctx.hcl?.config.registries ?? []).filter((r) => r.scope !== 'elsewhere');
    const report = (r: RegistryDecl, messageId: 'secondTop' | 'secondInBuild' | 'buildBesidesTop' | 'severalBuilds', first: RegistryDecl) =>
      ctx.report({ messageId, data: { first: at(first.file, first.block.start) }, file: r.file, ...blockHead(r.block) });
    const top = regs.filter((r) => r.scope === 'top');
    top.slice(1).forEach((r) => report(r, 'secondTop', top[0]));
    const byBuild = new Map<unknown, RegistryDecl[]>();
    for (const r of regs) {
      if (r.scope !== 'build') continue;
      // Appended in place: copying the list for each block made 16,000 blocks in one build take seconds.
      const list = byBuild.get(r.build);
      if (list) list.push(r);
      else byBuild.set(r.build, [r]);
    }
    let firstBuildWithBlock: RegistryDecl | undefined;
    for (const list of byBuild.values()) {
      list.slice(1).forEach((r) => report(r, 'secondInBuild', list[0]));
      if (top.length) {
        report(list[0], 'buildBesidesTop', top[0]);
      } else if (!firstBuildWithBlock) {
        firstBuildWithBlock = list[0];
      } else {
        report(list[0], 'severalBuilds', firstBuildWithBlock);
      }
    }
  },
);
