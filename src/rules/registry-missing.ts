import { basename, resolve } from 'node:path';
import { BUCKET_NAME_PATTERN, bucketSlug } from '../packer/hcp.js';
import { FEATURES, supports } from '../packer/version.js';
import { ownLines, topLevelInsert } from './_fixes.js';
import { blockHead } from './_registry.js';
import { createRule, type Fix } from './types.js';

export default createRule(
  {
    id: 'registry-missing',
    description: 'Reports a configuration with a build but no hcp_packer_registry block (off by default).',
    severity: 'warning',
    // Judges the whole configuration: not run while a part of it does not parse.
    scope: 'unit',
    fixable: true,
    defaultOff: true,
    messages: {
      missing: 'this configuration has a build but no hcp_packer_registry block, so nothing it builds is published to HCP Packer; add one ({{where}})',
      missingNoFix: 'this configuration has a build but no hcp_packer_registry block, so nothing it builds is published to HCP Packer (no automatic fix: {{why}})',
    },
  },
  (ctx) => {
    const cfg = ctx.hcl?.config;
    if (!cfg || cfg.builds.length === 0 || cfg.registries.length > 0) return;
    const build = cfg.builds[0];
    const head = { file: build.file, ...blockHead(build.block) };
    const target = ctx.target.version;
    let why: string | undefined;
    if (cfg.builds.length > 1) why = `the configuration has ${cfg.builds.length} builds, and Packer publishes to HCP Packer only from a configuration with one build`;
    else if (!supports(target, 'build-registry')) why = `the target Packer ${target} has no hcp_packer_registry block (it came with ${FEATURES['build-registry'].since})`;
    else if (build.file.kind !== 'hcl' || !build.file.hcl) why = 'the build is in a JSON file, which pkrlint does not rewrite';
    else if (!supports(target, 'top-level-registry') && !ownLines(build.file.text, build.block.start, build.block.end)) why = 'the build block shares its lines with other code; add the block by hand';
    else if (!supports(target, 'top-level-registry') && build.file.lines.position(build.block.start).line === build.file.lines.position(build.block.end).line) why = 'the build block is written on one line; add the block by hand';
    if (why) {
      ctx.report({ messageId: 'missingNoFix', data: { why }, ...head });
      return;
    }
    // The bucket name as `pkrlint migrate` derives one: HCP_PACKER_BUCKET_NAME when it is a valid name, else the name
    // of the configuration (its directory, as migrate takes a template's file name), made a valid slug.
    const env = ctx.hcpEnv.bucketName?.value;
    const bucket = env && BUCKET_NAME_PATTERN.test(env) ? env : bucketSlug(basename(resolve(ctx.unit.dir)));
    const file = build.file;
    const text = file.text;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    let fix: Fix;
    if (supports(target, 'top-level-registry')) {
      fix = { description: `Add a top-level hcp_packer_registry block (bucket "${bucket}")`, edits: [topLevelInsert(file, ['hcp_packer_registry {', `  bucket_name = ${JSON.stringify(bucket)}`, '}'].join(eol))] };
    } else {
      // Before the top-level block, the build-level one: last in the build, indented one step in from the build.
      const b = build.block;
      const indent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', b.start) + 1))![0];
      const close = text.lastIndexOf('}', b.end - 1);
      const lineStart = text.lastIndexOf('\n', close - 1) + 1;
      const own = /^[ \t]*$/.test(text.slice(lineStart, close));
      const at = own ? lineStart : close;
      const lines = [`${indent}  hcp_packer_registry {`, `${indent}    bucket_name = ${JSON.stringify(bucket)}`, `${indent}  }`];
      const blank = b.body.statements.length ? eol : '';
      fix = { description: `Add an hcp_packer_registry block to the build (bucket "${bucket}")`, edits: [{ file, start: at, end: at, text: own ? `${blank}${lines.join(eol)}${eol}` : `${eol}${blank}${lines.join(eol)}${eol}${indent}` }] };
    }
    const where = supports(target, 'top-level-registry') ? 'at the top level' : `in the build block: the target Packer ${target} has no top-level block (it came with ${FEATURES['top-level-registry'].since})`;
    ctx.report({ messageId: 'missing', data: { where }, ...head, fix });
  },
);
