import { chmod, link, lstat, mkdir, rm, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareTrees } from '../../../src/host/fs/compare-trees.js';
import { copyWithCp } from '../../../src/host/fs/copy-with-cp.js';
import { fingerprintTree } from '../../../src/host/fs/tree-fingerprint.js';
import { RealHost } from '../../../src/host/real-host.js';
import { Sandbox } from '../../helpers/sandbox.js';
import { fastTempBase, makeTempDir, removeTempDir } from './temp-dir.js';

/**
 * What a move's copy keeps and what its verification checks, with the real tools: user xattrs
 * set by setfattr, POSIX ACLs by setfacl, hard links inside one entry and across two entries,
 * modes and times; on tmpfs and on a loop-mounted ext4 drive.
 */
const ext4Missing = await Sandbox.imageSupport('ext4');
const attrMissing = (await execa('sh', ['-c', 'command -v setfattr && command -v setfacl && command -v getfattr'], { reject: false })).exitCode === 0 ? undefined : 'attr/acl not installed (.ci/run installs them)';

async function run(file: string, args: string[]): Promise<void> {
  await execa(file, args);
}

/** A folder with two entries sharing a file by a hard link, xattrs, an ACL, odd modes and old times. */
async function source(dir: string): Promise<string> {
  const src = join(dir, 'src');
  await mkdir(join(src, 'Photos Library', 'originals'), { recursive: true });
  await mkdir(join(src, 'iPhoto Library', 'Masters'), { recursive: true });
  const photo = join(src, 'Photos Library', 'originals', 'IMG_1.jpg');
  await writeFile(photo, 'jpeg bytes');
  await link(photo, join(src, 'iPhoto Library', 'Masters', 'IMG_1.jpg'));
  await writeFile(join(src, 'Photos Library', 'a'), 'a');
  await link(join(src, 'Photos Library', 'a'), join(src, 'Photos Library', 'a2'));
  await writeFile(join(src, 'notes.txt'), 'n');
  await symlink('notes.txt', join(src, 'link'));
  await run('setfattr', ['-n', 'user.finder.tags', '-v', 'Red', photo]);
  await run('setfattr', ['-n', 'user.note', '-v', 'folder', join(src, 'iPhoto Library')]);
  await run('setfacl', ['-m', 'u:1234:r', join(src, 'notes.txt')]);
  await run('setfacl', ['-d', '-m', 'u:1234:rx', join(src, 'Photos Library')]);
  await chmod(join(src, 'notes.txt'), 0o640);
  await chmod(join(src, 'Photos Library', 'a'), 0o4711);
  await utimes(join(src, 'notes.txt'), 1_000_000, 1_000_000.123456);
  await utimes(join(src, 'iPhoto Library', 'Masters'), 2_000_000, 2_000_000);
  return src;
}

const ENTRIES = ['Photos Library', 'iPhoto Library', 'notes.txt', 'link'];

async function copyAll(src: string, dest: string, by: 'host' | 'cp' = 'host'): Promise<void> {
  await mkdir(dest, { mode: 0o700 });
  if (by === 'cp') await copyWithCp(src, dest, { entries: ENTRIES });
  else await new RealHost().copyTree(src, dest, { entries: ENTRIES });
}

async function getfattr(path: string): Promise<string> {
  return (await execa('getfattr', ['-d', '-m', '-', '-h', '-e', 'hex', path])).stdout.split('\n').slice(1).join('\n');
}

describe.skipIf(attrMissing !== undefined)('a move keeps and verifies metadata', () => {
  let dir: string;
  let sb: Sandbox | undefined;
  beforeEach(async () => {
    dir = await makeTempDir('provision-meta-', await fastTempBase());
  });
  afterEach(async () => {
    await sb?.dispose();
    sb = undefined;
    await removeTempDir(dir);
  });

  async function keeps(dest: string, by: 'host' | 'cp' = 'host'): Promise<void> {
    const src = await source(dir);
    await copyAll(src, dest, by);
    // Hard links: within one entry and across two entries, one inode in the copy too.
    const shared = await lstat(join(dest, 'Photos Library', 'originals', 'IMG_1.jpg'));
    expect((await lstat(join(dest, 'iPhoto Library', 'Masters', 'IMG_1.jpg'))).ino).toBe(shared.ino);
    expect(shared.nlink).toBe(2);
    expect((await lstat(join(dest, 'Photos Library', 'a2'))).ino).toBe((await lstat(join(dest, 'Photos Library', 'a'))).ino);
    // xattrs and ACLs.
    for (const p of ['Photos Library/originals/IMG_1.jpg', 'iPhoto Library', 'notes.txt', 'Photos Library']) {
      expect(await getfattr(join(dest, p))).toBe(await getfattr(join(src, p)));
    }
    expect(await getfattr(join(dest, 'notes.txt'))).toContain('system.posix_acl_access');
    // Modes and times (to the nanosecond).
    expect((await lstat(join(dest, 'Photos Library', 'a'))).mode & 0o7777).toBe(0o4711);
    const t = await lstat(join(dest, 'notes.txt'), { bigint: true });
    expect(t.mtimeNs).toBe((await lstat(join(src, 'notes.txt'), { bigint: true })).mtimeNs);
    expect((await stat(join(dest, 'iPhoto Library', 'Masters'))).mtimeMs).toBe(2_000_000_000);
    expect(await compareTrees(src, dest)).toBeUndefined();
  }

  it('on tmpfs: xattrs, ACLs, hard links (within and across entries), modes and times are copied and verify', async () => {
    await keeps(join(dir, 'dest'));
  });

  it.skipIf(process.getuid?.() !== 0)("gives back the original's attributes as it read them; a comparison that takes that read misses an attribute set since, which the original's fingerprint shows", async () => {
    const src = await source(dir);
    const dest = join(dir, 'dest');
    await mkdir(dest, { mode: 0o700 });
    const copied = await new RealHost().copyTree(src, dest, { entries: ENTRIES });
    const read = copied.originalAttributes;
    if (read === undefined) throw new Error('the copy gave back no read of the original');
    expect(read.root).toBe(src);
    expect(read.names).toEqual(ENTRIES);
    expect(read.dump.get('Photos Library/originals/IMG_1.jpg')?.get('user.finder.tags')).toBe('0x526564');
    expect(read.dump.get('notes.txt')?.has('system.posix_acl_access')).toBe(true);
    const before = await fingerprintTree(src);
    // Set on the original after the copier read it.
    await run('setfattr', ['-n', 'user.late', '-v', '1', join(src, 'notes.txt')]);
    expect(await compareTrees(src, dest, { originalAttributes: read })).toBeUndefined();
    expect(await compareTrees(src, dest)).toBe('notes.txt has extended attribute user.late in the original but not in the copy');
    // What lets the read stand: setting an attribute (or an ACL) changes the entry's change time.
    const afterAttribute = await fingerprintTree(src);
    expect(afterAttribute.digest).not.toBe(before.digest);
    expect(afterAttribute.newest?.path).toBe('notes.txt');
    await run('setfacl', ['-m', 'u:4321:r', join(src, 'Photos Library', 'a')]);
    expect((await fingerprintTree(src)).newest?.path).toBe('Photos Library/a');
  });

  it('the same by cp -a, the fallback (getfattr missing, or attributes to carry without root)', async () => {
    await keeps(join(dir, 'dest'), 'cp');
  });

  it.skipIf(ext4Missing !== undefined)(`on a loop-mounted ext4 drive, the same (${ext4Missing ?? 'tools present'})`, async () => {
    sb = await Sandbox.create();
    const drive = await sb.mountImage('Ext', 'ext4');
    await keeps(join(drive, 'dest'));
  });

  it('verification names a dropped xattr, a changed ACL, a broken hard link, a changed mode, a changed time', async () => {
    const src = await source(dir);
    const dest = join(dir, 'dest');
    const fresh = async (): Promise<void> => {
      await rm(dest, { recursive: true, force: true });
      await copyAll(src, dest);
      expect(await compareTrees(src, dest)).toBeUndefined();
    };
    await fresh();
    await run('setfattr', ['-x', 'user.finder.tags', join(dest, 'Photos Library', 'originals', 'IMG_1.jpg')]);
    expect(await compareTrees(src, dest)).toBe('Photos Library/originals/IMG_1.jpg has extended attribute user.finder.tags in the original but not in the copy');

    await fresh();
    // The named user loses read; the mask (the mode's group bits) stays r, so only the ACL differs.
    await run('setfacl', ['-m', 'u:1234:-', join(dest, 'notes.txt')]);
    expect((await lstat(join(dest, 'notes.txt'))).mode & 0o777).toBe(0o640);
    expect(await compareTrees(src, dest)).toBe('notes.txt has a different access ACL in the copy');

    await fresh();
    await run('setfacl', ['-d', '-m', 'u:999:r', join(dest, 'Photos Library')]);
    expect(await compareTrees(src, dest)).toBe('Photos Library has a different default ACL in the copy');

    await fresh();
    // Broken across entries: the iPhoto name becomes its own file, same bytes, same metadata.
    const masters = join(dest, 'iPhoto Library', 'Masters', 'IMG_1.jpg');
    const alone = join(dest, 'alone');
    await execa('cp', ['--preserve=all', masters, alone]);
    await unlink(masters);
    await execa('mv', [alone, masters]);
    await utimes(join(dest, 'iPhoto Library', 'Masters'), 2_000_000, 2_000_000);
    expect(await compareTrees(src, dest)).toMatch(/IMG_1\.jpg and .*IMG_1\.jpg are one file \(hard links\) in the original but separate files in the copy/);

    await fresh();
    await chmod(join(dest, 'Photos Library', 'a2'), 0o755);
    expect(await compareTrees(src, dest)).toMatch(/^Photos Library\/a2? has mode 0755 in the copy, 04711 in the original$/);

    await fresh();
    await utimes(join(dest, 'notes.txt'), 1_000_000, 1_000_001);
    expect(await compareTrees(src, dest)).toMatch(/^notes\.txt was modified /);
  });
});

describe('summarize and hard links', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('provision-links-', await fastTempBase());
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  it('counts a hard-linked file’s bytes once, its extra names apart, and the files also named outside the tree', async () => {
    const root = join(dir, 'Pictures');
    await mkdir(join(root, 'a'), { recursive: true });
    await writeFile(join(root, 'a', 'one'), Buffer.alloc(1000));
    await link(join(root, 'a', 'one'), join(root, 'two'));
    await writeFile(join(root, 'shared'), Buffer.alloc(300));
    await link(join(root, 'shared'), join(dir, 'outside'));
    await writeFile(join(root, 'plain'), Buffer.alloc(5));
    const s = await new RealHost().summarize(root);
    expect(s).toMatchObject({ files: 4, bytes: 1305, largestFile: 1000, extraNames: { files: 1, bytes: 1000 }, linkedOutside: { files: 1, bytes: 300, first: 'shared' } });
  });
});

describe('the cp copier’s failures', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('provision-cp-', await fastTempBase());
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  it('an abort kills cp and throws an AbortError; a refusal comes back as a Node-style errno error', async () => {
    const src = join(dir, 'src');
    await mkdir(src);
    for (let i = 0; i < 2000; i++) await writeFile(join(src, `f${i}`), 'x');
    const controller = new AbortController();
    const seen: number[] = [];
    const copying = copyWithCp(src, join(dir, 'dest'), {
      signal: controller.signal,
      onProgress: (p) => {
        seen.push(p.files);
        controller.abort();
      },
    });
    await expect(copying).rejects.toMatchObject({ name: 'AbortError' });
    // cp may have got further, but not to the end: it was killed.
    expect(seen.length).toBeGreaterThan(0);

    await expect(copyWithCp(join(dir, 'none'), join(dir, 'dest2'))).rejects.toMatchObject({ code: 'ENOENT', path: join(dir, 'none') });
    await expect(copyWithCp(src, join(dir, 'dest2'), {}, 'no-such-cp')).rejects.toThrow(/was not found/);
  });
});
