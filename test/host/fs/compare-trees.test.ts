import { appendFile, lstat, mkdir, rm, symlink, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareTrees } from '../../../src/host/fs/compare-trees.js';
import { copyTree } from '../../../src/host/fs/copy-tree.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

let dir: string;
let a: string;
let b: string;
beforeEach(async () => {
  dir = await makeTempDir();
  a = join(dir, 'a');
  b = join(dir, 'b');
  await mkdir(join(a, 'x', 'y'), { recursive: true });
  await writeFile(join(a, 'small'), 'hello');
  // Over the small-file threshold and over one read chunk, so both content paths run.
  await writeFile(join(a, 'x', 'big'), Buffer.alloc(3 * 1024 * 1024 + 17, 7));
  await writeFile(join(a, 'x', 'y', 'deep'), 'deep');
  await symlink('../small', join(a, 'x', 'link'));
  await copyTree(a, b);
});
afterEach(async () => {
  await removeTempDir(dir);
});

/** Rewrites a file of the copy in place, keeping its original's times (as an app rewriting a database page would look, size and time alike). */
async function rewrite(rel: string, data: string | Buffer): Promise<void> {
  await writeFile(join(b, rel), data);
  const st = await lstat(join(a, rel));
  await utimes(join(b, rel), st.atimeMs / 1000, st.mtimeMs / 1000);
}

describe('compareTrees', () => {
  it('finds no difference in a faithful copy, by size and by content, and counts files and bytes', async () => {
    const seen: { files: number; bytes: number }[] = [];
    expect(await compareTrees(a, b, { onProgress: (p) => seen.push(p) })).toBeUndefined();
    expect(seen.at(-1)).toEqual({ files: 3, bytes: 5 + 4 + 3 * 1024 * 1024 + 17 });
    expect(await compareTrees(a, b, { content: true })).toBeUndefined();
  });

  it('names a missing entry, an extra one, a changed size and a changed kind', async () => {
    await rm(join(b, 'x', 'y', 'deep'));
    expect(await compareTrees(a, b)).toBe('x/y/deep is missing from the copy');
    await writeFile(join(b, 'x', 'y', 'deep'), 'deep');
    await writeFile(join(b, 'x', 'extra'), '');
    expect(await compareTrees(a, b)).toBe('x/extra is in the copy but not in the original');
    await rm(join(b, 'x', 'extra'));
    await appendFile(join(b, 'small'), '!');
    expect(await compareTrees(a, b)).toBe('small has 6 bytes in the copy, 5 in the original');
    await writeFile(join(b, 'small'), 'hello');
    await rm(join(b, 'x', 'y'), { recursive: true });
    await writeFile(join(b, 'x', 'y'), 'now a file');
    expect(await compareTrees(a, b)).toBe('x/y is a directory in the original and a file in the copy');
  });

  it('names a link that points elsewhere', async () => {
    await rm(join(b, 'x', 'link'));
    await symlink('../other', join(b, 'x', 'link'));
    expect(await compareTrees(a, b)).toBe('x/link points at ../other in the copy, at ../small in the original');
  });

  it('finds changed bytes of the same size only when asked for content, in small and large files', async () => {
    await rewrite('small', 'jello');
    expect(await compareTrees(a, b)).toBeUndefined();
    expect(await compareTrees(a, b, { content: true })).toBe('small has different bytes in the copy');
    await rewrite('small', 'hello');
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    big[big.length - 1] = 8; // the last byte, in the last partial chunk
    await rewrite('x/big', big);
    expect(await compareTrees(a, b, { content: true })).toBe('x/big has different bytes in the copy');
  });

  it('tells large files apart when their chunk buffers pass from one comparison to the next', async () => {
    // More large files than are compared at once, each with bytes of its own: the buffers a
    // comparison reads into are used again by a later one (compare-trees.ts, diskReader).
    for (let i = 0; i < 10; i++) await writeFile(join(a, 'x', `large-${i}`), Buffer.alloc(200 * 1024 + i, i + 1));
    await rm(b, { recursive: true, force: true });
    await copyTree(a, b);
    expect(await compareTrees(a, b, { content: true })).toBeUndefined();
    const changed = Buffer.alloc(200 * 1024 + 8, 9);
    changed[changed.length - 1] = 0; // the last byte differs from the original's 9
    await rewrite('x/large-8', changed);
    expect(await compareTrees(a, b, { content: true })).toBe('x/large-8 has different bytes in the copy');
  });

  it('compares the bytes of the files contentFor names even without content, and only those', async () => {
    await rewrite('small', 'jello');
    await rewrite('x/y/deep', 'DEEP');
    const asked: string[] = [];
    const onlyDeep = (rel: string): boolean => {
      asked.push(rel);
      return rel === 'x/y/deep';
    };
    expect(await compareTrees(a, b, { contentFor: onlyDeep })).toBe('x/y/deep has different bytes in the copy');
    expect(asked).toContain('small');
    expect(await compareTrees(a, b, { contentFor: (rel) => rel === 'x/big' })).toBeUndefined();
  });

  it('leaves out the original top-level entries it is told to skip', async () => {
    await writeFile(join(a, '.DS_Store'), 'finder');
    expect(await compareTrees(a, b)).toBe('.DS_Store is missing from the copy');
    expect(await compareTrees(a, b, { skipTop: ['.DS_Store'] })).toBeUndefined();
  });

  it('throws when a side cannot be listed, and stops when aborted', async () => {
    await expect(compareTrees(a, join(dir, 'none'))).rejects.toMatchObject({ code: 'ENOENT' });
    const controller = new AbortController();
    controller.abort();
    await expect(compareTrees(a, b, { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('holds only the folders being compared: a wide, deep tree compares in bounded memory', async () => {
    // Not a timing test: it checks the walk reaches every level (a truncated copy deep down is found).
    let p = join(a, 'x');
    let q = join(b, 'x');
    for (let i = 0; i < 60; i++) {
      p = join(p, `d${i}`);
      q = join(q, `d${i}`);
      await mkdir(p);
    }
    await writeFile(join(p, 'leaf'), 'abc');
    await rm(b, { recursive: true });
    await copyTree(a, b);
    expect(await compareTrees(a, b)).toBeUndefined();
    await truncate(join(q, 'leaf'), 1);
    expect(await compareTrees(a, b)).toMatch(/\/d59\/leaf has 1 bytes in the copy, 3 in the original$/);
  });
});

describe('compareTrees and metadata', () => {
  it('names a changed modification time or mode only when nothing else differs', async () => {
    expect(await compareTrees(a, b)).toBeUndefined();
    await utimes(join(b, 'small'), 1, 1);
    expect(await compareTrees(a, b)).toMatch(/^small was modified 1970-01-01T00:00:01\.000Z in the copy, \d{4}-.* in the original$/);
    await rm(join(b, 'x', 'y', 'deep'));
    expect(await compareTrees(a, b)).toBe('x/y/deep is missing from the copy');
  });

  it('counts a macOS AppleDouble file beside its file as no stray only where the drive keeps no xattrs', async () => {
    await writeFile(join(b, '._small'), 'appledouble');
    // Here (tmpfs or ext4) the drive keeps xattrs: a `._` file is a stray.
    expect(await compareTrees(a, b)).toBe('._small is in the copy but not in the original');
  });
});
