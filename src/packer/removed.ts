/**
 * Options that components had and removed, with their mechanical rewrite: `packer fix`'s fixers, in its order and with
 * its semantics where they are still right for today's plugins (facts: /work/shared/spec/migration-fixers.md, read
 * from hashicorp/packer v1.16.0 `fix/`). `pkrlint migrate` runs them on a legacy JSON template before converting it;
 * the `removed-argument` rule reports the removed arguments of HCL2 templates and fixes them with the same rewrites.
 *
 * The rewrites are pure: a fixer reads a component (its kind, type and top-level arguments) and says what to change as
 * a list of edits; each caller applies the edits to its own form (JSON nodes, HCL text).
 */
import { coreBlocks } from './schema.js';
import type { Feature } from './version.js';

export type ComponentKind = 'builders' | 'provisioners' | 'post-processors';

/** A JSON-like value. */
export type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/** A value that is there but not known statically (an HCL expression that is not a literal). */
export const OPAQUE: unique symbol = Symbol('opaque value');
export type Value = Plain | typeof OPAQUE;

/** What a fixer reads: one component. */
export interface View {
  readonly kind: ComponentKind;
  readonly type: string;
  /** A top-level argument's value; undefined when it is absent. */
  get(key: string): Value | undefined;
  /** The top-level argument names, in order. */
  keys(): readonly string[];
}

/** One piece of a string built from other arguments: literal text or the (string) value of an argument. */
export type Piece = string | { key: string };

export type Edit =
  /** The argument is renamed, its value kept; an argument already named `to` is replaced. */
  | { op: 'rename'; from: string; to: string }
  | { op: 'delete'; key: string; why: string }
  /**
   * `key` gets a value computed from the `from` arguments (given in order of preference for its place: where `key`
   * stands, else where the first present one of `from` stands); the `from` arguments other than `key` are deleted.
   */
  | { op: 'set'; key: string; value: Plain; from: string[] }
  /** Like set, for a string made of pieces whose values are not all known (HCL expressions). */
  | { op: 'join'; key: string; pieces: Piece[]; from: string[] }
  /** The value becomes the only item of a list named `to`. */
  | { op: 'wrap'; from: string; to: string }
  /**
   * The `entries` arguments ([new name, argument]) become one object: `prepend`ed to the list `key` (created where the
   * first entry stood when absent), or `merge`d into the object `key` (its entries of the same name are replaced).
   */
  | { op: 'gather'; key: string; entries: [string, string][]; mode: 'prepend' | 'merge' }
  /** The component type is renamed. */
  | { op: 'type'; to: string }
  /** Nothing can be rewritten: a person must decide (said where the argument stands). */
  | { op: 'review'; key: string; message: string };

export interface Fixer {
  /** `packer fix`'s name for it (our own for the renames of bundled types that are not packer fixers). */
  name: string;
  /** Whether `packer fix` has it. */
  packerFix: boolean;
  kinds: readonly ComponentKind[];
  applies(kind: ComponentKind, type: string): boolean;
  /**
   * The arguments it rewrites that current plugins reject, with what replaced each (words for messages). Empty for
   * fixers of values or types; arguments that are only deprecated (still accepted) are not listed.
   */
  removed: Readonly<Record<string, string>>;
  /** A Packer feature the rewritten form needs (the output then needs that Packer); none for most. */
  needs?: Feature;
  rewrite(c: View): Edit[];
}

const isString = (v: Value | undefined): boolean => typeof v === 'string' || v === OPAQUE;
const isBool = (v: Value | undefined): boolean => typeof v === 'boolean' || v === OPAQUE;
/** A string with content, or an unknown value (packer fix counts a non-string or `""` as absent). */
const given = (v: Value | undefined): v is string | typeof OPAQUE => (typeof v === 'string' && v !== '') || v === OPAQUE;

const builders: readonly ComponentKind[] = ['builders'];
const anyBuilder = (kind: ComponentKind) => kind === 'builders';
const builderTypes =
  (...types: string[]) =>
  (kind: ComponentKind, type: string) =>
    kind === 'builders' && types.includes(type);
const builderPrefix = (prefix: string) => (kind: ComponentKind, type: string) => kind === 'builders' && type.startsWith(prefix);

/** A plain rename; an existing new key is replaced (packer fix's default). */
function rename(from: string, to: string, when: (v: Value) => boolean = () => true) {
  return (c: View): Edit[] => {
    const v = c.get(from);
    return v !== undefined && when(v) ? [{ op: 'rename', from, to }] : [];
  };
}

/** A rename where an existing new key wins and the old one is dropped. */
function renameUnlessSet(from: string, to: string, when: (v: Value) => boolean) {
  return (c: View): Edit[] => {
    const v = c.get(from);
    if (v === undefined || !when(v)) return [];
    return c.get(to) !== undefined ? [{ op: 'delete', key: from, why: `${to} is set and decides` }] : [{ op: 'rename', from, to }];
  };
}

/** Zero values of Go (a number 0, false, "", "0", a zero duration): an old option with such a value does not win. */
function isZero(v: Value): boolean {
  if (v === OPAQUE) return false;
  if (v === null || v === false || v === 0 || v === '') return true;
  return typeof v === 'string' && /^0+(\.0*)?[a-zµ]*$/i.test(v.trim());
}

/**
 * Today's plugins still read the old option, and its value wins when it is not zero (SDK communicator config,
 * VirtualBox comm_config): so the old option replaces the new one unless it is zero. packer fix drops the old option
 * whenever the new one is set, which changes what is built; this keeps it.
 */
function renameOldWins(from: string, to: string, when: (v: Value) => boolean = () => true) {
  return (c: View): Edit[] => {
    const v = c.get(from);
    if (v === undefined || !when(v)) return [];
    if (c.get(to) !== undefined && isZero(v)) return [{ op: 'delete', key: from, why: `its value is zero, so ${to} decides` }];
    return [{ op: 'rename', from, to }];
  };
}

function remove(key: string, why: string) {
  return (c: View): Edit[] => (c.get(key) !== undefined ? [{ op: 'delete', key, why }] : []);
}

const all =
  (...fs: ((c: View) => Edit[])[]) =>
  (c: View): Edit[] =>
    fs.flatMap((f) => f(c));

/** Go's strconv.ParseBool. */
function goBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

/** String values of top-level arguments and of top-level objects' members, with a text replaced (fixers 2 and 24). */
function replaceText(c: View, keys: readonly string[], pattern: RegExp, by: string): Edit[] {
  const edits: Edit[] = [];
  for (const key of keys) {
    const v = c.get(key);
    if (typeof v === 'string' && pattern.test(v)) edits.push({ op: 'set', key, value: v.replace(pattern, by), from: [key] });
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o: Record<string, Plain> = {};
      let changed = false;
      for (const [k, x] of Object.entries(v)) {
        const next = typeof x === 'string' ? x.replace(pattern, by) : x;
        changed ||= next !== x;
        Object.defineProperty(o, k, { value: next, enumerable: true, writable: true, configurable: true });
      }
      if (changed) edits.push({ op: 'set', key, value: o, from: [key] });
    }
  }
  return edits;
}

/** #31: iso_checksum_type and iso_checksum_url folded into iso_checksum. */
function isoChecksum(c: View): Edit[] {
  const typeV = c.get('iso_checksum_type');
  const urlV = c.get('iso_checksum_url');
  if (typeV === undefined && urlV === undefined) return [];
  const from = ['iso_checksum', 'iso_checksum_type', 'iso_checksum_url'];
  const gone = (why: string): Edit[] =>
    (['iso_checksum_type', 'iso_checksum_url'] as const).filter((k) => c.get(k) !== undefined).map((key) => ({ op: 'delete', key, why }));
  if (given(urlV)) {
    return urlV === OPAQUE ? [{ op: 'join', key: 'iso_checksum', pieces: ['file:', { key: 'iso_checksum_url' }], from }] : [{ op: 'set', key: 'iso_checksum', value: `file:${urlV}`, from }];
  }
  const sum = c.get('iso_checksum');
  if (!given(typeV)) return gone('it has no value');
  if (typeof typeV === 'string' && typeV.toLowerCase() === 'none') {
    // packer fix writes "none:X" or no checksum at all; go-getter and the SDK reject both: "none" is what works.
    return [{ op: 'set', key: 'iso_checksum', value: 'none', from }];
  }
  if (!given(sum)) {
    return [...gone('it has no iso_checksum to qualify'), { op: 'review', key: 'iso_checksum_type', message: '"iso_checksum_type" without an "iso_checksum": the plugin requires iso_checksum ("type:value", "file:URL" or "none")' }];
  }
  const edits: Edit[] = [];
  if (typeof typeV === 'string' && typeV.includes('{{'))
    edits.push({ op: 'review', key: 'iso_checksum_type', message: `"iso_checksum_type" is a template (${typeV}): if it evaluates to "none", write iso_checksum = "none"` });
  // packer fix does not look for a prefix that is already there ("sha256:sha256:x"); a checksum that has it is kept.
  if (typeof typeV === 'string' && typeof sum === 'string' && sum.toLowerCase().startsWith(`${typeV.toLowerCase()}:`)) return [...edits, ...gone(`iso_checksum already starts with "${typeV}:"`)];
  if (typeof typeV === 'string' && typeof sum === 'string') edits.push({ op: 'set', key: 'iso_checksum', value: `${typeV}:${sum}`, from });
  else edits.push({ op: 'join', key: 'iso_checksum', pieces: [{ key: 'iso_checksum_type' }, ':', { key: 'iso_checksum' }], from });
  return edits;
}

/** #18: docker-tag `tag` and `tags` merged into `tags`, split on commas, without duplicates. */
function dockerTags(c: View): Edit[] {
  const tag = c.get('tag');
  const tags = c.get('tags');
  if (tag === undefined && typeof tags !== 'string') return [];
  const parts = (v: Value | undefined): string[] | undefined => {
    if (v === undefined || v === null) return [];
    if (typeof v === 'string') return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v;
    return undefined;
  };
  const a = parts(tag);
  const b = parts(tags);
  if (!a || !b) return [];
  return [{ op: 'set', key: 'tags', value: [...new Set([...a, ...b])], from: ['tags', 'tag'] }];
}

/** #30: vsphere-iso's top-level network and disk options into the first network_adapters and storage items. */
function vsphereNetDisk(c: View): Edit[] {
  const edits: Edit[] = [];
  const card = c.get('network_card') !== undefined ? 'network_card' : c.get('networkCard') !== undefined ? 'networkCard' : undefined;
  const net: [string, string][] = [];
  if (c.get('network') !== undefined) net.push(['network', 'network']);
  if (card) net.push(['network_card', card]);
  if (net.length) edits.push({ op: 'gather', key: 'network_adapters', entries: net, mode: 'prepend' });
  if (card === 'network_card' && c.get('networkCard') !== undefined) edits.push({ op: 'delete', key: 'networkCard', why: 'network_card is set and decides' });
  const disk = ['disk_size', 'disk_thin_provisioned', 'disk_eagerly_scrub'].filter((k) => c.get(k) !== undefined).map((k): [string, string] => [k, k]);
  if (disk.length) edits.push({ op: 'gather', key: 'storage', entries: disk, mode: 'prepend' });
  return edits;
}

/** Bundled builder types that live on in a plugin under another name (core-blocks.json `current_name`: osc-* → outscale-*). */
function renamedBundled(): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const b = coreBlocks().bundled_components.components.builders as Record<string, { current_name?: string }>;
  for (const [type, info] of Object.entries(b)) if (info.current_name) out.set(type, info.current_name);
  return out;
}
let bundledRenames: ReadonlyMap<string, string> | undefined;

const PROVIDERS = ['aws', 'digitalocean', 'virtualbox', 'vmware'];

/** The fixers `pkrlint` applies, in packer fix's order. */
export const FIXERS: readonly Fixer[] = [
  {
    name: 'iso-md5',
    packerFix: true,
    kinds: builders,
    applies: anyBuilder,
    removed: { iso_md5: 'iso_checksum = "md5:<checksum>"' },
    rewrite: (c) => (isString(c.get('iso_md5')) ? [{ op: 'rename', from: 'iso_md5', to: 'iso_checksum' }, { op: 'set', key: 'iso_checksum_type', value: 'md5', from: ['iso_checksum_type'] }] : []),
  },
  {
    name: 'createtime',
    packerFix: true,
    kinds: builders,
    applies: anyBuilder,
    removed: {},
    rewrite: (c) => replaceText(c, ['ami_name', 'bundle_prefix', 'snapshot_name'], /\{\{\s*\.CreateTime\s*\}\}/g, '{{timestamp}}'),
  },
  {
    name: 'virtualbox-gaattach',
    packerFix: true,
    kinds: builders,
    applies: builderTypes('virtualbox'),
    removed: { guest_additions_attach: 'guest_additions_mode ("attach" for true, "upload" for false)' },
    rewrite: (c) => {
      const v = c.get('guest_additions_attach');
      return typeof v === 'boolean' ? [{ op: 'set', key: 'guest_additions_mode', value: v ? 'attach' : 'upload', from: ['guest_additions_mode', 'guest_additions_attach'] }] : [];
    },
  },
  {
    name: 'pp-vagrant-override',
    packerFix: true,
    kinds: ['post-processors'],
    applies: (kind, type) => kind === 'post-processors' && type === 'vagrant',
    removed: Object.fromEntries(PROVIDERS.map((p) => [p, `override = { ${p} = { … } }`])),
    // packer fix replaces an existing `override` (its entries are lost); they are kept here, the moved ones win.
    rewrite: (c) => {
      const present = PROVIDERS.filter((p) => c.get(p) !== undefined);
      return present.length ? [{ op: 'gather', key: 'override', entries: present.map((p): [string, string] => [p, p]), mode: 'merge' }] : [];
    },
  },
  { name: 'virtualbox-rename', packerFix: true, kinds: builders, applies: builderTypes('virtualbox'), removed: {}, rewrite: () => [{ op: 'type', to: 'virtualbox-iso' }] },
  { name: 'vmware-rename', packerFix: true, kinds: builders, applies: builderTypes('vmware'), removed: {}, rewrite: () => [{ op: 'type', to: 'vmware-iso' }] },
  {
    name: 'parallels-headless',
    packerFix: true,
    kinds: builders,
    applies: builderTypes('parallels-iso', 'parallels-pvm'),
    removed: { headless: 'nothing: Parallels builders have no headless mode' },
    rewrite: remove('headless', 'Parallels builders have no headless mode'),
  },
  {
    name: 'parallels-deprecations',
    packerFix: true,
    kinds: builders,
    applies: builderTypes('parallels-iso', 'parallels-pvm'),
    removed: { parallels_tools_host_path: 'nothing: the plugin finds Parallels Tools itself', guest_os_distribution: 'guest_os_type' },
    rewrite: all(remove('parallels_tools_host_path', 'the plugin finds Parallels Tools itself'), rename('guest_os_distribution', 'guest_os_type')),
  },
  {
    name: 'sshkeypath',
    packerFix: true,
    kinds: builders,
    applies: anyBuilder,
    removed: { ssh_key_path: 'ssh_private_key_file' },
    rewrite: renameUnlessSet('ssh_key_path', 'ssh_private_key_file', isString),
  },
  {
    name: 'sshdisableagent',
    packerFix: true,
    kinds: builders,
    applies: anyBuilder,
    removed: { ssh_disable_agent: 'ssh_disable_agent_forwarding' },
    rewrite: renameUnlessSet('ssh_disable_agent', 'ssh_disable_agent_forwarding', isBool),
  },
  // #11 scaleway-access-key is not applied: today `access_key` is Scaleway's required API key and `organization_id` a
  // deprecated alias of `project_id`, so the rewrite would move or drop a current key.
  {
    name: 'manifest-filename',
    packerFix: true,
    kinds: ['post-processors'],
    applies: (kind, type) => kind === 'post-processors' && type === 'manifest',
    removed: { filename: 'output' },
    rewrite: rename('filename', 'output', isString),
  },
  {
    name: 'amazon-shutdown_behavior',
    packerFix: true,
    kinds: builders,
    applies: builderPrefix('amazon-'),
    removed: { shutdown_behaviour: 'shutdown_behavior' },
    rewrite: rename('shutdown_behaviour', 'shutdown_behavior'),
  },
  {
    name: 'amazon-enhanced-networking',
    packerFix: true,
    kinds: builders,
    applies: builderPrefix('amazon-'),
    removed: { enhanced_networking: 'ena_support' },
    rewrite: rename('enhanced_networking', 'ena_support', isBool),
  },
  {
    name: 'amazon-private-ip',
    packerFix: true,
    kinds: builders,
    applies: builderPrefix('amazon-'),
    removed: { ssh_private_ip: 'ssh_interface = "private_ip" (true) or "public_ip" (false)' },
    rewrite: (c) => {
      const v = c.get('ssh_private_ip');
      if (v === undefined) return [];
      // packer fix leaves ssh_private_ip beside ssh_interface, where today's plugin rejects it: ssh_interface decides.
      if (c.get('ssh_interface') !== undefined) return [{ op: 'delete', key: 'ssh_private_ip', why: 'ssh_interface is set and decides' }];
      const b = typeof v === 'boolean' ? v : typeof v === 'string' ? goBool(v) : undefined;
      if (b !== undefined) return [{ op: 'set', key: 'ssh_interface', value: b ? 'private_ip' : 'public_ip', from: ['ssh_private_ip'] }];
      if (v === OPAQUE) return [];
      return [{ op: 'review', key: 'ssh_private_ip', message: `"ssh_private_ip" is ${JSON.stringify(v)}, not a boolean (packer fix stops here): set ssh_interface = "private_ip" or "public_ip"` }];
    },
  },
  {
    name: 'amazon-temp-sec-cidrs',
    packerFix: true,
    kinds: builders,
    applies: builderPrefix('amazon-'),
    removed: { temporary_security_group_source_cidr: 'temporary_security_group_source_cidrs = [<cidr>]' },
    rewrite: (c) => (isString(c.get('temporary_security_group_source_cidr')) ? [{ op: 'wrap', from: 'temporary_security_group_source_cidr', to: 'temporary_security_group_source_cidrs' }] : []),
  },
  {
    name: 'docker-email',
    packerFix: true,
    kinds: ['builders', 'post-processors'],
    applies: (kind) => kind === 'builders' || kind === 'post-processors',
    removed: { login_email: 'nothing: Docker registries no longer take an e-mail address' },
    // packer fix deletes it only when the template has post-processors; today's plugins reject it everywhere.
    rewrite: remove('login_email', 'Docker registries no longer take an e-mail address'),
  },
  { name: 'docker-tag-tags', packerFix: true, kinds: ['post-processors'], applies: (kind, type) => kind === 'post-processors' && type === 'docker-tag', removed: {}, rewrite: dockerTags },
  // #19 powershell-escapes is not applied: since Packer 1.2.0 the provisioner escapes these values itself, and a
  // template cannot say whether its backticks were written for an older Packer; pkrlint migrate asks for a review.
  // #20 vmware-compaction is moot: vmware plugin v2 rejects every remote_type (see ESXI below).
  {
    name: 'hyperv-deprecations',
    packerFix: true,
    kinds: builders,
    // packer fix leaves it on hyperv-vmcx, whose current plugin rejects it too.
    applies: builderTypes('hyperv-iso', 'hyperv-vmcx'),
    removed: { vhd_temp_path: 'nothing: the plugin no longer uses a separate path for the VHD' },
    rewrite: remove('vhd_temp_path', 'the plugin no longer uses a separate path for the VHD'),
  },
  {
    name: 'hyperv-vmxc-typo',
    packerFix: true,
    kinds: builders,
    applies: builderTypes('hyperv-vmcx'),
    removed: { clone_from_vmxc_path: 'clone_from_vmcx_path' },
    rewrite: rename('clone_from_vmxc_path', 'clone_from_vmcx_path'),
  },
  {
    name: 'hyperv-cpu-and-ram',
    packerFix: true,
    kinds: builders,
    applies: builderTypes('hyperv-iso', 'hyperv-vmcx'),
    removed: { cpu: 'cpus', ram_size: 'memory' },
    rewrite: all(rename('cpu', 'cpus'), rename('ram_size', 'memory')),
  },
  {
    name: 'clean-image-name',
    packerFix: true,
    kinds: builders,
    applies: anyBuilder,
    removed: {},
    rewrite: (c) => replaceText(c, c.keys(), /clean_(?:image|ami)_name/g, 'clean_resource_name'),
  },
  {
    name: 'spot-price-auto-product',
    packerFix: true,
    kinds: builders,
    applies: builderTypes('amazon-ebs', 'amazon-ebssurrogate', 'amazon-ebsvolume', 'amazon-instance'),
    removed: {},
    rewrite: remove('spot_price_auto_product', 'deprecated, it has no effect'),
  },
  {
    name: 'qemu-disk-size',
    packerFix: true,
    kinds: builders,
    applies: builderTypes('qemu'),
    removed: {},
    rewrite: (c) => {
      const v = c.get('disk_size');
      return typeof v === 'number' ? [{ op: 'set', key: 'disk_size', value: `${Math.trunc(v)}M`, from: ['disk_size'] }] : [];
    },
  },
  {
    name: 'galaxy-command',
    packerFix: true,
    kinds: ['provisioners'],
    applies: (kind, type) => kind === 'provisioners' && type === 'ansible-local',
    removed: { galaxycommand: 'galaxy_command' },
    rewrite: renameUnlessSet('galaxycommand', 'galaxy_command', isString),
  },
  {
    name: 'comm-config',
    packerFix: true,
    kinds: builders,
    applies: builderPrefix('virtualbox'),
    removed: {},
    rewrite: all(renameOldWins('ssh_host_port_min', 'host_port_min'), renameOldWins('ssh_host_port_max', 'host_port_max'), renameOldWins('ssh_skip_nat_mapping', 'skip_nat_mapping', isBool)),
  },
  { name: 'ssh-wait-timeout', packerFix: true, kinds: builders, applies: anyBuilder, removed: {}, rewrite: renameOldWins('ssh_wait_timeout', 'ssh_timeout', isString) },
  {
    name: 'vsphere-iso-net-disk',
    packerFix: true,
    kinds: builders,
    applies: builderTypes('vsphere-iso'),
    removed: {
      network: 'network_adapters { network = … }',
      networkCard: 'network_adapters { network_card = … }',
      network_card: 'network_adapters { network_card = … }',
      disk_size: 'storage { disk_size = … }',
      disk_thin_provisioned: 'storage { disk_thin_provisioned = … }',
      disk_eagerly_scrub: 'storage { disk_eagerly_scrub = … }',
    },
    rewrite: vsphereNetDisk,
  },
  {
    name: 'iso-checksum-type-and-url',
    packerFix: true,
    kinds: builders,
    applies: anyBuilder,
    removed: { iso_checksum_type: 'iso_checksum = "<type>:<checksum>" (or "none")', iso_checksum_url: 'iso_checksum = "file:<url>"' },
    rewrite: isoChecksum,
  },
  {
    name: 'qemu-host-port',
    packerFix: true,
    kinds: builders,
    applies: builderTypes('qemu'),
    removed: {},
    // The plugin still reads the old keys, and their values win: overwriting the new keys keeps the meaning.
    rewrite: all(rename('ssh_host_port_min', 'host_port_min'), rename('ssh_host_port_max', 'host_port_max')),
  },
  {
    name: 'azure-exclude_from_latest',
    packerFix: true,
    kinds: builders,
    applies: builderPrefix('azure-chroot'),
    removed: {},
    rewrite: (c) => {
      const d = c.get('shared_image_destination');
      if (!d || typeof d !== 'object' || Array.isArray(d) || !('exlude_from_latest' in d)) return [];
      // The plugin reads the typo only while exclude_from_latest is false: a true exclude_from_latest decides.
      const o: Record<string, Plain> = {};
      for (const [k, x] of Object.entries(d)) if (k !== 'exlude_from_latest' && k !== 'exclude_from_latest') o[k] = x;
      o.exclude_from_latest = d.exclude_from_latest === true ? true : d.exlude_from_latest;
      return [{ op: 'set', key: 'shared_image_destination', value: o, from: ['shared_image_destination'] }];
    },
  },
  { name: 'proxmox-type', packerFix: true, kinds: builders, applies: builderTypes('proxmox'), removed: {}, rewrite: () => [{ op: 'type', to: 'proxmox-iso' }] },
  {
    name: 'the plugin names the type so',
    packerFix: false,
    kinds: builders,
    applies: (kind, type) => kind === 'builders' && (bundledRenames ??= renamedBundled()).has(type),
    removed: {},
    needs: 'required-plugins',
    rewrite: (c) => [{ op: 'type', to: (bundledRenames ??= renamedBundled()).get(c.type)! }],
  },
];

/** The powershell provisioner's values that packer fix #19 un-escapes: backtick before $, ", ' or a backtick. */
export const POWERSHELL_ESCAPED = {
  type: 'powershell',
  keys: ['elevated_user', 'elevated_password', 'environment_vars'],
  pattern: /`[$"'`]/,
  message: (key: string) =>
    `"${key}" has backtick escapes: since Packer 1.2.0 the provisioner escapes this value itself, so if the template was written for an older Packer remove the backticks (packer fix powershell-escapes would; pkrlint does not, because a newer template means them)`,
} as const;

/**
 * vmware-iso/vmware-vmx's remote ESXi options: vmware plugin v2.0.0 removed ESX support (and every `remote_type`)
 * with no replacement; v1.2.0 is the last release that has them (read from hashicorp/packer-plugin-vmware's
 * generated specs at v1.2.0 and v2.0.0).
 */
export const ESXI = {
  types: new Set(['vmware-iso', 'vmware-vmx']),
  keys: new Set([
    'remote_type',
    'remote_host',
    'remote_port',
    'remote_username',
    'remote_password',
    'remote_private_key_file',
    'remote_datastore',
    'remote_cache_datastore',
    'remote_cache_directory',
    'remote_output_directory',
    'cleanup_remote_cache',
    'skip_validate_credentials',
    'insecure_connection',
    'keep_registered',
    'vnc_over_websocket',
  ]),
  removedIn: 'v2.0.0',
  lastWith: 'v1.2.0',
  source: 'github.com/vmware/vmware',
} as const;

/** The review message for a remote ESXi option. */
export function esxiMessage(type: string, key: string): string {
  return `${type} "${key}" is a remote ESXi option: vmware plugin ${ESXI.removedIn} removed ESX support with no replacement (the plugin points to vsphere-iso); plugin ${ESXI.lastWith} is the last that has it (to keep building on ESXi, pin ${ESXI.source} to version "${ESXI.lastWith.slice(1)}" in required_plugins)`;
}

export function isEsxiOption(kind: ComponentKind, type: string, key: string): boolean {
  return kind === 'builders' && ESXI.types.has(type) && ESXI.keys.has(key);
}

/** A removed argument of a component type: what replaced it and the fixer that rewrites it, or the ESXi case. */
export type Removal = { fixer: Fixer; replacement: string } | { esxi: true };

export function removedArgument(kind: ComponentKind, type: string, key: string): Removal | undefined {
  if (isEsxiOption(kind, type, key)) return { esxi: true };
  for (const fixer of FIXERS) if (fixer.applies(kind, type) && Object.hasOwn(fixer.removed, key)) return { fixer, replacement: fixer.removed[key] };
  return undefined;
}
