import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyWithDitto } from '../../src/host/fs/copy-with-ditto.js';
import { compareTrees } from '../../src/host/fs/compare-trees.js';
import { createSimSandbox, SIM_BIN, type SimSandbox } from './run-sim.js';

const DITTO = path.join(SIM_BIN, 'ditto');

describe('sim ditto', () => {
  let sb: SimSandbox;
  let src: string;
  beforeEach(async () => {
    sb = await createSimSandbox();
    src = path.join(sb.dir, 'src');
    await fs.mkdir(path.join(src, 'a', 'b'), { recursive: true });
    await fs.writeFile(path.join(src, 'a', 'b', 'f'), 'data');
    await fs.link(path.join(src, 'a', 'b', 'f'), path.join(src, 'g'));
    await fs.symlink('a/b/f', path.join(src, 'l'));
    await fs.writeFile(path.join(src, '.nfs000123'), 'nfs leftover');
    await fs.chmod(path.join(src, 'a'), 0o750);
  });
  afterEach(async () => {
    await sb.remove();
  });

  it('copies a folder’s contents into a new folder: modes, times, hard links, xattrs kept; links inside copied as links; .nfs names skipped; -V prints a line per file', async () => {
    await execa('setfattr', ['-n', 'user.tag', '-v', 'red', path.join(src, 'g')]);
    const dst = path.join(sb.dir, 'dst');
    const r = await sb.run('ditto', ['-V', src, dst]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter((l) => l.startsWith('copying file ')).length).toBe(3);
    expect((await fs.readdir(dst)).sort()).toEqual(['a', 'g', 'l']);
    expect((await fs.lstat(path.join(dst, 'g'))).ino).toBe((await fs.lstat(path.join(dst, 'a', 'b', 'f'))).ino);
    expect(await fs.readlink(path.join(dst, 'l'))).toBe('a/b/f');
    expect((await fs.lstat(path.join(dst, 'a'))).mode & 0o777).toBe(0o750);
    expect((await execa('getfattr', ['-n', 'user.tag', '--only-values', path.join(dst, 'g')])).stdout).toBe('red');
  });

  it('merges into an existing folder and leaves its own mode alone; follows a link given as an argument', async () => {
    const dst = path.join(sb.dir, 'dst');
    await fs.mkdir(dst, { mode: 0o700 });
    await fs.writeFile(path.join(dst, 'kept'), 'k');
    await fs.chmod(dst, 0o711);
    expect((await sb.run('ditto', [src, dst])).exitCode).toBe(0);
    expect((await fs.readdir(dst)).sort()).toEqual(['a', 'g', 'kept', 'l']);
    expect((await fs.lstat(dst)).mode & 0o777).toBe(0o711);
    const byLink = path.join(sb.dir, 'bylink');
    expect((await sb.run('ditto', [path.join(src, 'l'), byLink])).exitCode).toBe(0);
    expect((await fs.lstat(byLink)).isFile()).toBe(true);
  });

  it('fails with "ditto: <path>: <reason>" and exit 1; usage without operands', async () => {
    expect(await sb.run('ditto', [path.join(sb.dir, 'none'), path.join(sb.dir, 'x')])).toEqual({ exitCode: 1, stdout: '', stderr: `ditto: ${path.join(sb.dir, 'none')}: No such file or directory\n` });
    const usage = await sb.run('ditto', []);
    expect(usage.exitCode).toBe(1);
    expect(usage.stderr).toMatch(/^Usage: ditto/);
  });
});

describe('the ditto copier (macOS) against the simulator', () => {
  let sb: SimSandbox;
  beforeEach(async () => {
    sb = await createSimSandbox();
  });
  afterEach(async () => {
    await sb.remove();
  });

  async function library(): Promise<string> {
    const src = path.join(sb.dir, 'Pictures');
    await fs.mkdir(path.join(src, 'Photos Library', 'originals'), { recursive: true });
    await fs.mkdir(path.join(src, 'iPhoto Library', 'Masters'), { recursive: true });
    await fs.writeFile(path.join(src, 'Photos Library', 'originals', 'IMG.jpg'), 'jpeg');
    await fs.link(path.join(src, 'Photos Library', 'originals', 'IMG.jpg'), path.join(src, 'iPhoto Library', 'Masters', 'IMG.jpg'));
    await fs.symlink('Photos Library', path.join(src, 'latest'));
    await fs.writeFile(path.join(src, '.DS_Store'), 'finder');
    await execa('setfattr', ['-n', 'user.com.apple.metadata:_kMDItemUserTags', '-v', 'Red', path.join(src, 'iPhoto Library', 'Masters', 'IMG.jpg')]);
    return src;
  }

  it('copies every entry in one run: the hard link between two entries stays one file; a top-level link is not followed', async () => {
    const src = await library();
    const dst = path.join(sb.dir, 'partial');
    await fs.mkdir(dst, { mode: 0o700 });
    const entries = ['.DS_Store', 'Photos Library', 'iPhoto Library', 'latest'];
    await copyWithDitto(src, dst, { entries }, path.join(SIM_BIN, 'ditto'));
    expect(await fs.readlink(path.join(dst, 'latest'))).toBe('Photos Library');
    expect((await fs.lstat(path.join(dst, 'iPhoto Library', 'Masters', 'IMG.jpg'))).ino).toBe((await fs.lstat(path.join(dst, 'Photos Library', 'originals', 'IMG.jpg'))).ino);
    expect(await compareTrees(src, dst)).toBeUndefined();
  });

  it('copies some entries (one run each, links joined again afterwards) and turns ditto’s errors into errno errors', async () => {
    const src = await library();
    const dst = path.join(sb.dir, 'partial');
    await fs.mkdir(dst, { mode: 0o700 });
    const entries = ['Photos Library', 'iPhoto Library', 'latest'];
    await copyWithDitto(src, dst, { entries }, DITTO);
    expect((await fs.lstat(path.join(dst, 'iPhoto Library', 'Masters', 'IMG.jpg'))).ino).toBe((await fs.lstat(path.join(dst, 'Photos Library', 'originals', 'IMG.jpg'))).ino);
    expect(await compareTrees(src, dst, { skipTop: ['.DS_Store'] })).toBeUndefined();

    await expect(copyWithDitto(path.join(sb.dir, 'gone'), path.join(sb.dir, 'to'), {}, DITTO)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
