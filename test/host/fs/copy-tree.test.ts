import { randomBytes } from 'node:crypto';
import { chmod, lchown, lstat, lutimes, mkdir, readdir, readFile, readlink, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyTree } from '../../../src/host/fs/copy-tree.js';
import { manifestTree } from '../../../src/host/fs/manifest-tree.js';
import type { CopyProgress } from '../../../src/host/host.js';
import { isRoot, makeTempDir, removeTempDir } from './temp-dir.js';
import { diffSnapshots, snapshotTree } from './tree-snapshot.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

const day = 24 * 3600;
const old = (n: number): number => 1_000_000_000 + n * day + 0.123456;

/** A tree with every kind of entry a backup folder may hold, and old, distinct times everywhere. */
async function buildFixture(src: string, outside: string): Promise<void> {
  await mkdir(outside);
  await writeFile(join(outside, 'not-to-copy.txt'), 'outside');
  await mkdir(src);
  await mkdir(join(src, 'a'));
  await writeFile(join(src, 'a', 'file.txt'), 'hello\n');
  await writeFile(join(src, 'a', 'exec.sh'), '#!/bin/sh\n');
  await chmod(join(src, 'a', 'exec.sh'), 0o755);
  await writeFile(join(src, 'a', 'secret'), 'shh');
  await chmod(join(src, 'a', 'secret'), 0o600);
  await writeFile(join(src, 'a', 'setuid'), 'x');
  await chmod(join(src, 'a', 'setuid'), 0o4755);
  await writeFile(join(src, 'a', 'empty'), '');
  // Larger than the small-file threshold: goes through the thread pool.
  await writeFile(join(src, 'big.bin'), randomBytes(700_000));
  await mkdir(join(src, 'empty-dir'));
  await chmod(join(src, 'empty-dir'), 0o700);
  await mkdir(join(src, 'ro-dir'));
  await writeFile(join(src, 'ro-dir', 'inside'), 'read-only folder content');
  await symlink('a/file.txt', join(src, 'rel-link'));
  await symlink(join(src, 'a', 'file.txt'), join(src, 'abs-link'));
  await symlink('does-not-exist', join(src, 'dangling'));
  await symlink(outside, join(src, 'outside-abs'));
  await symlink('../outside', join(src, 'outside-rel'));
  await symlink('a', join(src, 'dir-link'));

  let n = 0;
  for (const f of ['a/file.txt', 'a/exec.sh', 'a/secret', 'a/setuid', 'a/empty', 'big.bin', 'ro-dir/inside']) {
    await utimes(join(src, f), old(n), old(n + 1));
    n += 2;
  }
  for (const l of ['rel-link', 'abs-link', 'dangling', 'outside-abs', 'outside-rel', 'dir-link']) {
    await lutimes(join(src, l), old(n), old(n + 1));
    n += 2;
  }
  await chmod(join(src, 'ro-dir'), 0o555);
  // Folders last, deepest first, as their times change when something is written inside.
  for (const d of ['a', 'empty-dir', 'ro-dir', '']) {
    await utimes(join(src, d), old(n), old(n + 1));
    n += 2;
  }
}

describe('copyTree', () => {
  it('copies contents, modes, times of files, folders and links, empty folders, and links as links', async () => {
    const src = join(dir, 'src');
    const outside = join(dir, 'outside');
    await buildFixture(src, outside);
    const dest = join(dir, 'dest');

    const progress = await copyTree(src, dest);

    const diff = diffSnapshots(await snapshotTree(src), await snapshotTree(dest), ['content']);
    expect(diff).toEqual([]);
    // Contents equal; link targets written exactly as they were (so abs-link still points into src).
    const a = await snapshotTree(src);
    const b = await snapshotTree(dest);
    for (const [rel, entry] of a) expect(b.get(rel)?.content, rel).toBe(entry.content);
    expect(await readlink(join(dest, 'rel-link'))).toBe('a/file.txt');
    expect(await readlink(join(dest, 'dangling'))).toBe('does-not-exist');
    expect(await readlink(join(dest, 'outside-rel'))).toBe('../outside');
    // Links to folders, inside or outside the tree, were not followed.
    expect((await lstat(join(dest, 'outside-abs'))).isSymbolicLink()).toBe(true);
    expect((await lstat(join(dest, 'dir-link'))).isSymbolicLink()).toBe(true);
    expect((await lstat(join(dest, 'ro-dir'))).mode & 0o7777).toBe(0o555);
    expect((await lstat(join(dest, 'a', 'setuid'))).mode & 0o7777).toBe(0o4755);
    expect(progress).toEqual({ files: 7, bytes: 6 + 10 + 3 + 1 + 0 + 700_000 + 24 });
  });

  it('copies a tree nested 200 folders deep', async () => {
    const src = join(dir, 'src');
    let deepest = src;
    await mkdir(src);
    for (let i = 0; i < 200; i++) {
      deepest = join(deepest, 'd');
      await mkdir(deepest);
    }
    await writeFile(join(deepest, 'bottom.txt'), 'deep');
    const dest = join(dir, 'dest');
    const progress = await copyTree(src, dest);
    expect(progress.files).toBe(1);
    const bottom = join(dest, ...Array.from({ length: 200 }, () => 'd'), 'bottom.txt');
    expect(await readFile(bottom, 'utf8')).toBe('deep');
    expect(diffSnapshots(await snapshotTree(src), await snapshotTree(dest))).toEqual([]);
  });

  it('copies 10,000 files and reports throttled progress ending with the totals', async () => {
    const src = join(dir, 'src');
    await mkdir(src);
    let bytes = 0;
    for (let d = 0; d < 100; d++) {
      const folder = join(src, `f${d}`);
      await mkdir(folder);
      await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          bytes += i;
          return writeFile(join(folder, `n${i}`), 'x'.repeat(i));
        }),
      );
    }
    const calls: { at: number; p: CopyProgress }[] = [];
    const started = performance.now();
    const result = await copyTree(src, join(dir, 'dest'), { onProgress: (p) => calls.push({ at: performance.now(), p }) });
    const elapsed = performance.now() - started;

    expect(result).toEqual({ files: 10_000, bytes });
    expect(calls.at(-1)?.p).toEqual(result);
    // At most one every 100 ms, plus the final one.
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    for (let i = 1; i < calls.length - 1; i++) {
      const gap = (calls[i]?.at ?? 0) - (calls[i - 1]?.at ?? 0);
      expect(gap).toBeGreaterThanOrEqual(99);
    }
    expect(await manifestTree(join(dir, 'dest'))).toEqual(await manifestTree(src));
  });

  it('stops between files when aborted, with an AbortError, leaving the partial copy', async () => {
    const src = join(dir, 'src');
    await mkdir(src);
    for (let i = 0; i < 2000; i++) await writeFile(join(src, `f${i}`), 'data');
    const controller = new AbortController();
    const dest = join(dir, 'dest');
    const error = await copyTree(src, dest, { signal: controller.signal, onProgress: () => controller.abort() }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    const copied = await readdir(dest);
    expect(copied.length).toBeGreaterThan(0);
    expect(copied.length).toBeLessThan(2000);
  });

  it('does not start when the signal is already aborted', async () => {
    const src = join(dir, 'src');
    await mkdir(src);
    const error = await copyTree(src, join(dir, 'dest'), { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(await lstat(join(dir, 'dest')).catch(() => undefined)).toBeUndefined();
  });

  it('refuses to copy onto an existing destination (EEXIST) and leaves it alone', async () => {
    const src = join(dir, 'src');
    await mkdir(src);
    await writeFile(join(src, 'f'), 'new');
    const dest = join(dir, 'dest');
    await mkdir(dest);
    await writeFile(join(dest, 'keep'), 'old');
    await expect(copyTree(src, dest)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readdir(dest)).toEqual(['keep']);
  });

  it('fails with ENOENT when the destination parent or the source is gone', async () => {
    const src = join(dir, 'src');
    await mkdir(src);
    await expect(copyTree(src, join(dir, 'missing', 'dest'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(copyTree(join(dir, 'nope'), join(dir, 'dest2'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('copies a single file (mode, time, bytes) or a link (never followed) given as the tree', async () => {
    const src = join(dir, 'src');
    await mkdir(src);
    await writeFile(join(src, 'AlbumData.xml'), 'x'.repeat(5000), { mode: 0o640 });
    await utimes(join(src, 'AlbumData.xml'), 1_000_000, 1_000_000);
    await symlink('../somewhere/else', join(src, 'link'));
    const file = await copyTree(join(src, 'AlbumData.xml'), join(dir, 'copy.xml'));
    expect(file).toEqual({ files: 1, bytes: 5000 });
    const st = await lstat(join(dir, 'copy.xml'));
    expect(st.mode & 0o777).toBe(0o640);
    expect(Math.round(st.mtimeMs / 1000)).toBe(1_000_000);
    expect(await readFile(join(dir, 'copy.xml'), 'utf8')).toBe('x'.repeat(5000));
    expect(await copyTree(join(src, 'link'), join(dir, 'copy-link'))).toEqual({ files: 0, bytes: 0 });
    expect(await readlink(join(dir, 'copy-link'))).toBe('../somewhere/else');
    await expect(copyTree(join(src, 'AlbumData.xml'), join(dir, 'copy.xml'))).rejects.toMatchObject({ code: 'EEXIST' });
    await execa('mkfifo', [join(src, 'pipe')]);
    await expect(copyTree(join(src, 'pipe'), join(dir, 'copy-pipe'))).rejects.toMatchObject({ code: 'EINVAL' });
  });

  it('throws an error naming the path when it meets a fifo', async () => {
    const src = join(dir, 'src');
    await mkdir(src);
    await writeFile(join(src, 'a'), 'a');
    await execa('mkfifo', [join(src, 'pipe')]);
    await expect(copyTree(src, join(dir, 'dest'))).rejects.toMatchObject({ code: 'EINVAL', path: join(src, 'pipe') });
  });

  it.skipIf(!isRoot)('keeps owners of files, folders and links when running as root', async () => {
    const src = join(dir, 'src');
    await mkdir(src);
    await mkdir(join(src, 'sub'));
    await writeFile(join(src, 'sub', 'f'), 'x');
    await writeFile(join(src, 'big'), randomBytes(200_000));
    await symlink('sub/f', join(src, 'link'));
    await lchown(join(src, 'sub'), 1234, 5678);
    await lchown(join(src, 'sub', 'f'), 4321, 8765);
    await lchown(join(src, 'big'), 1111, 2222);
    await lchown(join(src, 'link'), 2345, 6789);
    await chmod(join(src, 'sub', 'f'), 0o2755);
    const dest = join(dir, 'dest');
    await copyTree(src, dest);
    expect(diffSnapshots(await snapshotTree(src), await snapshotTree(dest))).toEqual([]);
    // chown clears set-group-ID; the copy puts the exact mode back.
    expect((await lstat(join(dest, 'sub', 'f'))).mode & 0o7777).toBe(0o2755);
  });
});

describe('copyTree of entries: made durable once', () => {
  it.runIf(process.platform === 'linux')('flushes the folder holding the entries once, after the last (one sync -f), not entry by entry', async () => {
    const src = join(dir, 'src');
    await mkdir(join(src, 'device1'), { recursive: true });
    await mkdir(join(src, 'device2'));
    await writeFile(join(src, 'device1', 'Manifest.db'), 'one');
    await writeFile(join(src, 'device2', 'Manifest.db'), 'two');
    await writeFile(join(src, 'loose.plist'), 'three');
    const to = join(dir, 'drive');
    await mkdir(to);
    const bin = join(dir, 'bin');
    await mkdir(bin);
    const log = join(dir, 'sync.log');
    const real = (await execa('sh', ['-c', 'command -v sync'])).stdout.trim();
    await writeFile(join(bin, 'sync'), `#!/bin/sh\necho "$*" >> "${log}"\nexec "${real}" "$@"\n`);
    await chmod(join(bin, 'sync'), 0o755);
    const saved = process.env['PATH'];
    process.env['PATH'] = `${bin}:${saved ?? ''}`;
    try {
      await copyTree(src, to, { entries: ['device1', 'device2', 'loose.plist'] });
    } finally {
      process.env['PATH'] = saved;
    }
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual([`-f ${to}`]);
    expect(await readFile(join(to, 'device2', 'Manifest.db'), 'utf8')).toBe('two');
  });
});
