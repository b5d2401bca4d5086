/**
 * Turns what an external copier (GNU cp, ditto) wrote to stderr back into a Node-style errno
 * error, so the move's error handling (engine/apply/run-relocate.ts) gives the same clear
 * messages as for a copy made by Node: ENOSPC "the drive filled up", EACCES "permission
 * denied"... Both tools end an error line with strerror(3)'s text for errno; cp runs with
 * LC_ALL=C so the text is the C locale's. glibc and the BSD libc (macOS) word a few differently:
 * both are listed.
 */

import { fsError, type FsError } from './fs-error.js';

const BY_TEXT: readonly [string, string][] = [
  ['No space left on device', 'ENOSPC'],
  ['Disk quota exceeded', 'EDQUOT'],
  ['Disc quota exceeded', 'EDQUOT'],
  ['Permission denied', 'EACCES'],
  ['Operation not permitted', 'EPERM'],
  ['Read-only file system', 'EROFS'],
  ['Input/output error', 'EIO'],
  ['No such file or directory', 'ENOENT'],
  ['Transport endpoint is not connected', 'ENOTCONN'],
  ['Socket is not connected', 'ENOTCONN'],
  ['No such device or address', 'ENXIO'],
  ['Device not configured', 'ENXIO'],
  ['No such device', 'ENODEV'],
  ['Operation not supported by device', 'ENODEV'],
  ['Stale file handle', 'ESTALE'],
  ['Stale NFS file handle', 'ESTALE'],
  ['File exists', 'EEXIST'],
  ['Not a directory', 'ENOTDIR'],
  ['Is a directory', 'EISDIR'],
  ['Directory not empty', 'ENOTEMPTY'],
  ['File name too long', 'ENAMETOOLONG'],
  ['File too large', 'EFBIG'],
  ['Too many links', 'EMLINK'],
  ['Too many levels of symbolic links', 'ELOOP'],
  ['Invalid cross-device link', 'EXDEV'],
  ['Operation not supported', 'ENOTSUP'],
  ['Invalid argument', 'EINVAL'],
];

/**
 * The first line of stderr that names a known errno, as an FsError whose path is the first
 * quoted path of that line (cp quotes 'x'; ditto writes "ditto: /path: text"). Undefined when no
 * line names one (then the caller reports the tool's own words).
 */
export function copierError(tool: string, stderr: string): FsError | undefined {
  for (const line of stderr.split('\n')) {
    // Longest texts first would matter only for prefixes; match at the end of the line.
    const found = BY_TEXT.find(([text]) => line.trimEnd().endsWith(`: ${text}`));
    if (found === undefined) continue;
    const path = /'([^']*)'/.exec(line)?.[1] ?? /^[^:]+: (.+): [^:]+$/.exec(line.trimEnd())?.[1] ?? '';
    const error = fsError(found[1], tool, path, line.trim());
    return error;
  }
  return undefined;
}

/** What a copier's failure becomes: an errno error when stderr names one, else an Error with its words. */
export function copierFailure(tool: string, exitCode: number, stderr: string): Error {
  const known = copierError(tool, stderr);
  if (known !== undefined) return known;
  const words = stderr.trim().split('\n').slice(0, 3).join('; ');
  return new Error(`${tool} failed (exit status ${exitCode})${words === '' ? '' : `: ${words}`}`);
}
