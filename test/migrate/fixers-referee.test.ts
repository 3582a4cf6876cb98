// Packer 1.6.6's `packer fix` as referee for the rewrites migrate applies before converting: migrating a fix-*
// fixture gives the same lines as migrating what `packer fix` makes of it, except where the fact sheet
// (migration-fixers.md) says packer fix is wrong for today's plugins. Those deviations are listed here, each with why.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { migrateTemplate } from '../../src/migrate/index.js';
import { fixtures, havePacker, runPacker, dirWith } from './support.js';

const enabled = havePacker('migrate/fixers-referee');

/** Lines of an output without comments and alignment, as a multiset. */
function lines(hcl: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of hcl.split('\n')) {
    const t = l.trim();
    if (t === '' || t.startsWith('#')) continue;
    const n = t.replace(/\s+=\s+/, ' = ');
    out.set(n, (out.get(n) ?? 0) + 1);
  }
  return out;
}

function minus(a: Map<string, number>, b: Map<string, number>): string[] {
  const out: string[] = [];
  for (const [l, n] of a) for (let i = 0; i < n - (b.get(l) ?? 0); i++) out.push(l);
  return out.sort();
}

/** Where pkrlint deliberately differs from packer fix: [lines only pkrlint writes, lines only packer fix leads to]. */
const DEVIATIONS: Record<string, { ours: string[]; fix: string[] }> = {
  // "none" must be written as such (packer fix writes "NONE:x", which go-getter rejects); a checksum that already has
  // its type keeps it (packer fix doubles it).
  'fix-iso-checksum': {
    ours: ['iso_checksum = "SHA256:013f5b44670d81280b5b1bc02455842b250df2f0c6763398feb69af1a805a14f"', 'iso_checksum = "none"', 'iso_checksum = "none"'],
    fix: ['iso_checksum = "NONE:ignored"', 'iso_checksum = "sha256:SHA256:013f5b44670d81280b5b1bc02455842b250df2f0c6763398feb69af1a805a14f"'],
  },
  // PowerShell escapes are kept (with a review): the provisioner escapes these values itself since Packer 1.2.0. An
  // existing vagrant override entry (libvirt) is kept; packer fix replaces the whole override.
  'fix-post-processors': {
    ours: ['compression_level = 6', 'elevated_password = "pa`$$word"', 'environment_vars = ["GREETING=hello `\\"world`\\"", "PLAIN=yes"]', 'libvirt = {', '}'],
    fix: ['elevated_password = "pa$$word"', 'environment_vars = ["GREETING=hello \\"world\\"", "PLAIN=yes"]'],
  },
  // A renamed type keeps the build's name (packer fix renames the build too, so only/except naming it stop matching).
  'fix-renamed-types': {
    ours: ['source "proxmox-iso" "proxmox" {', 'sources = ["source.proxmox-iso.proxmox", "source.outscale-bsu.osc-bsu"]'],
    fix: ['source "proxmox-iso" "proxmox-iso" {', 'sources = ["source.proxmox-iso.proxmox-iso", "source.outscale-bsu.osc-bsu"]'],
  },
  'fix-vmware-esxi': {
    ours: ['source "vmware-iso" "vmware" {', 'sources = ["source.vmware-iso.vmware", "source.vmware-iso.esxi"]'],
    fix: ['source "vmware-iso" "vmware-iso" {', 'sources = ["source.vmware-iso.vmware-iso", "source.vmware-iso.esxi"]'],
  },
  // Name kept as above (the provisioner override keeps naming it); and a non-zero old ssh_wait_timeout or
  // ssh_host_port_max wins over the new key in today's plugins, where packer fix drops it.
  'fix-virtualbox': {
    ours: ['host_port_max = 5000', 'source "virtualbox-iso" "virtualbox" {', 'sources = ["source.virtualbox-iso.virtualbox", "source.virtualbox-ovf.ovf"]', 'ssh_timeout = "20m"', 'virtualbox = {'],
    fix: ['host_port_max = 4000', 'source "virtualbox-iso" "virtualbox-iso" {', 'sources = ["source.virtualbox-iso.virtualbox-iso", "source.virtualbox-ovf.ovf"]', 'ssh_timeout = "5m"', 'virtualbox-iso = {'],
  },
};

/** Builders packer fix cannot take (it aborts on an ssh_private_ip that is no boolean): left out on both sides. */
const ABORTS = new Set(['not-a-bool']);

if (enabled) {
  for (const f of fixtures().filter((x) => x.name.startsWith('fix-'))) {
    test(`${f.name}: the rewrites agree with packer fix 1.6.6 except where it is wrong today`, async () => {
      const json = JSON.parse(f.text) as { builders?: { name?: string }[] };
      json.builders = json.builders?.filter((b) => !ABORTS.has(b.name ?? ''));
      const input = JSON.stringify(json, null, 2);
      const dir = dirWith('referee-fix', { 'template.json': input });
      const fixed = await runPacker(['fix', '-validate=false', 'template.json'], dir);
      assert.is(fixed.code, 0, fixed.out);
      const ours = lines(migrateTemplate(input, f.file, f.options).hcl);
      const theirs = lines(migrateTemplate(fixed.out, f.file, f.options).hcl);
      const expected = DEVIATIONS[f.name] ?? { ours: [], fix: [] };
      assert.equal({ ours: minus(ours, theirs), fix: minus(theirs, ours) }, { ours: [...expected.ours].sort(), fix: [...expected.fix].sort() });
    });
  }
}

test.run();
