/** Maps Node's Stats and Dirent to the Host's plain values. */

import type { BigIntStats, Dirent, Stats } from 'node:fs';
import type { EntryKind, FileStat } from '../host.js';

export function kindOf(entry: Stats | BigIntStats | Dirent): EntryKind {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  if (entry.isSymbolicLink()) return 'symlink';
  return 'other';
}

export function toFileStat(stats: Stats): FileStat {
  return {
    kind: kindOf(stats),
    dev: stats.dev,
    ino: stats.ino,
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    ctimeMs: stats.ctimeMs,
  };
}
