import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
