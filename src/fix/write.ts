/**
 * Writing an output file safely, for every command that writes files (`migrate` and `check --fix`):
 *
 * - the text goes to a temporary file in the output's directory, is flushed to disk (fsync), and only then takes
 *   the output's name, so that a reader never sees half a file;
 * - without `overwrite`, the output is created exclusively (a hard link from the temporary file, which fails when
 *   anything, even a dangling symbolic link, already has the name): of several runs racing for one output, exactly
 *   one writes it;
 * - with `overwrite`, the temporary file is renamed over the output: a symbolic link there is replaced by the file,
 *   never written through to its target, and a replaced regular file's permission bits are kept;
 * - the temporary file is removed on every failure path; one left behind by a run that was killed
 *   (`.NAME.pkrlint-<pid>-<random>.tmp`) is removed by a later run that writes into the same directory, once that
 *   process is gone (checked on this machine) or the file is older than STALE_AFTER_MS.
 */
import { errorWords } from '../packer/errors.js';
import { readInput } from '../packer/input.js';
import * as nodeFs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** The file-system calls the writer makes: a seam for tests that inject failures (a full disk, a failing rename). */
export interface WriteFs {
  openSync: typeof nodeFs.openSync;
  writeSync: (fd: number, buffer: Buffer, offset: number, length: number) => number;
  fsyncSync: typeof nodeFs.fsyncSync;
  fchmodSync: typeof nodeFs.fchmodSync;
  fstatSync: (fd: number) => nodeFs.Stats;
  closeSync: typeof nodeFs.closeSync;
  linkSync: typeof nodeFs.linkSync;
  renameSync: typeof nodeFs.renameSync;
  unlinkSync: typeof nodeFs.unlinkSync;
  mkdirSync: (path: string) => void;
  lstatSync: (path: string) => nodeFs.Stats;
  statSync: (path: string) => nodeFs.Stats;
  readdirSync: (path: string) => string[];
}

const realFs: WriteFs = {
  openSync: nodeFs.openSync,
  writeSync: (fd, buffer, offset, length) => nodeFs.writeSync(fd, buffer, offset, length),
  fsyncSync: nodeFs.fsyncSync,
  fchmodSync: nodeFs.fchmodSync,
  fstatSync: (fd) => nodeFs.fstatSync(fd),
  closeSync: nodeFs.closeSync,
  linkSync: nodeFs.linkSync,
  renameSync: nodeFs.renameSync,
  unlinkSync: nodeFs.unlinkSync,
  mkdirSync: (p) => nodeFs.mkdirSync(p),
  lstatSync: (p) => nodeFs.lstatSync(p),
  statSync: (p) => nodeFs.statSync(p),
  readdirSync: (p) => nodeFs.readdirSync(p),
};

/** A temporary file older than this is stale even when a process with its pid exists (the pid was reused). */
export const STALE_AFTER_MS = 15 * 60 * 1000;

/** `.NAME.pkrlint-<pid>-<8 hex digits>.tmp`: what a later run recognises as its own leftover. */
const TEMP_NAME = /^\..*\.pkrlint-(\d+)-[0-9a-f]{8}\.tmp$/s;

/** A failure to write an output: `code` is the system's (EEXIST: the output exists and overwrite was not asked). */
export class WriteError extends Error {
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a regular file the user named (a template to migrate, an output to diff against) as UTF-8 text, with the
 * same reader and the same refusals as every other input (src/packer/input.ts): a FIFO would block forever, a device
 * (/dev/zero) never end, a directory is no text. No size limit: migrate's inputs are the user's own choice, and
 * large templates (a 12 MB comment) are converted. Throws an Error whose message says why, in words.
 */
export function readRegularText(path: string): string {
  const r = readInput(path, { explicit: true, maxBytes: Number.MAX_SAFE_INTEGER });
  if (!r.ok) throw new Error(r.problem);
  return r.text;
}

function codeOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Whether a process with this pid exists on this machine (EPERM: it exists but belongs to someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return codeOf(e) === 'EPERM';
  }
}

/** Link calls that fail this way mean the file system has no hard links (FAT, some network file systems). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

export class SafeWriter {
  private readonly fs: WriteFs;
  /** How paths are named in messages (e.g. relative to the working directory). */
  private readonly show: (p: string) => string;
  /** Directories already swept for stale temporary files in this run (a directory is read once, not per output). */
  private readonly swept = new Set<string>();

  constructor(opts: { fs?: Partial<WriteFs>; show?: (p: string) => string } = {}) {
    this.fs = { ...realFs, ...opts.fs };
    this.show = opts.show ?? ((p) => p);
  }

  /** What has this name (a file, a directory, a link, even a dangling one: lstat), or undefined. Errors other than ENOENT are thrown. */
  entry(path: string): nodeFs.Stats | undefined {
    try {
      return this.fs.lstatSync(path);
    } catch (e) {
      if (codeOf(e) === 'ENOENT') return undefined;
      throw new WriteError(codeOf(e), `cannot look at ${this.show(path)}: ${errorWords(e)}`);
    }
  }

  /**
   * Writes `text` to `path` (see the module comment). Throws WriteError, with the cause in words and the path it
   * concerns; nothing is left behind on failure, and an existing output is untouched unless `overwrite`.
   */
  write(path: string, text: string, opts: { overwrite: boolean }): void {
    const dir = dirname(path);
    this.makeDirectory(dir);
    this.sweep(dir);
    // A long output name still leaves room for the suffix within NAME_MAX (255 bytes).
    const stem = Buffer.from(basename(path)).subarray(0, 180).toString();
    const tmp = join(dir, `.${stem}.pkrlint-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    let fd: number | undefined;
    let step = 'create a temporary file';
    try {
      fd = this.fs.openSync(tmp, 'wx', 0o666);
      if (opts.overwrite) {
        // Keep the permission bits of a regular file being replaced (a 0600 file stays private).
        const old = this.statIfRegular(path);
        if (old) {
          step = 'set permissions on the temporary file';
          this.fs.fchmodSync(fd, old.mode & 0o7777);
        }
      }
      step = 'write';
      const data = Buffer.from(text, 'utf8');
      for (let off = 0; off < data.length; ) off += this.fs.writeSync(fd, data, off, data.length - off);
      step = 'flush to disk';
      this.fs.fsyncSync(fd);
      step = 'close';
      const closing = fd;
      fd = undefined;
      this.fs.closeSync(closing);
      step = opts.overwrite ? 'replace' : 'create';
      if (opts.overwrite) this.fs.renameSync(tmp, path);
      else this.createExclusively(tmp, path);
    } catch (e) {
      if (fd !== undefined)
        try {
          this.fs.closeSync(fd);
        } catch {
          // Already failing: the first error is the one to report.
        }
      this.removeQuietly(tmp);
      if (e instanceof WriteError) throw e;
      const code = codeOf(e);
      if (code === 'EEXIST' && step === 'create') throw new WriteError('EEXIST', `${this.show(path)}: already exists`);
      throw new WriteError(code, `cannot ${step} ${step === 'create a temporary file' ? `in ${this.show(dir)}` : this.show(path)}: ${errorWords(e)}`);
    }
    this.syncDirectory(dir);
  }

  /** Gives the temporary file the output's name only if nothing has it; the temporary name is then removed. */
  private createExclusively(tmp: string, path: string): void {
    try {
      this.fs.linkSync(tmp, path);
    } catch (e) {
      if (!NO_LINKS.has(codeOf(e) ?? '')) throw e;
      this.createWithoutLinks(tmp, path);
      return;
    }
    this.removeQuietly(tmp); // The output is complete; a leftover name would be swept as stale by a later run.
  }

  /**
   * Without hard links: the name is claimed by creating an empty file exclusively, then the temporary file is renamed
   * over it. Readers may see the empty file for a moment, never a partial one; the claim is removed if the rename fails.
   */
  private createWithoutLinks(tmp: string, path: string): void {
    const claim = this.fs.openSync(path, 'wx', 0o666);
    const claimed = this.fs.fstatSync(claim);
    this.fs.closeSync(claim);
    try {
      this.fs.renameSync(tmp, path);
    } catch (e) {
      try {
        const now = this.fs.lstatSync(path);
        if (now.ino === claimed.ino && now.dev === claimed.dev) this.fs.unlinkSync(path);
      } catch {
        // The claim is gone already.
      }
      throw e;
    }
  }

  private statIfRegular(path: string): nodeFs.Stats | undefined {
    try {
      const st = this.fs.lstatSync(path);
      return st.isFile() ? st : undefined;
    } catch {
      return undefined;
    }
  }

  /** Creates a directory and its missing parents one by one, so that a failure names its real cause and place. */
  private makeDirectory(dir: string): void {
    const missing: string[] = [];
    let d = dir;
    for (;;) {
      try {
        const st = this.fs.statSync(d);
        if (!st.isDirectory()) {
          const inside = missing.length ? `cannot create directory ${this.show(missing[missing.length - 1])}: ` : '';
          throw new WriteError('ENOTDIR', `${inside}${this.show(d)} is not a directory`);
        }
        break;
      } catch (e) {
        if (e instanceof WriteError) throw e;
        // ENOTDIR: some parent is a file; going up finds which.
        if ((codeOf(e) !== 'ENOENT' && codeOf(e) !== 'ENOTDIR') || dirname(d) === d) throw new WriteError(codeOf(e), `cannot create directory ${this.show(dir)}: ${errorWords(e)}${d === dir ? '' : ` (${this.show(d)})`}`);
        missing.push(d);
        d = dirname(d);
      }
    }
    for (const m of missing.reverse()) {
      try {
        this.fs.mkdirSync(m);
      } catch (e) {
        // Made meanwhile by someone else: fine if it is a directory now.
        if (codeOf(e) === 'EEXIST' && this.isDirectory(m)) continue;
        throw new WriteError(codeOf(e), `cannot create directory ${this.show(m)}: ${errorWords(e)}`);
      }
    }
  }

  private isDirectory(p: string): boolean {
    try {
      return this.fs.statSync(p).isDirectory();
    } catch {
      return false;
    }
  }

  /** Removes the temporary files that runs killed while writing left in a directory (see the module comment). */
  private sweep(dir: string): void {
    if (this.swept.has(dir)) return;
    this.swept.add(dir);
    let names: string[];
    try {
      names = this.fs.readdirSync(dir);
    } catch {
      return; // Writing will say what is wrong with the directory.
    }
    const now = Date.now();
    for (const name of names) {
      const m = TEMP_NAME.exec(name);
      if (!m) continue;
      const pid = Number(m[1]);
      const p = join(dir, name);
      try {
        const st = this.fs.lstatSync(p);
        if (!st.isFile()) continue;
        if (pid !== process.pid && (!alive(pid) || now - st.mtimeMs > STALE_AFTER_MS)) this.fs.unlinkSync(p);
      } catch {
        // Removed meanwhile, or not ours to remove: left alone.
      }
    }
  }

  private removeQuietly(p: string): void {
    try {
      this.fs.unlinkSync(p);
    } catch {
      // Gone already, or the directory refuses: nothing more can be done here, and a later run sweeps it.
    }
  }

  /** Makes the new directory entry durable; file systems that cannot sync a directory are not an error. */
  private syncDirectory(dir: string): void {
    let fd: number | undefined;
    try {
      fd = nodeFs.openSync(dir, 'r');
      nodeFs.fsyncSync(fd);
    } catch {
      // EINVAL/EISDIR on some file systems: the rename is still done.
    } finally {
      if (fd !== undefined) nodeFs.closeSync(fd);
    }
  }
}

export { errorWords };
