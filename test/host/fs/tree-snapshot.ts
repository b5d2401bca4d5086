/** Everything a test can compare about a tree: kinds, modes, owners, sizes, times, contents, link targets. */

import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface EntrySnapshot {
  kind: 'file' | 'directory' | 'symlink' | 'other';
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  /** sha256 of a file's bytes, or a link's target. */
  content: string;
}

/** Snapshot of root and everything below it, keyed by relative posix path ('' is root). */
export async function snapshotTree(root: string): Promise<Map<string, EntrySnapshot>> {
  const result = new Map<string, EntrySnapshot>();
  const stack = [''];
  for (let rel = stack.pop(); rel !== undefined; rel = stack.pop()) {
    const abs = rel === '' ? root : join(root, rel);
    const stats = await lstat(abs);
    const kind = stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : stats.isSymbolicLink() ? 'symlink' : 'other';
    let content = '';
    if (kind === 'file') content = createHash('sha256').update(await readFile(abs)).digest('hex');
    if (kind === 'symlink') content = await readlink(abs);
    result.set(rel, {
      kind,
      mode: stats.mode,
      uid: stats.uid,
      gid: stats.gid,
      size: kind === 'directory' ? 0 : stats.size,
      mtimeMs: stats.mtimeMs,
      content,
    });
    if (kind === 'directory') {
      for (const name of await readdir(abs)) stack.push(rel === '' ? name : `${rel}/${name}`);
    }
  }
  return result;
}

/**
 * Differences between two snapshots, as readable lines (empty when equal). Times are compared to
 * 10 microseconds: Node sets times from doubles, which cannot carry every nanosecond.
 */
export function diffSnapshots(a: Map<string, EntrySnapshot>, b: Map<string, EntrySnapshot>, ignore: (keyof EntrySnapshot)[] = []): string[] {
  const lines: string[] = [];
  for (const [rel, x] of a) {
    const y = b.get(rel);
    if (y === undefined) {
      lines.push(`missing in second: ${rel}`);
      continue;
    }
    for (const key of Object.keys(x) as (keyof EntrySnapshot)[]) {
      if (ignore.includes(key)) continue;
      const same = key === 'mtimeMs' ? Math.abs(x.mtimeMs - y.mtimeMs) < 0.01 : x[key] === y[key];
      if (!same) lines.push(`${rel}: ${key} ${String(x[key])} != ${String(y[key])}`);
    }
  }
  for (const rel of b.keys()) if (!a.has(rel)) lines.push(`extra in second: ${rel}`);
  return lines;
}
