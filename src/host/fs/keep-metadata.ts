/**
 * Setting a mode, times or an owner on a file system that cannot keep them. FAT32 and exFAT
 * store no owner and no Unix mode: fusefat answers chmod with ENOSYS, other FUSE drivers with
 * EOPNOTSUPP (ENOTSUP) or EPERM, exfat-fuse accepts and drops it, a CIFS share refuses chmod with
 * EPERM. A move onto such a drive keeps what the drive can hold (names, bytes, times) and goes
 * on: the data is what matters, and the copy is verified by names, kinds, sizes and bytes, never
 * by modes (host/fs/compare-trees.ts).
 */

import { chmodSync, lstatSync } from 'node:fs';
import { chmod, lstat } from 'node:fs/promises';
import { errnoCode } from '../../errors.js';

/** "This file system does not do that", whoever asks. */
const UNSUPPORTED = new Set(['ENOSYS', 'ENOTSUP', 'EOPNOTSUPP']);

/**
 * Whether an error from chmod, utimes or chown means the file system cannot keep the value. EPERM
 * counts only for the file's owner (or root): anyone else is refused for being someone else.
 */
export function cannotKeep(error: unknown, path: string): boolean {
  const code = errnoCode(error);
  if (code !== undefined && UNSUPPORTED.has(code)) return true;
  if (code !== 'EPERM') return false;
  const uid = process.geteuid?.();
  if (uid === undefined || uid === 0) return true;
  try {
    return lstatSync(path).uid === uid;
  } catch {
    return false;
  }
}

/** chmod, unless the file system cannot keep a mode. */
export async function chmodIfKept(path: string, mode: number): Promise<void> {
  try {
    await chmod(path, mode);
  } catch (error) {
    if (!cannotKeep(error, path)) throw error;
  }
}

export function chmodIfKeptSync(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch (error) {
    if (!cannotKeep(error, path)) throw error;
  }
}

/** Runs a metadata call, ignoring the refusal of a file system that cannot keep the value. */
export async function ifKept(path: string, call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (!cannotKeep(error, path)) throw error;
  }
}

export function ifKeptSync(path: string, call: () => unknown): void {
  try {
    call();
  } catch (error) {
    if (!cannotKeep(error, path)) throw error;
  }
}

/** Whether path exists, for cleaning up after a copy call that failed half-way. */
export async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}
