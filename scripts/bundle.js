#!/usr/bin/env node
// Bundles the compiled CLI (dist/src/cli/main.js) into one file, dist/pkrlint.mjs, which bin/pkrlint runs.
// One file instead of ~150 modules takes most of the module-loading time off every start (a pre-commit call
// starts pkrlint once per commit). The tree-sitter addons stay outside: they are native code.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/cli/main.js'],
  outfile: 'dist/pkrlint.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  mainFields: ['module', 'main'],
  external: ['tree-sitter', '@tree-sitter-grammars/tree-sitter-hcl'],
  // Lazily imported modules (the migrator) go into the same file; CommonJS dependencies need a require().
  banner: { js: "import { createRequire as __pkrlintRequire } from 'node:module'; const require = __pkrlintRequire(import.meta.url);" },
  minify: true,
  keepNames: true,
  logLevel: 'warning',
});
