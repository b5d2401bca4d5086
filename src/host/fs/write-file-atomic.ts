/**
 * Writes a small file so that a crash leaves either the old or the new content, never a mix:
 * temporary name in the same folder, fsync, rename over, fsync the folder (so the rename
 * itself survives a power cut).
 */

import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from '../../errors.js';
import { nodeCrypto } from '../lazy-crypto.js';

/** The temporary name writeFileAtomic writes `path` through: `.<name>.<pid>.<8 hex digits>.tmp`. */
function tempNameFor(path: string): string {
  return `.${basename(path)}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`;
}

/**
 * The process that was writing `path` through the file `name` of the same folder, when `name`
 * is one of writeFileAtomic's temporary names for it (a run killed before its rename leaves one).
 */
export function atomicTempWriter(name: string, path: string): number | undefined {
  const prefix = `.${basename(path)}.`;
  if (!name.startsWith(prefix)) return undefined;
  const rest = /^([1-9][0-9]*)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length));
  return rest === null ? undefined : Number(rest[1]);
}

export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const folder = dirname(path);
  const temp = join(folder, tempNameFor(path));
  try {
    const handle = await open(temp, 'wx', 0o666);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsyncFolder(folder);
}

/** Makes a new name in a folder durable (a rename or link into it), where the OS allows it. */
export async function fsyncFolder(folder: string): Promise<void> {
  // Windows cannot open a folder for flushing; its file systems journal the rename anyway.
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems (older SMB and FUSE mounts) do not support fsync on a folder.
    const code = errnoCode(error);
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EBADF') throw error;
  } finally {
    await handle.close();
  }
}
