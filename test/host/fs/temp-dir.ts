/** Real temporary folders for tests, removed afterwards even when a test left them read-only. */

import { constants } from 'node:fs';
import { access, chmod, lstat, mkdtemp, readdir, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function makeTempDir(prefix = 'provision-test-', base = tmpdir()): Promise<string> {
  return mkdtemp(join(base, prefix));
}

/**
 * A place where creating 100,000 fixture files takes about a second: /dev/shm when it is a
 * writable tmpfs (on this machine's disk the same took 30-40 s of kernel time), else tmpdir().
 */
export async function fastTempBase(): Promise<string> {
  if (process.platform !== 'linux') return tmpdir();
  try {
    const fs = await statfs('/dev/shm');
    if (fs.type !== 0x01021994) return tmpdir();
    await access('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return tmpdir();
  }
}

export async function removeTempDir(dir: string): Promise<void> {
  const stack = [dir];
  for (let folder = stack.pop(); folder !== undefined; folder = stack.pop()) {
    const stats = await lstat(folder).catch(() => undefined);
    if (stats === undefined || !stats.isDirectory()) continue;
    await chmod(folder, 0o700).catch(() => undefined);
    for (const entry of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) stack.push(join(folder, entry.name));
    }
  }
  await rm(dir, { recursive: true, force: true });
}

/** Whether this process runs as root (where permission bits do not stop reads). */
export const isRoot = process.getuid?.() === 0;
