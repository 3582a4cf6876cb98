// `pkrlint migrate` against hostile templates, as a user runs it: terminal escape sequences in file names and
// template text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dirWith, migrateCli as pkrlint } from './support.js';

test('terminal escapes in file names and template text reach the terminal as visible text, and never break an HCL comment', () => {
  const key = 'bad\u001b]0;pwned\u0007\nsource "null" "injected" {}';
  const template = JSON.stringify({ builders: [{ type: 'null', communicator: 'none', [key]: 'x' }], provisioners: [{ type: 'shell-local', inline: ['{{sed "\u001b[2J"}}'] }] });
  const name = 'evil\u001b[2J.json';
  const dir = dirWith('escapes', { [name]: template });
  const r = pkrlint(dir, [name]);
  assert.is(r.code, 1, r.err);
  assert.not.match(r.err, /[\u001b\u0007]/, 'no raw control characters on stderr');
  assert.match(r.err, /^evil\\x1b\[2J\.json -> evil\\x1b\[2J\.pkr\.hcl: converted, 2 constructs to review/);
  assert.match(r.err, /"bad\\x1b\]0;pwned\\x07\\nsource "null" "injected" \{\}" cannot be an HCL2 argument name/);
  assert.match(r.err, /`\{\{sed "\\x1b\[2J"\}\}`: function `sed` has no HCL2 translation/);
  const hcl = readFileSync(join(dir, 'evil\u001b[2J.pkr.hcl'), 'utf8');
  assert.not.match(hcl, /[\u0000-\u0008\u000b-\u001f\u007f]/, 'no raw control characters in the output');
  assert.not.match(hcl, /^source "null" "injected"/m, 'the key did not become HCL');
  assert.is(hcl.match(/^source /gm)?.length, 1);
});

test.run();
