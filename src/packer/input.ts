/**
 * The one way `check` reads a file it did not write: templates, variable files, the configuration file, env files.
 * Input is untrusted (a repository checked in CI), so a read never follows a link out of the tree being checked,
 * never opens anything but a regular file (a FIFO would block forever, a device could be endless), never reads more
 * than a size limit, and reports invalid UTF-8 instead of hiding it. docs/security.md describes the policy.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errorWords, InputError } from './errors.js';

/** Files larger than this are not read (1 MiB: about 30 times the largest real templates we measured). */
export const DEFAULT_MAX_FILE_SIZE = 1024 * 1024;
/**
 * The most `maxFileSize` in a configuration file may allow. The configuration file comes with the repository, so it
 * must not be able to lift the limit far: parsing HCL costs about 200 bytes of memory per byte of input.
 */
export const MAX_FILE_SIZE_CEILING = 4 * 1024 * 1024;

export interface ReadPolicy {
  /**
   * The user named this file in an option (`--var-file`, `--env-file`, `--config`): a link may lead anywhere, and a
   * pipe from process substitution (`/dev/fd/N`) may be read. Anything found in or named as part of the checked tree
   * is not explicit.
   */
  explicit: boolean;
  /** For files that are not explicit: the directory the file's real path must stay in (the tree being checked). */
  root?: string;
  /** Files larger than this many bytes are not read; default DEFAULT_MAX_FILE_SIZE. */
  maxBytes?: number;
}

export type InputRead =
  | {
      ok: true;
      /** The file as UTF-8; invalid sequences are replaced by U+FFFD, as Go's decoders do. */
      text: string;
      /** Each U+FFFD that replaced invalid UTF-8, in order: its offset in `text` and the byte offset in the file. */
      invalidUtf8: Array<{ offset: number; byte: number }>;
    }
  | {
      ok: false;
      /** Why the file was not read, e.g. `a named pipe (FIFO), not a regular file`. Never the content. */
      problem: string;
      /** `missing`: not there at all (not even as a dangling link); `size`: over the limit; `unsafe`: a link or file kind never read; `io`: the system refused. */
      reason: 'missing' | 'size' | 'unsafe' | 'io';
    };

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Pipes the user passed by process substitution (`--env-file <(vault read …)`): their writer closes them. */
const PROCESS_PIPE = /^\/(?:dev\/fd|proc\/self\/fd)\/\d+$|^\/dev\/stdin$/;

function specialKind(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isDirectory()) return 'a directory';
  return 'not a regular file';
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

function tooBig(size: number, max: number): string {
  return `${formatSize(size)}, over the limit of ${formatSize(max)} per file (maxFileSize in .pkrlintrc.json)`;
}

/** Whether `p` is `root` or below it. Both must be real paths. */
function within(root: string, p: string): boolean {
  const r = relative(root, p);
  return r === '' || (r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r));
}

/** The link text of `p` as committed, quoted, for messages (never the resolved path: it would describe this machine). */
function linkText(p: string): string {
  try {
    return JSON.stringify(readlinkSync(p));
  } catch {
    return 'another file';
  }
}

type Refusal = Extract<InputRead, { ok: false }>;
const refuse = (reason: Refusal['reason'], problem: string): Refusal => ({ ok: false, reason, problem });

/**
 * Where a non-explicit file may be read from: its real path, or why not. The file or any directory on its way may be
 * a link; what counts is where it really is.
 */
function locate(path: string, root: string): { real: string } | Refusal {
  let real: string;
  try {
    real = realpathSync.native(path);
  } catch (e) {
    return systemRefusal(e, path);
  }
  let realRoot: string;
  try {
    realRoot = realpathSync.native(root);
  } catch {
    realRoot = resolve(root);
  }
  if (within(realRoot, real)) return { real };
  let isLink = false;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    /* gone meanwhile: described as below */
  }
  return refuse('unsafe', isLink ? `a symbolic link to ${linkText(path)}, outside the checked tree` : 'outside the checked tree (a directory on its way is a symbolic link)');
}

/** Reads from an open descriptor: at most `max` bytes (one more tells that the file grew past the limit). */
function readAll(fd: number, sizeHint: number, max: number): Buffer | undefined {
  let buf = Buffer.allocUnsafe(Math.min(Math.max(sizeHint + 1, 4096), max + 1));
  let len = 0;
  for (;;) {
    if (len === buf.length) {
      if (len > max) return undefined;
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, max + 1));
      buf.copy(bigger, 0, 0, len);
      buf = bigger;
    }
    const n = readSync(fd, buf, len, buf.length - len, null);
    if (n === 0) break;
    len += n;
  }
  return len > max ? undefined : buf.subarray(0, len);
}

function readOpen(fd: number, sizeHint: number, max: number): InputRead {
  const bytes = readAll(fd, sizeHint, max);
  return bytes ? decode(bytes) : refuse('size', tooBig(max + 1, max));
}

/** Why the system refused, in the words of a finding: a link that leads nowhere or in circles, or the error code. */
function systemRefusal(e: unknown, path: string): Refusal {
  const code = errCode(e);
  if (code === 'ELOOP') return refuse('unsafe', 'a symbolic link loop');
  if (code !== 'ENOENT') return refuse('io', errorWords(e));
  let dangling = false;
  try {
    dangling = lstatSync(path).isSymbolicLink();
  } catch {
    /* missing altogether */
  }
  return dangling ? refuse('unsafe', `a symbolic link to ${linkText(path)}, which does not exist`) : refuse('missing', 'no such file');
}

/** Opens, hands the descriptor over, closes; a failure to open or read is a refusal. */
function withOpen(path: string, flags: number, use: (fd: number) => InputRead): InputRead {
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (e) {
    return errCode(e) === 'ENXIO' ? refuse('unsafe', 'a socket or device, not a regular file') : systemRefusal(e, path);
  }
  try {
    return use(fd);
  } catch (e) {
    return systemRefusal(e, path);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a file under the policy. Never throws for the file's own problems (missing, unreadable, a link out of the
 * tree, a FIFO, too big): they come back as `problem`, worded to follow the file's name.
 */
export function readInput(path: string, policy: ReadPolicy): InputRead {
  const max = policy.maxBytes ?? DEFAULT_MAX_FILE_SIZE;
  let target = path;
  if (!policy.explicit && policy.root !== undefined) {
    const where = locate(path, policy.root);
    if ('problem' in where) return where;
    target = where.real;
  }
  // A device or a FIFO is refused before it is opened: opening some devices does something (a watchdog starts, a
  // tape rewinds). stat, then open, then fstat again: what was opened is what was checked.
  let st: Stats;
  try {
    st = statSync(target);
  } catch (e) {
    return systemRefusal(e, path);
  }
  // The exception: `<(…)` in an option gives a pipe whose writer closes it; it is read to its end, blocking, as any
  // other program would read it.
  if (policy.explicit && st.isFIFO() && PROCESS_PIPE.test(path)) return withOpen(path, constants.O_RDONLY, (fd) => readOpen(fd, 0, max));
  const kind = specialKind(st);
  if (kind) return refuse('unsafe', `${kind}, not a regular file`);
  // O_NONBLOCK: opening a FIFO must not wait for a writer. O_NOFOLLOW: the real path was checked, so a link appearing
  // there now is refused rather than followed.
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (target !== path ? constants.O_NOFOLLOW : 0);
  return withOpen(target, flags, (fd) => {
    const now = fstatSync(fd);
    const kindNow = specialKind(now);
    if (kindNow) return refuse('unsafe', `${kindNow}, not a regular file`);
    if (now.size > max) return refuse('size', tooBig(now.size, max));
    return readOpen(fd, now.size, max);
  });
}

/**
 * Reads a file the user named in an option, or throws InputError naming it (exit status 2). For the CLI:
 * `--env-file` must be read with `readInputFile(f, { explicit: true, what: 'env file' })`.
 */
export function readInputFile(path: string, opts: { explicit: boolean; what?: string; maxBytes?: number; root?: string }): string {
  const r = readInput(path, opts);
  if (r.ok) return r.text;
  throw new InputError(`${path}: cannot read ${opts.what ?? 'file'}: ${r.problem}`);
}

/**
 * UTF-8 bytes to text. Valid input (nearly always) takes the fast path; otherwise every invalid sequence becomes one
 * U+FFFD (WHATWG's maximal-subpart rule, which Buffer#toString follows too) and its place is recorded.
 */
export function decode(bytes: Uint8Array): Extract<InputRead, { ok: true }> {
  try {
    return { ok: true, text: fatalDecoder.decode(bytes), invalidUtf8: [] };
  } catch {
    const invalidUtf8: Array<{ offset: number; byte: number }> = [];
    let units = 0;
    let needed = 0;
    let seen = 0;
    let lower = 0x80;
    let upper = 0xbf;
    let seqStart = 0;
    const bad = (at: number) => {
      invalidUtf8.push({ offset: units, byte: at });
      units += 1;
    };
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (needed === 0) {
        seqStart = i;
        if (b <= 0x7f) units += 1;
        else if (b >= 0xc2 && b <= 0xdf) needed = 1;
        else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) lower = 0xa0;
          if (b === 0xed) upper = 0x9f;
          needed = 2;
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) lower = 0x90;
          if (b === 0xf4) upper = 0x8f;
          needed = 3;
        } else bad(i);
        continue;
      }
      if (b < lower || b > upper) {
        needed = seen = 0;
        lower = 0x80;
        upper = 0xbf;
        bad(seqStart);
        i--; // the byte starts over
        continue;
      }
      lower = 0x80;
      upper = 0xbf;
      if (++seen === needed) {
        units += needed === 3 ? 2 : 1;
        needed = seen = 0;
      }
    }
    if (needed) bad(seqStart);
    return { ok: true, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), invalidUtf8 };
  }
}

/** The repository root above a directory (the nearest ancestor with `.git`), found without following links. */
export function repositoryRoot(dir: string): string | undefined {
  let d = resolve(dir);
  for (;;) {
    try {
      lstatSync(join(d, '.git'));
      return d;
    } catch {
      /* not here */
    }
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}
