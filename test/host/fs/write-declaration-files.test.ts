import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replaceFile } from '../../../src/host/fs/replace-file.js';
import { writeNewFile } from '../../../src/host/fs/write-new-file.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

describe('writing a declaration: a new file never clobbers, a replaced one keeps its mode and its link', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  it('writeNewFile creates the file once; then reports that something is there and leaves it alone', async () => {
    const file = path.join(dir, 'backups.yaml');
    expect(await writeNewFile(file, 'first\n')).toBe('created');
    expect(await writeNewFile(file, 'second\n')).toBe('exists');
    expect(await fs.readFile(file, 'utf8')).toBe('first\n');
    expect(await fs.readdir(dir)).toEqual(['backups.yaml']);
  });

  it('writeNewFile: of eight writers racing for one name, exactly one wins, whole', async () => {
    const file = path.join(dir, 'backups.yaml');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => writeNewFile(file, `writer ${i}\n`.repeat(1000))));
    expect(results.filter((r) => r === 'created')).toHaveLength(1);
    const winner = results.indexOf('created');
    expect(await fs.readFile(file, 'utf8')).toBe(`writer ${winner}\n`.repeat(1000));
    expect(await fs.readdir(dir)).toEqual(['backups.yaml']);
  });

  it('writeNewFile treats a dangling link as something there', async () => {
    const file = path.join(dir, 'backups.yaml');
    await fs.symlink(path.join(dir, 'nowhere'), file);
    expect(await writeNewFile(file, 'x')).toBe('exists');
    expect(await fs.readdir(dir)).toEqual(['backups.yaml']);
  });

  it('replaceFile keeps the mode, and writes through a link to the file it names', async () => {
    const real = path.join(dir, 'dotfiles', 'backups.yaml');
    await fs.mkdir(path.dirname(real));
    await fs.writeFile(real, 'old\n', { mode: 0o600 });
    await fs.chmod(real, 0o600);
    const link = path.join(dir, 'backups.yaml');
    await fs.symlink(real, link);
    expect(await replaceFile(link, 'new\n', Buffer.from('old\n'))).toBe('replaced');
    expect(await fs.readlink(link)).toBe(real);
    expect(await fs.readFile(real, 'utf8')).toBe('new\n');
    expect((await fs.stat(real)).mode & 0o777).toBe(0o600);
    expect(await fs.readdir(path.dirname(real))).toEqual(['backups.yaml']);
  });

  it('replaceFile replaces nothing when the file changed since it was read', async () => {
    const file = path.join(dir, 'backups.yaml');
    await fs.writeFile(file, 'edited meanwhile\n');
    expect(await replaceFile(file, 'new\n', Buffer.from('as read\n'))).toBe('changed');
    expect(await fs.readFile(file, 'utf8')).toBe('edited meanwhile\n');
    expect(await fs.readdir(dir)).toEqual(['backups.yaml']);
  });
});
