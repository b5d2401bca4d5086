/**
 * Replacing a small file that a person keeps (a declaration in their dotfiles) with new
 * content, atomically: a temporary file beside it with the same mode (and owner, when run as
 * root), fsynced, then renamed over it. Just before the rename the file is read again: if it
 * changed since the caller read it (an editor saved it meanwhile), nothing is replaced. A link
 * to the file (dotfiles managers link them into place) is followed, so the link stays a link.
 */

import { open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncFolder } from './write-file-atomic.js';
import { nodeCrypto } from '../lazy-crypto.js';

/** 'replaced', or 'changed' when the file no longer holds `expected` (nothing was written). */
export async function replaceFile(path: string, data: string, expected: Buffer): Promise<'replaced' | 'changed'> {
  const real = await realpath(path);
  const info = await stat(real);
  const folder = dirname(real);
  const temp = join(folder, `.${basename(real)}.new-${process.pid}-${nodeCrypto().randomBytes(4).toString('hex')}`);
  try {
    const handle = await open(temp, 'wx', info.mode & 0o7777);
    try {
      await handle.writeFile(data);
      // The mode given to open is narrowed by the umask; the file keeps the original's.
      await handle.chmod(info.mode & 0o7777);
      if (process.getuid?.() === 0) await handle.chown(info.uid, info.gid);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (!(await readFile(real)).equals(expected)) {
      await unlink(temp);
      return 'changed';
    }
    await rename(temp, real);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await fsyncFolder(folder);
  return 'replaced';
}
