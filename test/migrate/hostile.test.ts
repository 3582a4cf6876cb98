// `pkrlint migrate` against hostile templates, as a user runs it: nesting deeper than the converter's bounds, Go
// template actions nested past them, shadowed secrets, terminal escape sequences in file names and template text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dirWith, fixturesDir, migrateCli as pkrlint } from './support.js';

const clean = () => readFileSync(join(fixturesDir, 'build-same-names', 'template.json'), 'utf8');

function nested(depth: number, inner: string, open = '[', close = ']'): string {
  return open.repeat(depth) + inner + close.repeat(depth);
}

test('deep nesting: a template nested deeper than migrate converts is one failed template naming the file, the others are converted', () => {
  // 3000 levels inside `push` (a key Packer ignores, and accepts up to its JSON limit of 10000 levels).
  const deep = `{"builders": [{"type": "null", "communicator": "none"}],\n"push": {"name": ${nested(3000, '"x"')}}}`;
  const dir = dirWith('deep', { 'deep.json': deep, 'web.json': clean() });
  const r = pkrlint(dir, ['deep.json', 'web.json']);
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /^deep\.json: not converted\n\s+error\s+deep\.json:2: nested more than 1100 levels deep; pkrlint migrate converts JSON nested up to 1100 levels/m);
  assert.not.match(r.err, /internal error|call stack/);
  assert.ok(existsSync(join(dir, 'web.pkr.hcl')));
  assert.not.ok(existsSync(join(dir, 'deep.pkr.hcl')));
  // Found by a directory search, it is still a template that failed (not a crash of the search).
  const search = pkrlint(dir, ['--dry-run', '--force', '.']);
  assert.match(search.err, /deep\.json: not converted/);
});

test('deep nesting that Packer passes to a component (about 1020 levels) converts', () => {
  // Packer 1.6.6's plugin protocol refuses component values nested deeper than about 1020 levels.
  const value = nested(1000, '{"k": "v"}', '{"a": ', '}');
  const dir = dirWith('deep-ok', { 'web.json': `{"builders": [{"type": "null", "communicator": "none"}], "provisioners": [{"type": "shell-local", "inline": ["echo"], "environment": ${value}}]}` });
  const r = pkrlint(dir, ['web.json']);
  assert.ok(r.code === 0 || r.code === 1, r.err);
  const hcl = readFileSync(join(dir, 'web.pkr.hcl'), 'utf8');
  assert.is(hcl.match(/a = \{/g)?.length, 1000);
});

test('a Go template action with 1500 nested parentheses: a review, kept as text; the template is converted', () => {
  const action = `{{${'(lower '.repeat(1500)}\`X\`${')'.repeat(1500)}}}`;
  const dir = dirWith('parens', { 'web.json': JSON.stringify({ builders: [{ type: 'null', communicator: 'none' }], provisioners: [{ type: 'shell-local', inline: [`echo ${action}`] }] }) });
  const r = pkrlint(dir, ['web.json']);
  assert.is(r.code, 1, r.err);
  assert.match(r.err, /review\s+web\.json:1 -> web\.pkr\.hcl:\d+: template syntax error \(parentheses nested more than 100 deep\); the value is kept as literal text/);
  assert.ok(readFileSync(join(dir, 'web.pkr.hcl'), 'utf8').includes('(lower (lower'));
});

test('a shadowed sensitive default is <sensitive> in the report and the TODO comments; the HCL keeps it sensitive', () => {
  const template = `{
  "variables": {
    "db_password": "old-hunter2",
    "db_password": "hunter2",
    "region": "eu-west-1"
  },
  "variables": {
    "db_password": "hunter2",
    "region": "eu-west-1",
    "api_key": "{{sed \`topsecret\`}}"
  },
  "sensitive-variables": ["db_password", "api_key"],
  "builders": [{"type": "null", "communicator": "none"}],
  "provisioners": [{"type": "shell-local", "inline": ["echo {{user \`region\`}}"]}]
}`;
  const dir = dirWith('secret', { 'web.json': template });
  const r = pkrlint(dir, ['web.json']);
  assert.is(r.code, 1, r.err);
  const hcl = readFileSync(join(dir, 'web.pkr.hcl'), 'utf8');
  assert.not.match(r.err, /hunter2|topsecret/);
  assert.match(r.err, /duplicate key "db_password" \(kept: the one on line 4\): this earlier value is ignored, as Packer ignores it: <sensitive>/);
  assert.match(r.err, /duplicate key "variables" \(kept: the one on line 7\): this earlier value is ignored, as Packer ignores it: \{"db_password":<sensitive>,"region":"eu-west-1"\}/);
  // An untranslatable action in a sensitive default: the review says what is wrong, not what the value is.
  assert.match(r.err, /review\s+web\.json:10 -> web\.pkr\.hcl:\d+: <sensitive>: has no HCL2 translation \(details not shown: the value is sensitive\); kept as literal text/);
  const comments = hcl.split('\n').filter((l) => l.trimStart().startsWith('#'));
  assert.ok(comments.length >= 2, hcl);
  assert.not.match(comments.join('\n'), /hunter2|topsecret/);
  assert.match(hcl, /local "api_key" \{\n\s+expression = .*topsecret.*\n\s+sensitive\s+= true\n\}/);
  assert.match(hcl, /variable "db_password" \{\n\s+type\s+= string\n\s+default\s+= "hunter2"\n\s+sensitive = true\n\}/);
});

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
