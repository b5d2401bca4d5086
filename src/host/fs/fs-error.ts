/**
 * Errors shaped like Node's own system errors, for the few places where provision detects a
 * condition itself (the dry-run overlay, copyTree's checks) and callers switch on `code`.
 */

import { constants } from 'node:os';

export type FsError = NodeJS.ErrnoException & { code: string };

export function fsError(code: string, syscall: string, path: string, detail?: string): FsError {
  const message = `${code}: ${detail ?? describe(code)}, ${syscall} '${path}'`;
  const errno = (constants.errno as Record<string, number | undefined>)[code];
  const error = new Error(message) as FsError;
  error.code = code;
  error.syscall = syscall;
  error.path = path;
  if (errno !== undefined) error.errno = -errno;
  return error;
}

function describe(code: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EEXIST':
      return 'file already exists';
    case 'ENOTDIR':
      return 'not a directory';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTEMPTY':
      return 'directory not empty';
    case 'EINVAL':
      return 'invalid argument';
    default:
      return 'operation failed';
  }
}

/** What an aborted copy throws: callers test `name === 'AbortError'`, as for fetch and timers. */
export class AbortError extends Error {
  readonly code = 'ABORT_ERR';
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AbortError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) throw new AbortError(`${what} was aborted`, { cause: signal.reason });
}
