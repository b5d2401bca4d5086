/**
 * Removes a whole tree: only ever a put-aside original or a partial copy. A last line of defence
 * refuses the file system root, any path with fewer than two segments (/, /Users, C:\Users),
 * and relative paths or paths with '..', whatever the caller computed.
 */

import { chmod, lstat, readdir, rm } from 'node:fs/promises';
import { isAbsolute, join, parse, resolve, sep } from 'node:path';
import { ProvisionError, errnoCode } from '../errors.js';

export function assertRemovable(path: string): void {
  const refuse = (why: string): never => {
    throw new ProvisionError('IO', `refusing to remove ${path}: ${why}`, {
      hint: 'This is a safety check against a wrong path; nothing was removed.',
    });
  };
  // A relative path or one with '..' means different things to path.resolve and to the kernel
  // (which follows links before '..'): only a plain absolute path is checked and accepted.
  if (!isAbsolute(path)) refuse('it is not an absolute path');
  if (path.split(/[\\/]/).includes('..')) refuse("it contains '..'");
  const absolute = resolve(path);
  const { root } = parse(absolute);
  const segments = absolute.slice(root.length).split(sep).filter((s) => s !== '');
  if (absolute === root || segments.length < 2) refuse('it is a file system root or a top-level folder');
}

/** rm -r without -f: a missing path throws ENOENT (the caller decides whether that is fine). */
export async function removeTree(path: string): Promise<void> {
  assertRemovable(path);
  try {
    await rm(path, { recursive: true, maxRetries: 3 });
  } catch (error) {
    const code = errnoCode(error);
    if (code !== 'EACCES' && code !== 'EPERM') throw error;
    // A read-only folder inside (a user's data may hold one) blocks removing its entries:
    // make the folders writable for their owner, which we are, and try once more.
    await makeFoldersWritable(path);
    await rm(path, { recursive: true, maxRetries: 3 });
  }
}

async function makeFoldersWritable(root: string): Promise<void> {
  const stack = [root];
  for (let folder = stack.pop(); folder !== undefined; folder = stack.pop()) {
    const stats = await lstat(folder).catch(() => undefined);
    if (stats === undefined || !stats.isDirectory()) continue;
    await chmod(folder, (stats.mode & 0o7777) | 0o700).catch(() => undefined);
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isDirectory()) stack.push(join(folder, entry.name));
  }
}
