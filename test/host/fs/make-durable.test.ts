import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fsyncEach, fsyncTree, syncFileSystem } from '../../../src/host/fs/make-durable.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

describe('durability', () => {
  it('fsyncs every file and folder, and reports a vanished file', async () => {
    await mkdir(join(dir, 'sub'));
    const files = Array.from({ length: 50 }, (_, i) => join(dir, 'sub', `f${i}`));
    for (const f of files) await writeFile(f, 'x');
    await expect(fsyncEach(files, [join(dir, 'sub'), dir])).resolves.toBeUndefined();
    await expect(fsyncEach([join(dir, 'gone')], [])).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fsyncs a whole tree (the fallback without sync -f), a single file, and reports an unreadable folder', async () => {
    await mkdir(join(dir, 'a', 'b'), { recursive: true });
    await writeFile(join(dir, 'a', 'b', 'f'), 'x');
    await writeFile(join(dir, 'a', 'g'), 'y');
    await expect(fsyncTree(join(dir, 'a'))).resolves.toBeUndefined();
    await expect(fsyncTree(join(dir, 'a', 'g'))).resolves.toBeUndefined();
    await expect(fsyncTree(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.runIf(process.platform === 'linux')('syncs the file system with sync -f, and throws ENOENT for a missing path', async () => {
    expect(await syncFileSystem(dir)).toBe(true);
    await expect(syncFileSystem(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
