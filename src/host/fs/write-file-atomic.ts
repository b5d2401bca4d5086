/**
 * Writes a small file so that a crash leaves either the old or the new content, never a mix:
 * temporary name in the same folder, fsync, rename over, fsync the folder (so the rename
 * itself survives a power cut).
 */

import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from '../../errors.js';
import { nodeCrypto } from '../lazy-crypto.js';

export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.${process.pid}.${nodeCrypto().randomBytes(4).toString('hex')}.tmp`);
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
