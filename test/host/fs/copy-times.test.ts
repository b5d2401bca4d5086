import { lstat, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareTrees } from '../../../src/host/fs/compare-trees.js';
import { copyFiles } from '../../../src/host/fs/copy-files.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

describe('times a copy keeps, as the verification sees them', () => {
  it('a faithful copy of files whose times sit just past a microsecond is not called different', async () => {
    const from = join(dir, 'a');
    await mkdir(from);
    // Nanoseconds just past a whole microsecond: Node's double and libuv's truncation to whole
    // microseconds put the copy's time up to about 1.25 µs earlier (this failed the demo).
    const names: string[] = [];
    for (let i = 0; i < 120; i++) {
      const name = join(from, `f${i}`);
      await writeFile(name, String(i));
      names.push(name);
      const ns = String(1000 * (100 + i) + 10 + (i % 90)).padStart(9, '0');
      await execa('touch', ['-m', '-d', `@1764696800.${ns}`, name]);
    }
    const stamp = await lstat(names[0] ?? '', { bigint: true });
    expect(stamp.mtimeNs % 1000n).toBe(10n);
    await copyFiles(from, join(dir, 'b'));
    expect(await compareTrees(from, join(dir, 'b'))).toBeUndefined();
  });
});

describe('times a copy keeps, to the microsecond', () => {
  it('files, folders and links keep the microsecond of their access and modification times, at its either end', async () => {
    const from = join(dir, 'a');
    await mkdir(join(from, 'inner'), { recursive: true });
    const entries: string[] = [];
    // Nanoseconds just past a millisecond (where a double's truncation fell into the microsecond,
    // and so the millisecond, before: a CI run saw 185 ms become 184), just before the next
    // microsecond, and whole seconds.
    const fractions = ['185000100', '185000990', '000000000', '999999999', '000000001', '184999999'];
    for (const [i, fraction] of fractions.entries()) {
      const name = join(from, 'inner', `f${i}`);
      await writeFile(name, String(i));
      entries.push(name);
      await execa('touch', ['-m', '-d', `@${1796428205 + i}.${fraction}`, name]);
      await execa('touch', ['-a', '-d', `@${1796428305 + i}.${fractions[(i + 1) % fractions.length]}`, name]);
    }
    await symlink('f0', join(from, 'inner', 'link'));
    await execa('touch', ['-h', '-m', '-d', '@1796428205.185000100', join(from, 'inner', 'link')]);
    entries.push(join(from, 'inner', 'link'));
    for (const folder of [join(from, 'inner'), from]) {
      await execa('touch', ['-m', '-d', '@1796428205.189000050', folder]);
      entries.push(folder);
    }
    // Before the copy: reading a file moves its access time (relatime: it is older than the change time).
    const before = await Promise.all(entries.map((entry) => lstat(entry, { bigint: true })));
    await copyFiles(from, join(dir, 'b'));
    for (const [i, entry] of entries.entries()) {
      const a = before[i]!;
      const b = await lstat(join(dir, 'b', relative(from, entry)), { bigint: true });
      expect({ entry, mtime: b.mtimeNs / 1000n }).toEqual({ entry, mtime: a.mtimeNs / 1000n });
      // Folders' access times move as they are listed (by the copy itself): files only.
      if (a.isFile()) expect({ entry, atime: b.atimeNs / 1000n }).toEqual({ entry, atime: a.atimeNs / 1000n });
    }
  });
});
