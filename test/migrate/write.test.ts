// The safe writer (src/fix/write.ts) that migrate uses and `check --fix` will: failures injected through its
// file-system seam (a full disk, a failing fsync, rename or link) leave no temporary file and no partial output;
// exclusive creation never replaces anything, links included; leftovers of killed runs are swept.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { errorWords, readRegularText, SafeWriter, STALE_AFTER_MS, WriteError, type WriteFs } from '../../src/fix/write.js';
import { tempDir } from './support.js';

const TEXT = 'source "null" "x" {\n  communicator = "none"\n}\n'.repeat(2000);

function fsError(code: string, syscall: string): NodeJS.ErrnoException {
  const e = new Error(`${code}: injected, ${syscall}`) as NodeJS.ErrnoException;
  e.code = code;
  e.syscall = syscall;
  return e;
}

/** Throws WriteError; returns it for the assertions. */
function failing(w: SafeWriter, path: string, overwrite = false): WriteError {
  try {
    w.write(path, TEXT, { overwrite });
  } catch (e) {
    if (e instanceof WriteError) return e;
    throw e;
  }
  throw new Error('the write was expected to fail');
}

const leftovers = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

test('a full disk in the middle of the write: no temporary file, no output, the cause in words', () => {
  const dir = tempDir('write-enospc');
  let written = 0;
  const fs: Partial<WriteFs> = {
    // The first chunk goes to disk, then the device is full: a half-written temporary file exists at that moment.
    writeSync: (fd, buffer, offset, length) => {
      if (written > 0) throw fsError('ENOSPC', 'write');
      written = Math.min(length, 4096);
      return writeSync(fd, buffer, offset, written);
    },
  };
  const e = failing(new SafeWriter({ fs }), join(dir, 'big.pkr.hcl'));
  assert.is(e.code, 'ENOSPC');
  assert.match(e.message, /cannot write .*big\.pkr\.hcl: no space left on device/);
  assert.ok(written > 0, 'part of the file was written before the failure');
  assert.equal(readdirSync(dir), [], 'neither the output nor the temporary file is left');
});

test('short writes are continued until every byte is written', () => {
  const dir = tempDir('write-short');
  const fs: Partial<WriteFs> = { writeSync: (fd, buffer, offset, length) => writeSync(fd, buffer, offset, Math.min(length, 1000)) };
  new SafeWriter({ fs }).write(join(dir, 'a.pkr.hcl'), TEXT, { overwrite: false });
  assert.is(readFileSync(join(dir, 'a.pkr.hcl'), 'utf8'), TEXT);
});

for (const [what, fs, code, words] of [
  ['fsync fails', { fsyncSync: () => { throw fsError('EIO', 'fsync'); } }, 'EIO', /cannot flush to disk .*: input\/output error/],
  ['the exclusive link fails', { linkSync: () => { throw fsError('EDQUOT', 'link'); } }, 'EDQUOT', /cannot create .*: disk quota exceeded/],
  ['something throws that is not a system error', { fsyncSync: () => { throw new TypeError('boom'); } }, undefined, /cannot flush to disk .*: boom/],
] as [string, Partial<WriteFs>, string | undefined, RegExp][]) {
  test(`${what}: no temporary file, no output`, () => {
    const dir = tempDir('write-fail');
    const e = failing(new SafeWriter({ fs }), join(dir, 'a.pkr.hcl'));
    assert.is(e.code, code);
    assert.match(e.message, words);
    assert.equal(readdirSync(dir), []);
  });
}

test('the rename of --force fails: the old output is untouched and no temporary file is left', () => {
  const dir = tempDir('write-rename');
  writeFileSync(join(dir, 'a.pkr.hcl'), 'mine\n');
  const e = failing(new SafeWriter({ fs: { renameSync: () => { throw fsError('EBUSY', 'rename'); } } }), join(dir, 'a.pkr.hcl'), true);
  assert.match(e.message, /cannot replace .*a\.pkr\.hcl: device or resource busy/);
  assert.equal(readdirSync(dir), ['a.pkr.hcl']);
  assert.is(readFileSync(join(dir, 'a.pkr.hcl'), 'utf8'), 'mine\n');
});

test('without overwrite, anything at the output path stays: a file, a dangling link, a link to a file, a directory', () => {
  const dir = tempDir('write-exclusive');
  writeFileSync(join(dir, 'target.txt'), 'precious\n');
  writeFileSync(join(dir, 'file.pkr.hcl'), 'mine\n');
  symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.pkr.hcl'));
  symlinkSync(join(dir, 'target.txt'), join(dir, 'link.pkr.hcl'));
  mkdirSync(join(dir, 'dir.pkr.hcl'));
  const w = new SafeWriter();
  for (const name of ['file.pkr.hcl', 'dangling.pkr.hcl', 'link.pkr.hcl', 'dir.pkr.hcl']) {
    const e = failing(w, join(dir, name));
    assert.is(e.code, 'EEXIST', name);
  }
  assert.is(readFileSync(join(dir, 'file.pkr.hcl'), 'utf8'), 'mine\n');
  assert.is(readlinkSync(join(dir, 'dangling.pkr.hcl')), join(dir, 'nowhere'));
  assert.not.ok(existsSync(join(dir, 'nowhere')), 'nothing was written through the dangling link');
  assert.is(readFileSync(join(dir, 'target.txt'), 'utf8'), 'precious\n');
  assert.equal(leftovers(dir), []);
});

test('with overwrite, a link at the output is replaced by the file, and its target is not written', () => {
  const dir = tempDir('write-link');
  writeFileSync(join(dir, 'target.txt'), 'precious\n');
  symlinkSync(join(dir, 'target.txt'), join(dir, 'link.pkr.hcl'));
  symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.pkr.hcl'));
  const w = new SafeWriter();
  w.write(join(dir, 'link.pkr.hcl'), TEXT, { overwrite: true });
  w.write(join(dir, 'dangling.pkr.hcl'), TEXT, { overwrite: true });
  for (const name of ['link.pkr.hcl', 'dangling.pkr.hcl']) {
    assert.ok(lstatSync(join(dir, name)).isFile(), name);
    assert.is(readFileSync(join(dir, name), 'utf8'), TEXT);
  }
  assert.is(readFileSync(join(dir, 'target.txt'), 'utf8'), 'precious\n');
  assert.not.ok(existsSync(join(dir, 'nowhere')));
});

test('with overwrite, a replaced file keeps its permission bits', () => {
  const dir = tempDir('write-mode');
  writeFileSync(join(dir, 'a.pkr.hcl'), 'old\n');
  chmodSync(join(dir, 'a.pkr.hcl'), 0o600);
  new SafeWriter().write(join(dir, 'a.pkr.hcl'), TEXT, { overwrite: true });
  assert.is(statSync(join(dir, 'a.pkr.hcl')).mode & 0o777, 0o600);
});

test('a file system without hard links: the name is claimed exclusively, then replaced', () => {
  const dir = tempDir('write-nolinks');
  const fs: Partial<WriteFs> = { linkSync: () => { throw fsError('EPERM', 'link'); } };
  const w = new SafeWriter({ fs });
  w.write(join(dir, 'a.pkr.hcl'), TEXT, { overwrite: false });
  assert.is(readFileSync(join(dir, 'a.pkr.hcl'), 'utf8'), TEXT);
  assert.is(failing(w, join(dir, 'a.pkr.hcl')).code, 'EEXIST', 'the claim is exclusive too');
  assert.is(readFileSync(join(dir, 'a.pkr.hcl'), 'utf8'), TEXT);
  // The rename after the claim fails: the claimed empty file is removed again.
  const broken = new SafeWriter({ fs: { ...fs, renameSync: () => { throw fsError('EIO', 'rename'); } } });
  failing(broken, join(dir, 'b.pkr.hcl'));
  assert.equal(readdirSync(dir), ['a.pkr.hcl']);
});

test('missing directories are created; a file on the way or an unusable path names the cause', () => {
  const dir = tempDir('write-dirs');
  const w = new SafeWriter({ show: (p) => p.slice(dir.length + 1) });
  w.write(join(dir, 'a', 'b', 'c.pkr.hcl'), TEXT, { overwrite: false });
  assert.is(readFileSync(join(dir, 'a', 'b', 'c.pkr.hcl'), 'utf8'), TEXT);
  writeFileSync(join(dir, 'plain'), 'x');
  assert.is(failing(w, join(dir, 'plain', 'c.pkr.hcl')).message, 'plain is not a directory');
  assert.is(failing(w, join(dir, 'plain', 'sub', 'c.pkr.hcl')).message, 'cannot create directory plain/sub: plain is not a directory');
  symlinkSync('loop', join(dir, 'loop'));
  assert.is(failing(w, join(dir, 'loop', 'c.pkr.hcl')).message, 'cannot create directory loop: too many levels of symbolic links');
});

test('a very long output name still gets a temporary file within the name length limit', () => {
  const dir = tempDir('write-long');
  const name = `${'é'.repeat(120)}.pkr.hcl`; // 249 bytes: the suffix alone would exceed 255
  new SafeWriter().write(join(dir, name), TEXT, { overwrite: false });
  assert.equal(readdirSync(dir), [name]);
});

test('temporary files of killed runs are swept: a dead pid, or older than the stale age; live and foreign files stay', () => {
  const dir = tempDir('write-sweep');
  // A pid that is certainly dead: a child that has exited.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  const names = {
    dead: `.web.pkr.hcl.pkrlint-${dead}-0a1b2c3d.tmp`,
    oldButAlive: `.other.pkr.hcl.pkrlint-${process.ppid}-00000000.tmp`,
    alive: `.web.pkr.hcl.pkrlint-${process.ppid}-11111111.tmp`,
    foreign: `.web.pkr.hcl.12345.tmp`,
    user: 'notes.tmp',
  };
  for (const n of Object.values(names)) writeFileSync(join(dir, n), 'half');
  const old = (Date.now() - STALE_AFTER_MS - 60_000) / 1000;
  utimesSync(join(dir, names.oldButAlive), old, old);
  new SafeWriter().write(join(dir, 'web.pkr.hcl'), TEXT, { overwrite: false });
  assert.equal(readdirSync(dir).sort(), [names.foreign, names.alive, 'notes.tmp', 'web.pkr.hcl'].sort());
});

test('reading refuses what is not a regular file, without blocking on a FIFO', () => {
  const dir = tempDir('read');
  const fifo = join(dir, 'fifo.json');
  assert.is(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
  assert.throws(() => readRegularText(fifo), /^a named pipe \(FIFO\), not a regular file$/);
  assert.throws(() => readRegularText(dir), /^a directory, not a regular file$/);
  assert.throws(() => readRegularText('/dev/zero'), /^a character device, not a regular file$/);
  assert.throws(() => readRegularText(join(dir, 'missing.json')), /^no such file$/);
  writeFileSync(join(dir, 'ok.json'), '{}');
  assert.is(readRegularText(join(dir, 'ok.json')), '{}');
});

test('error codes in words', () => {
  assert.is(errorWords(fsError('EACCES', 'open')), 'permission denied');
  assert.is(errorWords(fsError('ELOOP', 'stat')), 'too many levels of symbolic links');
  assert.is(errorWords(fsError('ENOSPC', 'write')), 'no space left on device');
  assert.is(errorWords(fsError('EWHATEVER', 'x')), 'EWHATEVER');
});

test.run();
