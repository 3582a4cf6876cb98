// Unit tests of the pieces: the Go template parser, the translator, the HCL printer, names and versions.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { attr, blank, call, ref, str, template } from '../../src/hcl/model.js';
import { inline, printBody } from '../../src/hcl/print.js';
import { parseTemplate, TemplateSyntaxError } from '../../src/migrate/gotemplate.js';
import { goLayoutToFormatdate, hclNumber, strftimeToFormatdate, translateString, type Place, type Scope } from '../../src/migrate/translate.js';
import { BUCKET_NAME_PATTERN } from '../../src/packer/hcp.js';
import { bucketNameFromFile, cutUtf8 } from '../../src/migrate/registry.js';
import { Names, sanitizeName } from '../../src/migrate/context.js';
import { parseTargetVersion } from '../../src/migrate/version.js';
import { migrateTemplate } from '../../src/migrate/index.js';
import { REWRITES, type ArgumentRewrite, type TypeRewrites } from '../../src/migrate/rewrites.js';
import { convertMembers } from '../../src/migrate/body.js';

test('parses pipelines, backtick and double-quoted arguments, parentheses', () => {
  const segs = parseTemplate('a {{ user `x` | lower }} b {{replace_all "\\"}}" `-` (user "y")}}');
  assert.is(segs.length, 4);
  const act = segs[1];
  assert.ok(act.kind === 'action');
  if (act.kind === 'action') assert.is(act.pipeline.commands.length, 2);
  const second = segs[3];
  if (second.kind !== 'action') throw new Error('action expected');
  const args = second.pipeline.commands[0].args;
  assert.equal(args[1], { kind: 'string', value: '"}}' });
  assert.equal(args[2], { kind: 'string', value: '-' });
  assert.is(args[3].kind, 'pipeline');
});

test('trim markers, comments, control actions and fields', () => {
  const segs = parseTemplate('a  {{- /* c */ -}}  b {{if .X}}y{{end}} {{ .HTTPIP }}');
  assert.equal(segs[0], { kind: 'text', text: 'a' });
  assert.is(segs[1].kind, 'comment');
  assert.equal(segs[2], { kind: 'text', text: 'b ' });
  assert.is(segs[3].kind, 'control');
  assert.is(segs[segs.length - 1].kind, 'action');
});

test('malformed actions are syntax errors', () => {
  for (const bad of ['{{ unclosed', '{{ user `x }}', '{{ ( user `x` }}', '{{}}', '{{ a | }}'])
    assert.throws(() => parseTemplate(bad), (e: unknown) => e instanceof TemplateSyntaxError, bad);
});

function scope(place: Place, notes: string[] = []): Scope {
  return {
    place,
    target: '1.16.0',
    allows: () => true,
    userRef: (n) => (n === 'missing' ? undefined : ref('var', n)),
    envRef: (n) => ref('var', `env_${n}`),
    timestampRef: () => ref('local', 'timestamp'),
    note: (_l, m) => notes.push(m),
  };
}

test('translates the function table', () => {
  const t = (s: string, place: Place = 'provisioner') => inline(translateString(s, scope(place)));
  assert.is(t('{{user `a`}}'), 'var.a');
  assert.is(t('x-{{user `a`}}'), '"x-${var.a}"');
  assert.is(t('{{ user `a` | lower }}'), 'lower(var.a)');
  assert.is(t('{{upper `a`}}'), 'upper("a")');
  assert.is(t('{{replace_all `.` `-` (user `v`)}}'), 'replace(var.v, ".", "-")');
  assert.is(t('{{replace `.` `-` -1 (user `v`)}}'), 'replace(var.v, ".", "-")');
  assert.is(t('{{split (user `v`) `,` 2}}'), 'split(",", var.v)[2]');
  assert.is(t('{{build_name}}/{{build_type}}'), '"${source.name}/${source.type}"');
  assert.is(t('{{build `ID`}}'), 'build.ID');
  assert.is(t('{{template_dir}}{{pwd}}{{uuid}}{{packer_version}}'), '"${path.root}${path.cwd}${uuidv4()}${packer.version}"');
  assert.is(t('{{env `HOME`}}'), 'var.env_HOME');
  assert.is(t('{{env `HOME`}}', 'variable'), 'env("HOME")');
  assert.is(t('{{vault `p` `k`}} {{consul_key `k`}} {{aws_secretsmanager `n` `k`}} {{aws_secretsmanager_raw `n`}}'), '"${vault("p", "k")} ${consul_key("k")} ${aws_secretsmanager("n", "k")} ${aws_secretsmanager_raw("n")}"');
  assert.is(t('{{ .HTTPIP }}:{{ .HTTPPort }}'), '"{{ .HTTPIP }}:{{ .HTTPPort }}"');
  assert.is(t('{{timestamp}}'), 'local.timestamp');
});

test('build name and type are literals in builders and override bodies', () => {
  const s = { ...scope('override'), buildName: 'my box', buildType: 'null' };
  assert.is(inline(translateString('{{build_name}}-{{build_type}}', s)), '"my box-null"');
});

test('untranslatable actions are reported and kept as text the plugin prints back', () => {
  const notes: string[] = [];
  const e = translateString('{{clean_resource_name `a`}}', scope('provisioner', notes));
  assert.is(inline(e), '"{{\\"{{clean_resource_name `a`}}\\"}}"');
  assert.is(notes.length, 1);
  const n2: string[] = [];
  translateString('{{user `missing`}}', scope('provisioner', n2));
  assert.match(n2[0], /not declared/);
});

test('Go time layouts and strftime formats to formatdate', () => {
  assert.is(goLayoutToFormatdate('2006-01-02T15:04:05Z07:00'), "YYYY-MM-DD'T'hh:mm:ss'Z'");
  assert.is(goLayoutToFormatdate('Jan 2, 2006 3:04PM MST'), "MMM D, YYYY H:mmAA 'UTC'");
  assert.is(goLayoutToFormatdate('Monday January 06'), 'EEEE MMMM YY');
  assert.is(goLayoutToFormatdate('Mon Jan _2'), undefined);
  assert.is(goLayoutToFormatdate('15:04:05.000'), undefined);
  assert.is(strftimeToFormatdate('%Y%m%d-%H%M%S %% %p'), "YYYYMMDD-hhmmss % AA");
  assert.is(strftimeToFormatdate('%j'), undefined);
});

test('literal text after the last date element is written outside formatdate (Packer 1.6.6 drops it inside)', () => {
  const t = (s: string) => inline(translateString(s, scope('provisioner')));
  assert.is(t('{{isotime `2006-01-02T15:04:05Z07:00`}}'), `"\${formatdate("YYYY-MM-DD'T'hh:mm:ss", timestamp())}Z"`);
  assert.is(t("{{isotime `05'x'`}}"), `"\${formatdate("ss", timestamp())}'x'"`);
  assert.is(t('{{strftime `%Y done`}}'), `"\${formatdate("YYYY", timestamp())} done"`);
  assert.is(t('{{isotime `2006`}}'), 'formatdate("YYYY", timestamp())');
  assert.is(t('{{isotime `MST`}}'), '"UTC"');
  assert.is(t('{{isotime `2006-01-02T15:04:05Z07:00` | lower}}'), `lower("\${formatdate("YYYY-MM-DD'T'hh:mm:ss", timestamp())}Z")`);
});

test('Go number literals become decimal HCL numbers', () => {
  const t = (s: string) => inline(translateString(s, scope('provisioner')));
  assert.is(t('{{split `a` `,` 0x1F}}'), 'split(",", "a")[31]');
  assert.is(t('{{split `a` `,` 1_000}}'), 'split(",", "a")[1000]');
  assert.is(t('{{ .5 }}'), '0.5');
  assert.is(t('{{ 0x1F }}'), '31');
  for (const [go, hcl] of [['017', '15'], ['0o17', '15'], ['0b101', '5'], ['+3', '3'], ['-0x10', '-16'], ['1.', '1'], ['1e3', '1e3'], ['007.5', '7.5'], ['0', '0'], ['1_0.2_5', '10.25']])
    assert.is(hclNumber(go), hcl, go);
  assert.is(hclNumber('1i'), undefined);
  assert.is(hclNumber('0x1p4'), undefined);
  const notes: string[] = [];
  translateString('{{ 2i }}', scope('provisioner', notes));
  assert.match(notes[0], /no HCL2 equivalent/);
});

test('printer escapes in one place', () => {
  assert.is(inline(str('a "q" \\ \n ${x} %{y} $${z}')), '"a \\"q\\" \\\\ \\n $${x} %%{y} $$${z}"');
  assert.is(inline(template(['cost $', ref('var', 'p')])), '"cost ${"$"}${var.p}"');
  assert.is(inline(call('f', str('a'), { kind: 'list', items: [] })), 'f("a", [])');
});

test('object keys are bare identifiers or quoted', () => {
  const o = (key: string) => inline({ kind: 'object', entries: [{ key, value: str('v') }] });
  assert.is(o('Name'), '{ Name = "v" }');
  assert.is(o('virtualization-type'), '{ virtualization-type = "v" }');
  assert.is(o('for'), '{ "for" = "v" }');
  assert.is(o('kubernetes.io/role'), '{ "kubernetes.io/role" = "v" }');
  assert.is(o('${x}'), '{ "$${x}" = "v" }');
});

test('printer aligns runs of single-line attributes like packer fmt', () => {
  const out = printBody({
    items: [
      { type: 'attribute', name: 'a', value: str('x') },
      { type: 'attribute', name: 'long_name', value: str('y') },
      { type: 'attribute', name: 'map', value: { kind: 'object', entries: [{ key: 'k', value: str('v') }, { key: 'key2', value: str('w') }] } },
      { type: 'attribute', name: 'b', value: str('z') },
    ],
  }).text;
  assert.is(out, 'a         = "x"\nlong_name = "y"\nmap = {\n  k    = "v"\n  key2 = "w"\n}\nb = "z"\n');
});

test('bucket names derived from file names fit the pattern and the slug rule', () => {
  for (const f of ['a.json', 'My Template (copy).json', '--x--.json', 'é.json', 'x'.repeat(80) + '.json', 'ubuntu-22.04_base.json']) {
    const b = bucketNameFromFile(f);
    assert.ok(BUCKET_NAME_PATTERN.test(b), `${f} -> ${b}`);
    assert.ok(/^[A-Za-z0-9].*[A-Za-z0-9]$/.test(b), `${f} -> ${b}`);
  }
  assert.is(bucketNameFromFile('dir/ubuntu-22.04_base.json'), 'ubuntu-22-04-base');
});

test('descriptions are cut on a character boundary at 255 bytes', () => {
  const cut = cutUtf8('é'.repeat(200), 255);
  assert.is(Buffer.byteLength(cut), 254);
});

test('already-valid names are kept; renamed ones never take them', () => {
  assert.equal(new Names().assign(['a b', 'a_b']), ['a_b_2', 'a_b']);
  assert.equal(new Names().assign(['x', 'x', 'x y']), ['x', 'x_2', 'x_y']);
  assert.equal(new Names().assign(['1st', '_1st']), ['_1st_2', '_1st']);
});

test('names and versions', () => {
  assert.is(sanitizeName('my var.x'), 'my_var_x');
  assert.is(sanitizeName('1st'), '_1st');
  assert.is(parseTargetVersion('v1.6.6'), '1.6.6');
  assert.is(parseTargetVersion('1.13'), '1.13.0', 'as check reads --packer-version');
  assert.is(parseTargetVersion('1.6.x'), undefined);
  assert.is(parseTargetVersion('1.9.0-beta'), undefined, 'a target is a release');
});

test('a per-type argument rewrite replaces the argument where it stands, for that type only', () => {
  const types = REWRITES.builders.types as Map<string, TypeRewrites>;
  const upper: ArgumentRewrite = (_m, mem) => [attr('renamed_by_rewrite', str(String(mem.value.kind === 'string' ? mem.value.value : '').toUpperCase()))];
  types.set('null', { arguments: new Map([['communicator', upper]]) });
  try {
    const json = JSON.stringify({ builders: [{ type: 'null', communicator: 'none' }, { type: 'file', name: 'f', target: 'x', content: 'y' }] });
    const { hcl } = migrateTemplate(json, 't.json', { registry: false });
    assert.match(hcl, /source "null" "null" \{\n {2}renamed_by_rewrite = "NONE"\n\}/);
    assert.not.match(hcl, /communicator/);
    assert.match(hcl, /target += "x"/);
  } finally {
    types.delete('null');
  }
});

test('a rewrite\'s notes go to the first item it writes, or stand where the argument stood when it writes none', () => {
  const types = REWRITES.builders.types as Map<string, TypeRewrites>;
  const noted: ArgumentRewrite = (_m, mem, _all, _scope, notes) => {
    notes.add('review', `check ${mem.key}`, mem.keyStart);
    return mem.key === 'drop_me' ? [] : [blank(), attr('kept', str('x'))];
  };
  types.set('null', { arguments: new Map([['drop_me', noted], ['keep_me', noted]]) });
  try {
    const json = '{"builders": [{"type": "null",\n "drop_me": 1,\n "communicator": "none",\n "keep_me": 2}]}';
    const { hcl, report } = migrateTemplate(json, 't.json', { registry: false });
    assert.is(hcl.split('\n').slice(0, 7).join('\n'), 'source "null" "null" {\n  # TODO(pkrlint): check drop_me\n  communicator = "none"\n\n  # TODO(pkrlint): check keep_me\n  kept = "x"\n}');
    assert.equal(
      report.filter((r) => r.level === 'review').map((r) => [r.jsonLine, r.outputLine, r.message]),
      [[2, 2, 'check drop_me'], [4, 5, 'check keep_me']],
    );
  } finally {
    types.delete('null');
  }
});

test('the reviews of a duplicated comment key stand in front of the comment that is kept, which is written', () => {
  const json = '{"builders": [{"type": "null", "communicator": "none",\n "_comment": "one",\n "_comment": "two"}]}';
  const { hcl, report } = migrateTemplate(json, 't.json', { registry: false });
  assert.match(hcl, /communicator = "none"\n {2}# TODO\(pkrlint\): duplicate key "_comment" \(kept: the one on line 3\)[^\n]*"one"\n {2}# two\n\}/);
  assert.is(report.find((r) => r.level === 'review')?.outputLine, 3);
});

test('a rewrite that converts its argument again: its own notes come first on the item, then those of the conversion', () => {
  const types = REWRITES.builders.types as Map<string, TypeRewrites>;
  const again: ArgumentRewrite = (m, mem, _all, _scope, notes, scopeFor) => {
    notes.add('review', 'rewritten first', mem.keyStart);
    return convertMembers(m, [mem], scopeFor, { skip: new Set(), spec: undefined, what: 'builder "null"' });
  };
  types.set('null', { arguments: new Map([['note_me', again]]) });
  try {
    const json = '{"builders": [{"type": "null", "communicator": "none",\n "note_me": "{{ uuid | nosuchfunc }}"}]}';
    const { hcl } = migrateTemplate(json, 't.json', { registry: false });
    const todos = hcl.split('\n').filter((l) => l.includes('TODO(pkrlint)'));
    assert.is(todos.length, 2, hcl);
    assert.match(todos[0], /rewritten first/);
    assert.match(todos[1], /nosuchfunc/);
  } finally {
    types.delete('null');
  }
});


test('{{template_dir}} is relocated everywhere in a value, inside a translated {{if}} too', () => {
  const json = JSON.stringify({
    variables: { x: '' },
    builders: [{ type: 'null', communicator: 'none' }],
    provisioners: [{ type: 'shell-local', inline: ['{{if eq (user `x`) ""}}{{template_dir}}/a{{end}} {{template_dir}}/b'] }],
  });
  const { hcl, report } = migrateTemplate(json, 't.json', { registry: false, templateDir: '../src' });
  // Both uses point at the JSON template's directory, the one in the condition's branch as much as the other.
  assert.match(hcl, /"\$\{path\.root\}\/\.\.\/src\/a"/);
  assert.match(hcl, /\$\{path\.root\}\/\.\.\/src\/b/);
  assert.not.match(hcl, /\$\{path\.root\}\/a/);
  assert.ok(report.some((r) => r.message.includes('(2 uses)')), report.map((r) => r.message).join('\n'));
});

test.run();
