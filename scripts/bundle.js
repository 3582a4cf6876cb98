#!/usr/bin/env node
// Bundles the compiled CLI (build/src/cli/main.js) into one file, dist/pkrlint.mjs, which bin/pkrlint runs, with the
// two WebAssembly files of the parser beside it and the licences of everything bundled.
//
// dist/ is committed: pre-commit and `npm install -g git+…` install pkrlint from the repository without building it
// (a nested install has no devDependencies, and pre-commit 3 reads the tarball name from `npm pack`'s stdout, which
// a `prepare` script would pollute). So the installed package has no dependencies, no install script and no native
// code. test/install.test.ts checks that the committed dist/ is what the sources build.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
mkdirSync('dist', { recursive: true });
const result = await build({
  entryPoints: ['build/src/cli/main.js'],
  outfile: 'dist/pkrlint.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  define: { PKRLINT_VERSION: JSON.stringify(version) },
  // CommonJS dependencies need a require().
  banner: { js: "import { createRequire as __pkrlintRequire } from 'node:module'; const require = __pkrlintRequire(import.meta.url);" },
  minify: true,
  keepNames: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

const GRAMMAR = 'node_modules/@tree-sitter-grammars/tree-sitter-hcl';
copyFileSync('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm');
copyFileSync(join(GRAMMAR, 'tree-sitter-hcl.wasm'), 'dist/tree-sitter-hcl.wasm');

// Every package whose code is in dist/, with its licence text.
const packages = new Set([GRAMMAR, 'node_modules/web-tree-sitter']);
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(?:.*\/)?node_modules\/(?:@[^/]+\/)?[^/]+/.exec(input);
  if (m) packages.add(m[0]);
}
let notices = 'Third-party software bundled in dist/ (pkrlint.mjs, tree-sitter.wasm, tree-sitter-hcl.wasm).\n';
for (const dir of [...packages].sort()) {
  const { name, version: v, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  notices += `\n${'='.repeat(80)}\n${name} ${v} (${license})\n${'='.repeat(80)}\n`;
  notices += file ? readFileSync(join(dir, file), 'utf8').trim() + '\n' : `(no licence file in the package; its package.json says ${license})\n`;
}
writeFileSync('dist/THIRD-PARTY-NOTICES.txt', notices);
