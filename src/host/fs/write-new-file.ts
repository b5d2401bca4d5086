/**
 * Writing a file that must not exist yet, atomically and without ever clobbering one: the data
 * is written to a temporary name (writeFileAtomic: fsynced, renamed into place), then hard-linked
 * to the final name, which fails with EEXIST if anything got there first, even in a race with
 * another process. A crash leaves either no file or the whole file, never a partial one; at
 * worst a hidden temporary file remains beside it. File systems without hard links (FAT, exFAT,
 * some network shares) fall back to checking that the name is free and renaming, which is
 * atomic but leaves a tiny window for a race.
 */

import { link, lstat, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from '../../errors.js';
import { fsyncFolder, writeFileAtomic } from './write-file-atomic.js';
import { nodeCrypto } from '../lazy-crypto.js';

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** 'created', or 'exists' when something is already at path (nothing was written there). */
export async function writeNewFile(path: string, data: string | Buffer): Promise<'created' | 'exists'> {
  const folder = dirname(path);
  const temp = join(folder, `.${basename(path)}.new-${process.pid}-${nodeCrypto().randomBytes(4).toString('hex')}`);
  await writeFileAtomic(temp, data);
  try {
    try {
      await link(temp, path);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EEXIST') return 'exists';
      if (!NO_HARD_LINKS.has(code ?? '')) throw error;
      if ((await lstat(path).catch(() => undefined)) !== undefined) return 'exists';
      await rename(temp, path);
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
  await fsyncFolder(folder);
  return 'created';
}
