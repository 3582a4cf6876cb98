/** A file or directory the user asked about cannot be read: exit status 2, one line naming it. */
export class InputError extends Error {}

/** What the operating system's error codes mean, in words (as `strerror` says them). */
const WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  ELOOP: 'too many levels of symbolic links',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
  EEXIST: 'file exists',
  ENAMETOOLONG: 'file name too long',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in system',
  EBUSY: 'device or resource busy',
  ETXTBSY: 'text file busy',
  EMLINK: 'too many links',
  EXDEV: 'invalid cross-device link',
  EAGAIN: 'resource temporarily unavailable',
  ENXIO: 'no such device or address',
  ENODEV: 'no such device',
  EINVAL: 'invalid argument',
  ENOTSUP: 'operation not supported',
  EOPNOTSUPP: 'operation not supported',
  ENOSYS: 'function not implemented',
  ERR_FS_FILE_TOO_LARGE: 'file too large to read',
  ERR_STRING_TOO_LONG: 'file too large to read',
};

/** A file-system error in words: `permission denied`, `no space left on device`; the code itself when unknown. */
export function errorWords(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code && WORDS[code]) return WORDS[code];
  if (code) return code;
  return e instanceof Error ? e.message : String(e);
}
