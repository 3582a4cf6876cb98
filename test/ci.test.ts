/**
 * CI contexts (docs/ci.md): the YAML readers on the shapes real workflows and pipelines take, the fixture
 * repositories under fixtures/ci/ with the findings a user reads (context and origin), and the command line:
 * --ci / --no-ci, malformed and unsafe CI files, secrets never printed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { githubContexts, type RawContext } from '../src/ci/github.js';
import { gitlabContexts, localIncludes, mergeDocuments } from '../src/ci/gitlab.js';
import { ENV_RULES } from '../src/ci/context.js';
import { classify, packerCalls } from '../src/ci/values.js';
import { readYaml, YamlError } from '../src/ci/yaml.js';
import { compileWildcards } from '../src/packer/glob.js';
import { coreBlocks } from '../src/packer/schema.js';
import { FEATURES } from '../src/packer/version.js';
import { LATER_REGISTRY_ARGUMENTS } from '../src/rules/registry-unknown-argument.js';
import { ruleById } from '../src/rules/index.js';
import type { SourceFile } from '../src/packer/unit.js';
import { LineIndex } from '../src/syntax/text.js';
import { cli, fixture } from './_helpers.js';

const fileOf = (text: string, display = '.github/workflows/build.yml'): SourceFile => ({ path: `/repo/${display}`, display, kind: 'ci', text, bom: false, lines: new LineIndex(text), syntaxErrors: [] });
const github = (text: string) => githubContexts(readYaml(fileOf(text)), 'build.yml');
/** A context's variables as `NAME=value @line` (`?` marks an unknown value, `~run`/`~commit` how it varies). */
const vars = (c: RawContext) =>
  c.env.entries().map(([k, v]) => `${k}=${v.unknown ? '?' : ''}${v.value}${v.varies ? `~${v.varies}` : ''} @${v.origin.split(':').pop()}`);

const dirs: string[] = [];
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pkrlint-ci-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const TEMPLATE = `source "null" "example" {
  communicator = "none"
}

hcp_packer_registry {
  bucket_name = "web"
}

build {
  sources = ["source.null.example"]
}
`;

// ---- values and scripts

test('values: GitHub evaluates only ${{ }}; GitLab and env files expand $VAR; run-unique and commit-only expressions', () => {
  assert.equal(classify('${{ secrets.HCP_CLIENT_SECRET }}', 'github'), { unknown: true });
  assert.equal(classify('$GITHUB_RUN_ID', 'github'), { unknown: false }, 'GitHub passes $VAR in env: as text');
  assert.equal(classify('web-${{ github.run_id }}', 'github'), { unknown: true, varies: 'run' });
  assert.equal(classify('${{ github.sha }}', 'github'), { unknown: true, varies: 'commit' });
  assert.equal(classify('${{ github.sha }}-${{ matrix.os }}', 'github'), { unknown: true });
  assert.equal(classify('$CI_COMMIT_SHA', 'shell'), { unknown: true, varies: 'commit' });
  assert.equal(classify('${CI_PIPELINE_ID}-x', 'shell'), { unknown: true, varies: 'run' });
  assert.equal(classify('price$$5', 'shell'), { unknown: false }, '$$ is a literal dollar');
});

test('scripts: packer build and validate with their paths, flags with values, continued lines, cd', () => {
  const calls = packerCalls('packer init .\npacker build \\\n  -var "region=us-east-1" \\\n  -var-file prod.pkrvars.hcl \\\n  -only=amazon-ebs.web \\\n  images/web\n');
  assert.equal(calls, [{ command: 'build', path: 'images/web', line: 1 }]);
  assert.equal(packerCalls('cd images/base && packer validate .'), [{ command: 'validate', path: 'images/base', line: 0 }]);
  assert.equal(packerCalls('for d in images/*; do packer build "$d"; done')[0].path, undefined, 'an expression names no path');
  assert.equal(packerCalls('cd "$DIR"\npacker build .')[0].path, undefined, 'a cd to an expression loses the directory');
  assert.equal(packerCalls('packer fmt -check .\nterraform apply'), []);
  assert.equal(packerCalls('./bin/packer build -force web.pkr.hcl')[0].path, 'web.pkr.hcl');
});

// ---- GitHub Actions

test('GitHub: workflow, job and step env; working-directory; a job per Packer step; origins are lines', () => {
  const ctxs = github(`name: build
on: [push]
env:
  HCP_CLIENT_ID: \${{ secrets.HCP_CLIENT_ID }}
defaults:
  run:
    working-directory: images
jobs:
  images:
    runs-on: ubuntu-latest
    env:
      HCP_PACKER_BUCKET_NAME: web
    steps:
      - uses: actions/checkout@v4
      - uses: hashicorp/setup-packer@v3
        with:
          version: latest
      - name: web
        env:
          HCP_PACKER_BUILD_FINGERPRINT: \${{ github.run_id }}
        run: packer build web
      - name: base
        working-directory: base
        run: packer build .
  docs:
    runs-on: ubuntu-latest
    steps:
      - run: mkdocs build
`);
  assert.equal(ctxs.map((c) => c.name), ['workflow build.yml, job images, step web', 'workflow build.yml, job images, step base']);
  assert.equal(ctxs.map((c) => c.builds), [['images/web'], ['base']]);
  assert.equal(vars(ctxs[0]), ['HCP_CLIENT_ID=?${{ secrets.HCP_CLIENT_ID }} @4', 'HCP_PACKER_BUCKET_NAME=web @12', 'HCP_PACKER_BUILD_FINGERPRINT=?${{ github.run_id }}~run @20']);
  assert.equal(vars(ctxs[1]), ['HCP_CLIENT_ID=?${{ secrets.HCP_CLIENT_ID }} @4', 'HCP_PACKER_BUCKET_NAME=web @12'], 'step env holds for its own step only');
  assert.is(ctxs[0].packerVersion, undefined);
  assert.ok(ctxs.every((c) => c.complete && c.kind === 'github'));
});

test('GitHub: matrix values are unknown; anchors and merge keys give the line of the anchor; reusable workflow calls are skipped', () => {
  const ctxs = github(`on: push
x-hcp: &hcp
  HCP_CLIENT_ID: \${{ secrets.HCP_CLIENT_ID }}
  HCP_CLIENT_SECRET: \${{ secrets.HCP_CLIENT_SECRET }}
jobs:
  build:
    strategy:
      matrix:
        image: [web, base]
    runs-on: ubuntu-latest
    env:
      <<: *hcp
      HCP_PACKER_BUCKET_NAME: \${{ matrix.image }}
    steps:
      - run: packer build images/\${{ matrix.image }}
  call:
    uses: ./.github/workflows/reusable.yml
    secrets: inherit
`);
  assert.equal(ctxs.length, 1);
  assert.equal(ctxs[0].builds, undefined, 'a path with an expression ties the job to every configuration');
  assert.equal(vars(ctxs[0]), ['HCP_PACKER_BUCKET_NAME=?${{ matrix.image }} @13', 'HCP_CLIENT_ID=?${{ secrets.HCP_CLIENT_ID }} @3', 'HCP_CLIENT_SECRET=?${{ secrets.HCP_CLIENT_SECRET }} @4']);
});

test('GitHub: $GITHUB_ENV writes of earlier steps and exports before packer count; the packer action names its target', () => {
  const ctxs = github(`on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "HCP_PACKER_BUILD_FINGERPRINT=$(date +%s)" >> $GITHUB_ENV
          echo "HCP_PACKER_REGISTRY=off" >> "$GITHUB_ENV"
      - run: |
          export HCP_CLIENT_ID="$ID"
          packer build .
  action:
    runs-on: ubuntu-latest
    steps:
      - uses: hashicorp/setup-packer@v3
        with:
          version: 1.10.2
      - uses: hashicorp/packer-github-actions@master
        with:
          command: build
          target: web.pkr.hcl
          working_directory: images/web
`);
  assert.equal(vars(ctxs[0]), ['HCP_PACKER_BUILD_FINGERPRINT=?$(date +%s)~run @7', 'HCP_PACKER_REGISTRY=off @8', 'HCP_CLIENT_ID=?$ID @10']);
  assert.equal(ctxs[1].builds, ['images/web/web.pkr.hcl']);
  assert.equal(ctxs[1].packerVersion, { version: '1.10.2', origin: 'hashicorp/setup-packer version in .github/workflows/build.yml:17' });
});

test('GitHub: a job with no Packer step is a context only when its own env sets HCP variables', () => {
  const ctxs = github(`on: push
env:
  HCP_PACKER_BUCKET_NAME: web
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: packer fmt -check .
  make:
    runs-on: ubuntu-latest
    env:
      HCP_PACKER_BUILD_FINGERPRINT: fixed
    steps:
      - run: make images
`);
  assert.equal(ctxs.map((c) => [c.name, c.builds]), [['workflow build.yml, job make', undefined]]);
});

// ---- GitLab CI

test('GitLab: global and job variables, extends (deep merge, chains), inherit, expand: false, include forms', () => {
  const text = `include:
  - local: /ci/base.yml
  - project: group/shared
    file: packer.yml
  - remote: https://example.com/ci.yml
  - ci/more.yml

variables:
  HCP_PACKER_REGISTRY: "on"
  GLOBAL_ONLY: x

.hcp:
  image:
    name: hashicorp/packer:1.9.4
    entrypoint: [""]
  variables:
    HCP_PACKER_BUILD_FINGERPRINT: $CI_PIPELINE_ID
    HCP_ORGANIZATION_ID: org

.web:
  extends: .hcp
  variables:
    HCP_PACKER_BUCKET_NAME: web

build-web:
  extends: [.web]
  variables:
    HCP_ORGANIZATION_ID:
      value: $literal
      expand: false
  script:
    - cd images/web
    - packer build .

build-alone:
  inherit:
    variables: [GLOBAL_ONLY]
  script: packer build images/base
`;
  const doc = readYaml(fileOf(text, '.gitlab-ci.yml'));
  assert.equal(localIncludes(doc).map((i) => i.path), ['ci/base.yml', 'ci/more.yml']);
  const ctxs = gitlabContexts(doc, '.gitlab-ci.yml');
  assert.equal(ctxs.map((c) => [c.name, c.builds]), [
    ['pipeline .gitlab-ci.yml, job build-web', ['images/web']],
    ['pipeline .gitlab-ci.yml, job build-alone', ['images/base']],
  ]);
  assert.equal(vars(ctxs[0]), ['HCP_PACKER_REGISTRY=on @9', 'GLOBAL_ONLY=x @10', 'HCP_PACKER_BUILD_FINGERPRINT=?$CI_PIPELINE_ID~run @17', 'HCP_ORGANIZATION_ID=$literal @28', 'HCP_PACKER_BUCKET_NAME=web @23']);
  assert.equal(ctxs[0].packerVersion, { version: '1.9.4', origin: 'the image hashicorp/packer:1.9.4 in .gitlab-ci.yml:14' }, 'the image the job runs in is its target');
  assert.is(ctxs[1].packerVersion, undefined);
  assert.equal(vars(ctxs[1]), ['GLOBAL_ONLY=x @10']);
  assert.ok(ctxs.every((c) => !c.complete), 'project CI/CD variables are not in the file');
});

test('GitLab: an included file gives defaults, the main file wins; extends cycles end', () => {
  const inc = readYaml(fileOf('.packer:\n  variables:\n    HCP_PACKER_BUCKET_NAME: from-include\n    HCP_PROJECT_ID: p\n', 'ci/packer.yml'));
  const main = readYaml(fileOf('.packer:\n  variables:\n    HCP_PACKER_BUCKET_NAME: from-main\nbuild:\n  extends: .packer\n  script: packer build .\nloop-a:\n  extends: loop-b\n  script: packer build a\nloop-b:\n  extends: loop-a\n  script: packer build b\n', '.gitlab-ci.yml'));
  const ctxs = gitlabContexts(mergeDocuments([inc, main]), '.gitlab-ci.yml');
  assert.equal(vars(ctxs[0]), ['HCP_PACKER_BUCKET_NAME=from-main @3', 'HCP_PROJECT_ID=p @4']);
  assert.equal(ctxs[0].env.lookup('HCP_PROJECT_ID')?.origin, 'ci/packer.yml:4');
  assert.equal(ctxs.map((c) => c.name).slice(1), ['pipeline .gitlab-ci.yml, job loop-a', 'pipeline .gitlab-ci.yml, job loop-b']);
});

test('YAML: a malformed file is an error naming its file and line; alias bombs are refused', () => {
  try {
    readYaml(fileOf('on: push\njobs:\n  build:\n    steps: [\n      - run: x\n'));
    assert.unreachable('no error');
  } catch (e) {
    assert.instance(e, YamlError);
    assert.match((e as Error).message, /^\.github\/workflows\/build\.yml:\d+: invalid YAML: /);
  }
  let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 9; i++) bomb += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
  assert.not.throws(() => readYaml(fileOf(bomb)), 'aliases are shared, not expanded');
});

test('the readers never fail on mangled workflows and pipelines but with a YamlError', () => {
  const sources = [readFileSync(fixture('ci', 'github-monorepo', '.github', 'workflows', 'images.yml'), 'utf8'), readFileSync(fixture('ci', 'gitlab-extends', '.gitlab-ci.yml'), 'utf8')];
  let seed = 7;
  const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  const bits = [':', '- ', '\n', '  ', '*hcp', '&x ', '<<: ', '${{', '}}', '"', "'", '[', '{', '|', '#', 'packer build ', 'cd ', '\\\n'];
  for (let i = 0; i < 400; i++) {
    let t = sources[i % 2];
    for (let k = 0; k < 1 + rnd(6); k++) {
      const at = rnd(t.length);
      t = rnd(3) === 0 ? t.slice(0, at) + t.slice(at + rnd(20)) : t.slice(0, at) + bits[rnd(bits.length)] + t.slice(at);
    }
    try {
      const doc = readYaml(fileOf(t));
      githubContexts(doc, 'build.yml');
      gitlabContexts(mergeDocuments([doc]), '.gitlab-ci.yml');
    } catch (e) {
      if (!(e instanceof YamlError)) throw new Error(`case ${i}: ${String(e)}\n${t}`, { cause: e });
    }
  }
});

// ---- rules and version facts

test('every environment rule exists; the later registry arguments agree with the schema', () => {
  for (const id of ENV_RULES) assert.ok(ruleById.has(id), id);
  const attrs = coreBlocks().bodies.hcp_packer_registry.attributes ?? {};
  for (const [name, feature] of Object.entries(LATER_REGISTRY_ARGUMENTS)) assert.is(attrs[name]?.since, `v${FEATURES[feature].since}`, name);
});

// ---- fixture repositories, as a user runs them

for (const repo of ['github-monorepo', 'gitlab-extends', 'dotenv-config']) {
  test(`fixtures/ci/${repo}: the findings with their context and origin`, () => {
    const dir = fixture('ci', repo);
    const r = cli(['check', '--ci', '--no-process-env', '-f', 'compact'], { cwd: dir });
    assert.fixture(r.stdout, readFileSync(join(dir, 'expected.txt'), 'utf8'));
    assert.is(r.stderr, '');
  });
}

test('json: a context finding carries its context; stylish shows it in the message', () => {
  const dir = fixture('ci', 'github-monorepo');
  const r = cli(['check', '--ci', '--no-process-env', '-f', 'json'], { cwd: dir });
  const ds = (JSON.parse(r.stdout) as { diagnostics: Array<{ file: string; ruleId: string; context?: string; line: number }> }).diagnostics;
  const override = ds.find((d) => d.ruleId === 'registry-env-override');
  assert.equal(override && [override.file, override.line, override.context], ['images/web/main.pkr.hcl', 17, 'workflow images.yml, job web']);
  assert.ok(ds.filter((d) => d.file.startsWith('.github/')).every((d) => d.context), 'findings in workflow files belong to a context');
  const sarif = JSON.parse(cli(['check', '--ci', '--no-process-env', '-f', 'sarif'], { cwd: dir }).stdout) as {
    runs: Array<{ results: Array<{ ruleId: string; properties?: { context?: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }>;
  };
  const nightly = sarif.runs[0].results.filter((x) => x.properties?.context === 'workflow nightly.yaml, job all-images');
  assert.ok(nightly.length > 0 && nightly.every((x) => x.locations[0].physicalLocation.artifactLocation.uri.endsWith('.yaml') || x.ruleId === 'registry-multiple-builds'));
  assert.ok(nightly.some((x) => x.locations[0].physicalLocation.region.startLine === 9), 'the line where the fingerprint is set');
});

test('--ci is on by default when CI files exist, --no-ci turns it off, ci.enabled in the configuration file too', () => {
  const files = { 'main.pkr.hcl': TEMPLATE, '.github/workflows/build.yml': 'on: push\njobs:\n  b:\n    env:\n      HCP_PACKER_BUCKET_NAME: other\n    steps:\n      - run: packer build .\n' };
  const d = project(files);
  const auto = cli(['check', '--no-process-env', '-f', 'compact'], { cwd: d });
  assert.match(auto.stdout, /registry-env-override HCP_PACKER_BUCKET_NAME="other" \(set in \.github\/workflows\/build\.yml:5\)/);
  assert.is(cli(['check', '--no-process-env', '--no-ci', '-f', 'compact'], { cwd: d }).stdout, '');
  const off = project({ ...files, '.pkrlintrc.json': '{ "ci": { "enabled": false } }' });
  assert.is(cli(['check', '--no-process-env', '-f', 'compact'], { cwd: off }).stdout, '');
  assert.match(cli(['check', '--no-process-env', '--ci', '-f', 'compact'], { cwd: off }).stdout, /registry-env-override/, 'the command line wins');
});

test('a PKR_VAR_ set by an expression makes its variable unknown in that context, not its default', () => {
  const tpl = 'variable "bucket" {\n  type    = string\n  default = "web"\n}\n' + TEMPLATE.replace('"web"', 'var.bucket');
  const wf = (pkrVar: string) => `on: push\njobs:\n  b:\n    env:\n      HCP_PACKER_BUCKET_NAME: web-prod\n${pkrVar}    steps:\n      - run: packer build .\n`;
  const known = cli(['check', '--no-process-env', '--ci', '-f', 'compact'], { cwd: project({ 'main.pkr.hcl': tpl, '.github/workflows/b.yml': wf('') }) });
  assert.match(known.stdout, /registry-env-override HCP_PACKER_BUCKET_NAME="web-prod" \(set in \.github\/workflows\/b\.yml:5\) overrides bucket_name "web"/);
  const unknown = cli(['check', '--no-process-env', '--ci', '-f', 'compact'], { cwd: project({ 'main.pkr.hcl': tpl, '.github/workflows/b.yml': wf('      PKR_VAR_bucket: ${{ vars.BUCKET }}\n') }) });
  assert.not.match(unknown.stdout, /registry-env-override/, 'the template\'s own bucket name is unknown there');
});

test('a malformed workflow: exit 2 naming file and line with --ci; otherwise a warning and the run goes on', () => {
  const d = project({ 'main.pkr.hcl': TEMPLATE, '.github/workflows/bad.yml': 'on: push\njobs:\n  b:\n    env: {HCP_PACKER_BUCKET_NAME: x\n    steps: []\n' });
  const strict = cli(['check', '--no-process-env', '--ci'], { cwd: d });
  assert.is(strict.status, 2);
  assert.match(strict.stderr, /^pkrlint: \.github\/workflows\/bad\.yml:\d+: invalid YAML: /);
  assert.not.match(strict.stderr, /at .*\.js:\d+/, 'no stack trace');
  const lenient = cli(['check', '--no-process-env', '-f', 'compact'], { cwd: d });
  assert.is(lenient.status, 0);
  assert.match(lenient.stderr, /^pkrlint: warning: \.github\/workflows\/bad\.yml:\d+: invalid YAML: .*; the run goes on without it\n$/);
});

test('a workflow that is a link out of the tree is not read', () => {
  const outside = project({ 'evil.yml': 'on: push\njobs:\n  b:\n    env:\n      HCP_PACKER_BUCKET_NAME: stolen\n    steps:\n      - run: packer build .\n' });
  const d = project({ 'main.pkr.hcl': TEMPLATE });
  mkdirSync(join(d, '.github', 'workflows'), { recursive: true });
  symlinkSync(join(outside, 'evil.yml'), join(d, '.github', 'workflows', 'evil.yml'));
  const r = cli(['check', '--no-process-env', '-f', 'compact'], { cwd: d });
  assert.not.match(r.stdout, /stolen/);
  assert.match(r.stderr, /evil\.yml: cannot read CI file: a symbolic link to .*outside the checked tree/);
  assert.is(cli(['check', '--no-process-env', '--ci'], { cwd: d }).status, 2);
});

test('a credential written in clear in a workflow is never printed, in any format', () => {
  const secret = 'hcp-secret-value-0123456789';
  const d = project({ 'main.pkr.hcl': TEMPLATE, '.github/workflows/build.yml': `on: push\njobs:\n  b:\n    env:\n      HCP_CLIENT_SECRET: ${secret}\n    steps:\n      - run: packer build .\n` });
  for (const f of ['stylish', 'json', 'sarif', 'compact', 'github', 'junit', 'checkstyle']) {
    const r = cli(['check', '--no-process-env', '--ci', '-f', f], { cwd: d });
    assert.match(r.stdout, /HCP_CLIENT_SECRET is set \(in \.github\/workflows\/build\.yml:5\) but HCP_CLIENT_ID is not/, f);
    assert.not.ok(r.stdout.includes(secret) || r.stderr.includes(secret), `${f} prints the secret`);
  }
});

test('the configuration file chooses files and contexts, and rejects what it does not know', () => {
  const d = project({
    'main.pkr.hcl': TEMPLATE,
    'ci/a.yml': 'build-a:\n  variables:\n    HCP_PACKER_BUCKET_NAME: from-a\n  script: packer build .\n',
    'ci/b.yml': 'build-b:\n  variables:\n    HCP_PACKER_BUCKET_NAME: from-b\n  script: packer build .\n',
    '.pkrlintrc.json': '{ "ci": { "files": ["ci/a.yml", "ci/b.yml"], "contexts": ["*job build-b"] } }',
  });
  const r = cli(['check', '--no-process-env', '-f', 'compact'], { cwd: d });
  assert.match(r.stdout, /HCP_PACKER_BUCKET_NAME="from-b" \(set in ci\/b\.yml:3\)/);
  assert.not.match(r.stdout, /from-a/);
  const bad = project({ 'main.pkr.hcl': TEMPLATE, '.pkrlintrc.json': '{ "ci": { "file": [] } }' });
  const e = cli(['check'], { cwd: bad });
  assert.is(e.status, 2);
  assert.match(e.stderr, /\.pkrlintrc\.json:1: unknown key "ci\.file" \(known: enabled, files, envFiles, contexts\)/);
});

test.after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('ci.contexts patterns: `*` is any text (slashes and commas too), the rest is literal, and a hostile pattern stays linear', () => {
  const chosen = compileWildcards(['workflow images.yml, *', 'env file deploy/*', 'job [a]?']);
  assert.ok(chosen('workflow images.yml, job web'));
  assert.ok(chosen('env file deploy/prod/ci.env'));
  assert.ok(chosen('job [a]?'), 'brackets and ? are literal');
  assert.not.ok(chosen('job a'));
  assert.not.ok(chosen('workflow build.yml, job web'));
  // A backtracking regular expression takes minutes on this (1.2 s at 39 characters, doubling per character).
  assert.not.ok(compileWildcards(['*a'.repeat(12) + 'b'])('a'.repeat(80)));
});

test.run();
