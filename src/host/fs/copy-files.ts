/**
 * Which copier a move uses, by platform and destination (docs/safety.md, "What a copy keeps"):
 * - macOS: ditto (copy-with-ditto.ts), which keeps everything a Mac file carries;
 * - Linux, onto a file system that holds Unix metadata: the Node copy with extended attributes
 *   and ACLs carried by getfattr/setfattr (copy-with-attributes.ts), measured faster than GNU
 *   `cp -a` (copy-with-cp.ts), which it falls back to when getfattr is missing, or when there
 *   are attributes to carry and provision does not run as root;
 * - Windows, FAT32/exFAT drives, and file systems that refuse a mode or a hard link: the Node
 *   copy (copy-tree.ts), which keeps bytes, times, modes where kept, and hard links where the
 *   drive has them.
 * A FUSE drive (exfat-fuse, fusefat and ntfs-3g all report "fuse"), a network share or a type
 * not known here is probed once per copy: a file made in the destination folder must take a
 * mode exactly and a second name; otherwise it gets the Node copy.
 */

import { chmod, link, lstat, mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CopyOptions, CopyResult } from '../host.js';
import { copyTree } from './copy-tree.js';
import { copyWithAttributes } from './copy-with-attributes.js';
import { copyWithCp } from './copy-with-cp.js';
import { copyWithDitto } from './copy-with-ditto.js';
import { fsTypeName } from './fs-type-names.js';
import { NO_UNIX_METADATA, UNIX_FILE_SYSTEMS } from './unix-file-systems.js';

export type Copier = 'cp' | 'ditto' | 'node';

export async function copyFiles(from: string, to: string, options: CopyOptions = {}): Promise<CopyResult> {
  const into = options.entries !== undefined ? to : dirname(to);
  const copier = await pickCopier(into);
  if (copier === 'ditto') return copyWithDitto(from, to, options);
  // Measured (docs/performance.md): on this Linux machine `cp -a` of 20,000 files (330 MB, ext4 to
  // tmpfs) took 7.5-11.5 s, 4.5 s of it in the kernel, against 1.9-2.9 s for the Node copy with
  // one getfattr and one setfattr. So the Node copy carries them, and cp -a is the fallback.
  if (copier === 'cp') return copyWithAttributes(from, to, options, (f, t, o) => copyWithCp(f, t, o));
  return copyTree(from, to, options);
}

/** The copier for a copy into the existing folder `into` on this platform. */
export async function pickCopier(into: string): Promise<Copier> {
  if (process.platform === 'darwin') return 'ditto';
  if (process.platform !== 'linux') return 'node';
  const type = fsTypeName((await statfs(into)).type);
  if (UNIX_FILE_SYSTEMS.has(type)) return 'cp';
  if (NO_UNIX_METADATA.has(type)) return 'node';
  return (await holdsUnixMetadata(into)) ? 'cp' : 'node';
}

/**
 * Whether the folder's file system keeps an exact mode and a hard link: tried on a scratch
 * folder made there and removed at once. Any refusal (or a mode read back changed) says no.
 */
export async function holdsUnixMetadata(into: string): Promise<boolean> {
  const probe = join(into, `.provision-probe-${process.pid}`);
  try {
    await mkdir(probe, { mode: 0o700 });
    const file = join(probe, 'a');
    await writeFile(file, '');
    for (const mode of [0o640, 0o604]) {
      await chmod(file, mode);
      if (((await lstat(file)).mode & 0o777) !== mode) return false;
    }
    await link(file, join(probe, 'b'));
    return (await lstat(file)).nlink === 2;
  } catch {
    return false;
  } finally {
    await rm(probe, { recursive: true, force: true }).catch(() => undefined);
  }
}
