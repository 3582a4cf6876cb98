/**
 * Benchmark: one `pkrlint migrate --out-dir` process over a directory of 200 generated legacy JSON templates, against
 * `packer hcl2_upgrade` run once per template (sequentially), in the same run. Prints both times and the ratio.
 * Run by `npm run bench`, never by `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const COUNT = Number(process.env.BENCH_TEMPLATES ?? 200);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'pkrlint');

/** A deterministic, varied legacy template: builders, provisioners, post-processors and Go template functions. */
function template(i: number): unknown {
  const builders = [
    { type: 'amazon-ebs', name: `aws-${i}`, region: '{{user `region`}}', instance_type: 't3.micro', ssh_username: 'ubuntu', ami_name: `app-${i}-{{isotime \`20060102\`}}`, source_ami_filter: { filters: { name: 'ubuntu/*', 'virtualization-type': 'hvm' }, owners: ['099720109477'], most_recent: true }, tags: { Name: '{{user `name` | upper}}', Build: '{{build_name}}' } },
    { type: 'null', communicator: 'none' },
    { type: 'file', name: `file-${i}`, content: '{{user `name`}} {{build_type}}', target: `out-${i}.txt` },
    { type: 'docker', image: 'ubuntu:22.04', commit: true, changes: ['ENV V {{user `version`}}'] },
    { type: 'virtualbox-iso', guest_os_type: 'Ubuntu_64', iso_url: 'http://x/y.iso', iso_checksum: 'none', ssh_username: 'u', boot_command: ['<esc> http://{{ .HTTPIP }}:{{ .HTTPPort }}/ks.cfg<enter>'], vboxmanage: [['modifyvm', '{{.Name}}', '--memory', '2048']] },
  ];
  const chosen = builders.filter((_, k) => (i + k) % 3 !== 0 || k === i % builders.length);
  const names = chosen.map((b) => (b as { name?: string }).name ?? b.type);
  return {
    _comment: `generated template ${i}`,
    description: `Benchmark template ${i}`,
    variables: { region: 'us-east-1', name: `app${i}`, version: `1.${i}.0`, home: '{{env `HOME`}}', derived: '{{user `name`}}-{{user `version`}}' },
    'sensitive-variables': i % 2 ? ['version'] : [],
    builders: chosen,
    provisioners: [
      { type: 'shell-local', inline: [`echo ${i} {{user \`derived\`}} {{build_name}}`, 'echo ${HOME}'] },
      { type: 'shell', only: [names[0]], inline: ['echo {{lower `ABC`}} {{split `a,b` `,` 1}}'], pause_before: '1s' },
      { type: 'file', source: '{{template_dir}}/f', destination: '/tmp/f', except: names.slice(1, 2) },
      { type: 'shell', inline: ['echo default'], override: Object.fromEntries(names.slice(0, 1).map((n) => [n, { inline: ['echo {{build_name}}'] }])) },
    ],
    'post-processors': [[{ type: 'manifest', output: `m-${i}.json` }, { type: 'shell-local', inline: ['echo done {{build_name}}'] }], 'checksum'],
  };
}

/**
 * One template per directory, as most repositories keep them (templates sharing a directory would each go into a
 * directory of its own: --layout split).
 */
function templatePath(inDir: string, i: number): string {
  return join(inDir, `team-${i % 10}`, `image-${i}`, `template-${i}.json`);
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-bench-migrate-'));
  const inDir = join(dir, 'templates');
  mkdirSync(inDir);
  for (let i = 0; i < COUNT; i++) {
    mkdirSync(dirname(templatePath(inDir, i)), { recursive: true });
    writeFileSync(templatePath(inDir, i), JSON.stringify(template(i), null, 2));
  }
  const env = { ...process.env, CHECKPOINT_DISABLE: '1', HCP_PACKER_BUCKET_NAME: '' };

  let t = process.hrtime.bigint();
  const ours = spawnSync(bin, ['migrate', '--out-dir', join(dir, 'out'), inDir], { encoding: 'utf8', env });
  const oursMs = Number(process.hrtime.bigint() - t) / 1e6;
  if (ours.status !== 0 && ours.status !== 1) throw new Error(`pkrlint migrate failed (${ours.status}): ${ours.stderr.slice(0, 2000)}`);

  const packer = spawnSync('packer', ['version'], { encoding: 'utf8' });
  if (packer.status !== 0) {
    console.log(`migrate bench: pkrlint migrate ${COUNT} templates in ${oursMs.toFixed(0)} ms; packer not on PATH, no comparison`);
    return;
  }
  let failures = 0;
  t = process.hrtime.bigint();
  for (let i = 0; i < COUNT; i++) {
    const file = templatePath(inDir, i);
    const r = spawnSync('packer', ['hcl2_upgrade', '-output-file', join(dir, `upstream-${i}.pkr.hcl`), file], { encoding: 'utf8', env });
    if (r.status !== 0) failures++;
  }
  const packerMs = Number(process.hrtime.bigint() - t) / 1e6;
  rmSync(dir, { recursive: true, force: true });
  console.log(`migrate bench: ${COUNT} templates`);
  console.log(`  pkrlint migrate (one process, --out-dir): ${oursMs.toFixed(0)} ms (exit ${ours.status})`);
  console.log(`  packer hcl2_upgrade (once per template):  ${packerMs.toFixed(0)} ms (${failures} failed)`);
  console.log(`  ratio: ${(packerMs / oursMs).toFixed(1)}x faster`);
}

main();
