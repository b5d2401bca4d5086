/**
 * A copy by ditto(1), macOS's own copier: it keeps extended attributes (Finder tags, FinderInfo,
 * quarantine), ACLs, resource forks and HFS metadata, modes, times, owners (as root), and hard
 * links between files among what one run copies; it does not follow links inside the tree
 * (ditto(1), docs/platform-facts.md). Node's copyFile keeps none of the first four on macOS.
 *
 * What ditto(1) says that shapes the calls here:
 * - it follows a link GIVEN AS AN ARGUMENT: a top-level entry that is a link is re-created by the
 *   Node copy instead (a link has no xattrs worth keeping, and must never be followed);
 * - `ditto src_dir dst_dir` copies the contents of src_dir into dst_dir, merging when dst_dir
 *   exists, and leaves an existing dst_dir's own mode, owner, xattrs and ACLs alone: the partial
 *   folder is provision's own, so that is what we want;
 * - -V prints a line per file, link and device copied (counted for progress).
 * When only some entries of a folder move, each runs on its own (ditto cannot pick entries),
 * and files that are one inode under two of them are joined again afterwards (relink below).
 */

import { link, lstat, readdir, rename, utimes } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CopyOptions, CopyProgress } from '../host.js';
import { copyTree } from './copy-tree.js';
import { fsError } from './fs-error.js';
import { makeDurable } from './make-durable.js';
import { runCopier } from './run-copier.js';
import { utimesSeconds } from './utimes-seconds.js';
import { walkTree } from './walk-tree.js';

export async function copyWithDitto(from: string, to: string, options: CopyOptions = {}, command = 'ditto'): Promise<CopyProgress> {
  if (options.entries === undefined) {
    const stats = await lstat(from);
    if (stats.isSymbolicLink()) return copyTree(from, to, options);
    if ((await lstat(to).catch(() => undefined)) !== undefined) throw fsError('EEXIST', 'copytree', to);
    const progress = await runCopier('ditto', command, ['-V', from, to], join(to, '..'), options);
    await makeDurable(to);
    return progress;
  }
  const entries = options.entries;
  const all = await readdir(from);
  const total: CopyProgress = { files: 0, bytes: 0 };
  const add = (p: CopyProgress): void => {
    total.files += p.files;
    total.bytes += p.bytes;
  };
  if (entries.length === all.length && all.every((n) => entries.includes(n))) {
    // Every entry: one run merges them all into `to`, keeping hard links between them.
    add(await runCopier('ditto', command, ['-V', from, to], to, options));
  } else {
    for (const entry of entries) {
      const base = { ...total };
      const one: CopyOptions = {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        onProgress: (p) => options.onProgress?.({ files: base.files + p.files, bytes: base.bytes + p.bytes }),
      };
      const src = join(from, entry);
      if ((await lstat(src)).isSymbolicLink()) add(await copyTree(src, join(to, entry), one));
      else add(await runCopier('ditto', command, ['-V', src, join(to, entry)], to, one));
    }
    await relinkAcrossEntries(from, to, entries);
  }
  await makeDurable(to);
  return { ...total };
}

/**
 * After entries were copied by separate runs: a file that is one inode under two entries of the
 * original became two files; make the later name a hard link to the first again (link beside
 * it, then rename over it, so the name never goes missing). Holds one record per name of a
 * file with more than one name, only.
 */
export async function relinkAcrossEntries(from: string, to: string, entries: readonly string[]): Promise<void> {
  const first = new Map<string, { entry: string; rel: string }>();
  for (const entry of entries) {
    const root = join(from, entry);
    const pending: { rel: string; there: string }[] = [];
    const note = (rel: string, stats: { nlink: number; dev: number; ino: number }): void => {
      if (stats.nlink < 2) return;
      const key = `${stats.dev}:${stats.ino}`;
      const seen = first.get(key);
      if (seen === undefined) first.set(key, { entry, rel });
      else if (seen.entry !== entry) pending.push({ rel, there: seen.rel });
    };
    const rootStats = await lstat(root);
    if (rootStats.isFile()) note(entry, rootStats);
    else if (rootStats.isDirectory()) {
      await walkTree(root, {
        entry(rel, kind, _size, stats) {
          if (kind === 'file' && stats !== undefined) note(`${entry}/${rel}`, stats);
        },
        unreadable() {
          // The copier met it too and failed, or verification will name it.
        },
      });
    }
    for (const { rel, there } of pending) {
      const dest = join(to, rel);
      const target = join(to, there);
      const [a, b] = await Promise.all([lstat(dest), lstat(target)]);
      if (a.ino === b.ino && a.dev === b.dev) continue;
      const beside = `${dest}.provision-link`;
      // The folder's modification time is the original's: put it back after the rename.
      const folder = await lstat(dirname(dest), { bigint: true });
      await link(target, beside);
      await rename(beside, dest);
      await utimes(dirname(dest), utimesSeconds(folder.atimeNs), utimesSeconds(folder.mtimeNs));
    }
  }
}
