import { renameSync, writeFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProvisionError } from '../../../src/errors.js';
import { removeTree } from '../../../src/host/fs/remove-tree.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

/** What removeTree reports when the tree goes away under it: a clear error, never a raw errno. */
describe('removeTree when the tree vanishes', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  async function tree(): Promise<string> {
    const root = join(dir, 'drive', 'aside');
    for (let i = 0; i < 20; i++) {
      await mkdir(join(root, `d${i}`), { recursive: true });
      for (let j = 0; j < 20; j++) await writeFile(join(root, `d${i}`, `f${j}`), 'x');
    }
    return root;
  }

  it('the drive goes away in the middle (its folder vanishes after the first files): DRIVE_GONE naming the folder', async () => {
    const root = await tree();
    let gone = false;
    const error = await removeTree(root, {
      onProgress: () => {
        if (gone) return;
        gone = true;
        // What a pulled cable looks like from here: every path under the mount point is gone.
        renameSync(join(dir, 'drive'), join(dir, 'unplugged'));
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProvisionError);
    expect((error as ProvisionError).code).toBe('DRIVE_GONE');
    expect((error as ProvisionError).message).toContain(`the drive holding ${root} went away`);
    expect((error as ProvisionError).hint).toMatch(/reconnect the drive/);
    // The rest is still on the "drive", for the next run to remove.
    expect((await readdir(join(dir, 'unplugged', 'aside'))).length).toBeGreaterThan(0);
  });

  it('the folder holding it is gone before it starts: DRIVE_GONE, not a raw ENOENT; the folder alone missing stays ENOENT', async () => {
    const root = await tree();
    renameSync(join(dir, 'drive'), join(dir, 'unplugged'));
    await expect(removeTree(root)).rejects.toMatchObject({ code: 'DRIVE_GONE' });
    await expect(removeTree(join(dir, 'unplugged', 'nothing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a sub folder removed by someone else meanwhile is not an error', async () => {
    const root = await tree();
    let done = false;
    await removeTree(root, {
      onProgress: () => {
        if (done) return;
        done = true;
        renameSync(join(root, 'd0'), join(dir, 'd0-elsewhere'));
      },
    });
    expect(await readdir(join(dir, 'drive'))).toEqual([]);
  });
  it('files written into folders already listed, before the folders go: each is emptied again and the whole tree goes', async () => {
    const root = await tree();
    let written = false;
    let last = 0;
    await removeTree(root, {
      onProgress: (p) => {
        last = p.files;
        if (written) return;
        written = true;
        // The first unlink has finished: some folders are listed (their rmdir will meet the new
        // file), the others not yet (they list it with the rest).
        for (let i = 0; i < 20; i++) writeFileSync(join(root, `d${i}`, 'late'), 'y');
      },
    });
    expect(written).toBe(true);
    await expect(readdir(root)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(last).toBe(20 * 20 + 20);
  });
});
