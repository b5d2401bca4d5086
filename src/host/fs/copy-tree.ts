/**
 * The Node copy of a folder tree (or a single file or link): where the platform's own copier is
 * not used (copy-files.ts): Windows, FAT32/exFAT drives, and drives that refuse a mode or a hard
 * link. Regular files by fs.copyFile (copy_file_range or a reflink on Linux; on macOS NOT
 * copyfile(3) or clonefile: libuv dropped that, see docs/platform-facts.md), symbolic links
 * re-created as links with the same target (never followed, so nothing outside the tree is
 * read), modes, modification times of files, folders and links, ownership when running as root,
 * and hard links: a later name of a file already copied becomes a link to its copy, within one
 * call (entries included), where the drive has hard links (on FAT/exFAT each name becomes its own
 * file). Anything else (fifo, socket, device) stops the copy: a backup folder never holds one,
 * so meeting one means the source is not what the plan thought it was.
 *
 * On a drive that cannot keep modes or owners (FAT32, exFAT: see keep-metadata.ts) the copy keeps
 * what the drive holds and goes on; there Node's copyFile itself fails (libuv sets the new file's
 * mode and gives up when that fails), so files are copied by reading and writing instead.
 *
 * Not preserved: extended attributes and ACLs (Node has no call for them, on any platform: the
 * platform copiers carry them), BSD and Linux file flags (uchg, chattr +i: Node cannot read or
 * set them, and carrying "immutable" onto the drive would only make the copy undeletable by the
 * user), the birth time, sub-microsecond parts of times (Node passes times as doubles: each
 * lands in its original's microsecond, utimes-seconds.ts), and the atime of links.
 *
 * Errors propagate as Node's own errors (ENOSPC, EIO, ENOENT, EACCES...); the partial copy is
 * left for the caller to remove. No write is in flight when this function returns or throws.
 */

import { copyFileSync, createReadStream, createWriteStream, lchownSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync, type BigIntStats } from 'node:fs';
import { copyFile, lchown, link, lstat, lutimes, mkdir, readlink, symlink, utimes } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { CopyOptions, CopyProgress } from '../host.js';
import { errnoCode } from '../../errors.js';
import { fsError, throwIfAborted } from './fs-error.js';
import { cannotKeep, chmodIfKept, chmodIfKeptSync, ifKept, ifKeptSync } from './keep-metadata.js';
import { makeDurable } from './make-durable.js';
import { utimesSeconds } from './utimes-seconds.js';
import { ProgressThrottle } from './progress-throttle.js';
import { TaskPool } from './task-pool.js';

/**
 * Speed, measured against `cp -a` on this machine (2 cores, ext4 on virtio, copy only, before
 * the final sync; the machine is noisy, so these are medians of 7 runs).
 * - Every file through the thread pool (copyFile + utimes, 16 in flight): 20,000 files of
 *   0.1-3.8 KB took 1.0-1.2 s against cp's 0.8-1.0 s: the round trips cost more than the copy.
 *   The same done synchronously: 0.8-1.0 s; but 1,000 files of 1 MiB took 1.2-1.3 s that way,
 *   against 0.6-0.9 s through the pool (cp: 1.1 s), which copies several at once.
 * - So small files are copied synchronously on the main thread (yielding every few
 *   milliseconds) while large ones run in the pool at the same time. Result: 20,000 small
 *   files 1.33 s (cp 1.60 s); 10,000 files of 1-300 KB, 511 MB: 1.11 s (cp 1.23 s); 1,000
 *   files of 1 MiB: 0.25-0.74 s (cp 0.41-0.52 s).
 * - Folders are listed, made and finished synchronously too. On a backup's shape (2,000 files
 *   in 515 folders, 207 MiB, ext4 to tmpfs, another 2-core machine) a promise readdir and mkdir
 *   per folder, and a pooled chmod and utimes per folder at the end, made the copy 220-235 ms
 *   against cp -a's 140-150 ms; the same copy with those calls synchronous took 100 ms.
 */
const SMALL_FILE = 128n * 1024n;
const FILE_CONCURRENCY = 16;
const YIELD_EVERY_MS = 10;

interface FolderToFinish {
  dest: string;
  stats: BigIntStats;
  depth: number;
}

/**
 * Copies `from` to `to` (which must not exist), or with `entries`, those top-level entries of
 * the folder `from` into the existing folder `to`: one run, so files that are one inode under
 * two entries stay one inode in the copy.
 */
export async function copyTree(from: string, to: string, options: CopyOptions = {}): Promise<CopyProgress> {
  const links = new HardLinks();
  if (options.entries === undefined) return copyOne(from, to, options, links);
  const total: CopyProgress = { files: 0, bytes: 0 };
  for (const entry of options.entries) {
    const base = { ...total };
    const { entries: _all, ...one } = options;
    const done = await copyOne(join(from, entry), join(to, entry), {
      ...one,
      onProgress: (p) => options.onProgress?.({ files: base.files + p.files, bytes: base.bytes + p.bytes }),
    }, links, false);
    total.files += done.files;
    total.bytes += done.bytes;
  }
  // Flushed once for all the entries (one syncfs on Linux: a process each, made the second entry
  // wait for the first's), with the folder that holds them.
  await makeDurable(to);
  return total;
}

/**
 * The names already copied of files that have more than one (nlink > 1), by source inode: a
 * later name of the same file becomes a hard link to the first copy. Where the drive refuses
 * links (FAT, exFAT: EPERM, ENOTSUP...), each name becomes its own file, as before.
 */
class HardLinks {
  private readonly first = new Map<string, string>();
  private refused = false;

  /** The copy to link to, or undefined when this is the first name (remembered) or links are refused. */
  existing(stats: BigIntStats, dest: string): string | undefined {
    if (stats.nlink < 2n || this.refused) return undefined;
    const key = `${stats.dev}:${stats.ino}`;
    const there = this.first.get(key);
    if (there === undefined) this.first.set(key, dest);
    return there;
  }

  /** Whether a failed link means "no links here" (then copy instead, and stop trying). */
  refusedBy(error: unknown): boolean {
    const code = errnoCode(error);
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS' || code === 'EXDEV' || code === 'EMLINK') {
      this.refused = true;
      return true;
    }
    return false;
  }
}

/** `durable`: flush what was copied before returning (false: the caller flushes it). */
async function copyOne(from: string, to: string, options: CopyOptions, links: HardLinks, durable = true): Promise<CopyProgress> {
  const { signal } = options;
  throwIfAborted(signal, 'copy');
  const rootStats = await lstat(from, { bigint: true });
  if (!rootStats.isDirectory()) return copyLeaf(from, to, rootStats, options, links, durable);
  // Not recursive: fails with EEXIST when `to` exists and ENOENT when its parent is gone.
  // 0o700 until the end, so a read-only source folder can still be filled in.
  await mkdir(to, { mode: 0o700 });

  const asRoot = process.getuid?.() === 0;
  // What a new entry's owner is without chown: ours, unless `to` passes its group on (set-group-ID).
  const toStats = await lstat(to, { bigint: true });
  const createdUid = toStats.uid;
  const createdGid = toStats.gid;
  const ownedAsCreated = (stats: BigIntStats): boolean => stats.uid === createdUid && stats.gid === createdGid;
  const progress: CopyProgress = { files: 0, bytes: 0 };
  const throttle = new ProgressThrottle(options.onProgress);
  const pool = new TaskPool(FILE_CONCURRENCY);
  const folders: FolderToFinish[] = [{ dest: to, stats: rootStats, depth: 0 }];

  const copyOneFile = async (src: string, dest: string, stats: BigIntStats): Promise<void> => {
    throwIfAborted(signal, 'copy');
    if (await linkedTo(links, stats, dest)) {
      progress.files++;
      throttle.report(progress);
      return;
    }
    // copyFile gives the new file the source's mode bits exactly (umask does not apply).
    await copyData(src, dest, stats);
    if (asRoot && !ownedAsCreated(stats)) {
      await chownBestEffort(dest, stats);
      // chown clears set-user-ID and set-group-ID bits: put the exact mode back.
      if ((stats.mode & 0o6000n) !== 0n) await chmodIfKept(dest, Number(stats.mode & 0o7777n));
    }
    await ifKept(dest, () => utimes(dest, ...times(stats)));
    progress.files++;
    progress.bytes += Number(stats.size);
    throttle.report(progress);
  };

  // The same as copyOneFile, without the thread pool's round trips (see SMALL_FILE).
  const copySmallFile = (src: string, dest: string, stats: BigIntStats): void => {
    if (linkedToSync(links, stats, dest)) {
      progress.files++;
      throttle.report(progress);
      return;
    }
    copyDataSync(src, dest, stats);
    if (asRoot && !ownedAsCreated(stats)) {
      chownBestEffortSync(dest, stats);
      if ((stats.mode & 0o6000n) !== 0n) chmodIfKeptSync(dest, Number(stats.mode & 0o7777n));
    }
    ifKeptSync(dest, () => utimesSync(dest, ...times(stats)));
    progress.files++;
    progress.bytes += Number(stats.size);
    throttle.report(progress);
  };
  // The synchronous calls below keep the main thread; every few milliseconds the event loop runs
  // (a signal handler, the progress line, the pool's callbacks).
  let lastYield = performance.now();
  const yieldNowAndThen = async (): Promise<void> => {
    if (performance.now() - lastYield <= YIELD_EVERY_MS) return;
    await yieldToLoop();
    lastYield = performance.now();
  };

  const copyOneLink = async (src: string, dest: string, stats: BigIntStats): Promise<void> => {
    throwIfAborted(signal, 'copy');
    await symlink(await readlink(src), dest);
    if (asRoot && !ownedAsCreated(stats)) await chownBestEffort(dest, stats);
    await lutimesBestEffort(dest, stats);
  };

  try {
    // Folders are listed and created here, one at a time; large files and links go to the pool.
    // Listings, new folders and lstats are synchronous: a round trip through the thread pool
    // per call cost more than the call itself (see the speed notes above).
    const stack: { src: string; dest: string; depth: number }[] = [{ src: from, dest: to, depth: 0 }];
    for (let dir = stack.pop(); dir !== undefined && !pool.failed; dir = stack.pop()) {
      const entries = readdirSync(dir.src, { withFileTypes: true });
      for (const entry of entries) {
        if (pool.failed) break;
        throwIfAborted(signal, 'copy');
        const src = join(dir.src, entry.name);
        const dest = join(dir.dest, entry.name);
        if (entry.isDirectory()) {
          const stats = lstatSync(src, { bigint: true });
          mkdirSync(dest, { mode: 0o700 });
          folders.push({ dest, stats, depth: dir.depth + 1 });
          stack.push({ src, dest, depth: dir.depth + 1 });
          await yieldNowAndThen();
        } else if (entry.isFile()) {
          const stats = lstatSync(src, { bigint: true });
          if (stats.nlink > 1n) {
            // Not through the pool: a later name of this file links to this copy, which must exist by then.
            await copyOneFile(src, dest, stats);
          } else if (stats.size < SMALL_FILE) {
            copySmallFile(src, dest, stats);
            await yieldNowAndThen();
          } else {
            await pool.run(() => copyOneFile(src, dest, stats));
          }
        } else if (entry.isSymbolicLink()) {
          const stats = lstatSync(src, { bigint: true });
          await pool.run(() => copyOneLink(src, dest, stats));
        } else {
          throw fsError('EINVAL', 'copytree', src, 'not a file, folder or link (fifo, socket or device); cannot copy it');
        }
      }
    }
  } finally {
    // Also on failure: nothing may still be writing when the caller starts cleaning up.
    await pool.drain().catch(() => undefined);
  }
  await pool.drain();
  throwIfAborted(signal, 'copy');

  // Deepest first: setting a folder's times must come after everything inside it was written,
  // and a folder's final mode (which may lack write or search permission) after its children's.
  // Every file is written by now (the pool is drained); synchronous, as the folders were made.
  folders.sort((a, b) => b.depth - a.depth);
  for (const folder of folders) {
    if (asRoot && !ownedAsCreated(folder.stats)) chownBestEffortSync(folder.dest, folder.stats);
    chmodIfKeptSync(folder.dest, Number(folder.stats.mode & 0o7777n));
    ifKeptSync(folder.dest, () => utimesSync(folder.dest, ...times(folder.stats)));
    await yieldNowAndThen();
  }
  throttle.final(progress);

  if (durable) await makeDurable(to);
  return { ...progress };
}

/**
 * A single file or link given as the tree to copy (a top-level entry of a folder that moves
 * can be either): copied as copyTree copies one inside a folder, and made durable.
 */
async function copyLeaf(from: string, to: string, stats: BigIntStats, options: CopyOptions, links: HardLinks, durable: boolean): Promise<CopyProgress> {
  const asRoot = process.getuid?.() === 0;
  if (stats.isSymbolicLink()) {
    await symlink(await readlink(from), to);
    if (asRoot) await chownBestEffort(to, stats);
    await lutimesBestEffort(to, stats);
    if (durable) await makeDurable(dirname(to));
    return { files: 0, bytes: 0 };
  }
  if (!stats.isFile()) throw fsError('EINVAL', 'copytree', from, 'not a file, folder or link (fifo, socket or device); cannot copy it');
  if (await linkedTo(links, stats, to)) {
    if (durable) await makeDurable(dirname(to));
    options.onProgress?.({ files: 1, bytes: 0 });
    return { files: 1, bytes: 0 };
  }
  await copyData(from, to, stats);
  if (asRoot) {
    await chownBestEffort(to, stats);
    if ((stats.mode & 0o6000n) !== 0n) await chmodIfKept(to, Number(stats.mode & 0o7777n));
  }
  await ifKept(to, () => utimes(to, ...times(stats)));
  if (durable) await makeDurable(to);
  const progress = { files: 1, bytes: Number(stats.size) };
  options.onProgress?.({ ...progress });
  return progress;
}

/** Makes dest a hard link to the copy of an earlier name of the same file; false when it must be copied. */
async function linkedTo(links: HardLinks, stats: BigIntStats, dest: string): Promise<boolean> {
  const there = links.existing(stats, dest);
  if (there === undefined) return false;
  try {
    await link(there, dest);
    return true;
  } catch (error) {
    if (links.refusedBy(error)) return false;
    throw error;
  }
}

function linkedToSync(links: HardLinks, stats: BigIntStats, dest: string): boolean {
  const there = links.existing(stats, dest);
  if (there === undefined) return false;
  try {
    linkSync(there, dest);
    return true;
  } catch (error) {
    if (links.refusedBy(error)) return false;
    throw error;
  }
}

/**
 * A file's bytes and mode (exclusive create). copyFile first; where it fails because the drive
 * cannot keep a mode (libuv's copyFile sets it and removes the new file when that fails: ENOSYS
 * on fusefat) or refuses the call (EPERM), the bytes are read and written instead. A real
 * refusal to read the source fails again there, with its own error.
 */
async function copyData(src: string, dest: string, stats: BigIntStats): Promise<void> {
  try {
    await copyFile(src, dest, constants.COPYFILE_EXCL);
    return;
  } catch (error) {
    if (!copyFileRefused(error, dest)) throw error;
  }
  // Loaded here, not at start: the streams machinery costs a converged plan's start, and only a
  // copy refused by copy_file_range/clonefile comes this way.
  const { pipeline } = await import('node:stream/promises');
  await pipeline(createReadStream(src), createWriteStream(dest, { flags: 'wx', mode: Number(stats.mode & 0o777n) }));
  await chmodIfKept(dest, Number(stats.mode & 0o7777n));
}

function copyDataSync(src: string, dest: string, stats: BigIntStats): void {
  try {
    copyFileSync(src, dest, constants.COPYFILE_EXCL);
    return;
  } catch (error) {
    if (!copyFileRefused(error, dest)) throw error;
  }
  writeFileSync(dest, readFileSync(src), { flag: 'wx', mode: Number(stats.mode & 0o777n) });
  chmodIfKeptSync(dest, Number(stats.mode & 0o7777n));
}

function copyFileRefused(error: unknown, dest: string): boolean {
  return errnoCode(error) === 'EPERM' || cannotKeep(error, dest);
}

/** In a user namespace or on a file system without owners, chown fails with EPERM, EINVAL or ENOSYS: keep going. */
async function chownBestEffort(path: string, stats: BigIntStats): Promise<void> {
  try {
    await lchown(path, Number(stats.uid), Number(stats.gid));
  } catch (error) {
    if (errnoCode(error) !== 'EINVAL' && !cannotKeep(error, path)) throw error;
  }
}

function chownBestEffortSync(path: string, stats: BigIntStats): void {
  try {
    lchownSync(path, Number(stats.uid), Number(stats.gid));
  } catch (error) {
    if (errnoCode(error) !== 'EINVAL' && !cannotKeep(error, path)) throw error;
  }
}

/** Some file systems (and old kernels) cannot set a link's own times; the link itself is what matters. */
async function lutimesBestEffort(path: string, stats: BigIntStats): Promise<void> {
  try {
    await lutimes(path, ...times(stats));
  } catch (error) {
    const code = errnoCode(error);
    if (code !== 'ENOSYS' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'ENOTSUP') throw error;
  }
}

/** Times as seconds kept to the microsecond (utimes-seconds.ts): a Date would drop everything below the millisecond. */
function times(stats: BigIntStats): [number, number] {
  return [utimesSeconds(stats.atimeNs), utimesSeconds(stats.mtimeNs)];
}
