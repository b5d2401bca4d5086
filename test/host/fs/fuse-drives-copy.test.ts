import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareTrees } from '../../../src/host/fs/compare-trees.js';
import { copyTree } from '../../../src/host/fs/copy-tree.js';
import { RealHost } from '../../../src/host/real-host.js';
import { Sandbox } from '../../helpers/sandbox.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';

/**
 * Copies onto real FUSE drives, from this process (the sandbox only holds the mounts): FAT32
 * through fusefat, which answers chmod with ENOSYS, and exFAT through exfat-fuse. Node's
 * copyFile fails there as a whole (libuv sets the new file's mode and gives up when it cannot).
 */
const fatMissing = await Sandbox.imageSupport('fat');
const exfatMissing = await Sandbox.imageSupport('exfat');

describe('copyTree and RealHost on drives that keep no Unix modes', () => {
  let sb: Sandbox;
  let dir: string;
  beforeEach(async () => {
    sb = await Sandbox.create();
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await sb.dispose();
    await removeTempDir(dir);
  });

  async function source(): Promise<string> {
    const src = join(dir, 'src');
    await mkdir(join(src, 'private', 'deeper'), { recursive: true });
    await writeFile(join(src, 'private', 'deeper', 'large'), randomBytes(300_000));
    await writeFile(join(src, 'small'), 'small');
    await writeFile(join(src, 'private', 'readonly'), 'r');
    await chmod(join(src, 'private', 'readonly'), 0o400);
    await chmod(join(src, 'private'), 0o700);
    return src;
  }

  it.skipIf(fatMissing !== undefined)(`FAT32 (fusefat, chmod gives ENOSYS): the copy succeeds and verifies, bytes included; mkdir/chmod/chown do what the drive can (${fatMissing ?? 'tools present'})`, async () => {
    const drive = await sb.mountImage('Fat', 'fat');
    const src = await source();
    const dest = join(drive, 'dest');
    expect(await copyTree(src, dest)).toEqual({ files: 3, bytes: 300_006 });
    expect(await compareTrees(src, dest)).toBeUndefined();
    expect(await compareTrees(src, dest, { content: true })).toBeUndefined();
    const host = new RealHost();
    await host.mkdir(join(drive, 'made'), 0o755);
    await host.chmod(join(drive, 'made'), 0o700);
    await host.chown(join(drive, 'made'), 0, 0);
    expect((await readdir(drive)).sort()).toEqual(['dest', 'made']);
  });

  it.skipIf(exfatMissing !== undefined)(`exFAT (exfat-fuse): the copy succeeds and verifies; statfs gives the 128 KiB cluster as the block size (${exfatMissing ?? 'tools present'})`, async () => {
    const drive = await sb.mountImage('Ex', 'exfat', { size: '32M', cluster: '128K' });
    const src = await source();
    const dest = join(drive, 'dest');
    await copyTree(src, dest);
    expect(await compareTrees(src, dest, { content: true })).toBeUndefined();
    expect((await new RealHost().statfs(drive)).blockSize).toBe(128 * 1024);
  });
});
