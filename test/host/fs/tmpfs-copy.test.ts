/**
 * Copies onto a real tmpfs: across devices, until the space runs out, and onto a read-only
 * mount. Mounting needs a private mount namespace, so the outer test re-runs this file inside
 * `unshare --user --map-root-user --mount`, where the inner tests mount tmpfs themselves.
 */

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyTree } from '../../../src/host/fs/copy-tree.js';
import { RealHost } from '../../../src/host/real-host.js';
import { runChildVitest, writeMarker } from './child-vitest.js';
import { makeTempDir, removeTempDir } from './temp-dir.js';
import { diffSnapshots, snapshotTree } from './tree-snapshot.js';

const inNamespace = process.env.PROVISION_IN_NAMESPACE === '1';
const MARKERS = ['cross-device', 'enospc-large', 'enospc-small', 'erofs'];

async function unshareWorks(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'not Linux';
  const probe = await execa('unshare', ['--user', '--map-root-user', '--mount', 'true'], { reject: false, stdin: 'ignore' });
  if (probe.exitCode === 0) return undefined;
  return `unshare --user --map-root-user --mount is unavailable here (${probe.stderr || probe.message})`;
}
const unavailable = inNamespace ? 'running inside the namespace' : await unshareWorks();
if (!inNamespace && unavailable !== undefined) console.warn(`skipping tmpfs copy tests: ${unavailable}`);

describe.skipIf(inNamespace || unavailable !== undefined)('copyTree onto tmpfs (outer)', () => {
  it('runs the namespace tests and they all prove their point', async () => {
    const dir = await makeTempDir();
    try {
      const marker = join(dir, 'markers');
      await writeFile(marker, '');
      const run = await runChildVitest(
        ['unshare', '--user', '--map-root-user', '--mount'],
        'test/host/fs/tmpfs-copy.test.ts',
        { ...process.env, PROVISION_IN_NAMESPACE: '1' } as Record<string, string>,
        marker,
      );
      expect(run.exitCode, run.output).toBe(0);
      expect([...run.markers].sort()).toEqual([...MARKERS].sort());
    } finally {
      await removeTempDir(dir);
    }
  });
});

describe.runIf(inNamespace)('copyTree onto tmpfs (inside the namespace)', () => {
  let dir: string;
  let mountPoint: string;
  beforeEach(async () => {
    dir = await makeTempDir();
    mountPoint = join(dir, 'mnt');
    await mkdir(mountPoint);
  });
  afterEach(async () => {
    await execa('umount', [mountPoint], { reject: false });
    await rmdir(mountPoint).catch(() => undefined);
    await removeTempDir(dir);
  });

  const mountTmpfs = async (options: string): Promise<void> => {
    await execa('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mountPoint]);
  };

  it('copies across devices, preserving everything, and statfs names tmpfs', async () => {
    await mountTmpfs('size=64m');
    const src = join(dir, 'src');
    await mkdir(join(src, 'sub'), { recursive: true });
    await writeFile(join(src, 'sub', 'a'), randomBytes(300_000));
    await writeFile(join(src, 'b'), 'small');
    await chmod(join(src, 'b'), 0o640);
    const dest = join(mountPoint, 'dest');
    const progress = await copyTree(src, dest);
    expect(progress).toEqual({ files: 2, bytes: 300_005 });
    expect(diffSnapshots(await snapshotTree(src), await snapshotTree(dest))).toEqual([]);
    const space = await new RealHost().statfs(mountPoint);
    expect(space.fsType).toBe('tmpfs');
    expect(space.totalBytes).toBe(64 * 1024 * 1024);
    expect(space.freeBytes).toBeLessThan(space.totalBytes);
    await writeMarker('cross-device');
  });

  it('propagates ENOSPC from large files and leaves the source untouched', async () => {
    await mountTmpfs('size=1m');
    const src = join(dir, 'src');
    await mkdir(src);
    for (let i = 0; i < 3; i++) await writeFile(join(src, `big${i}`), randomBytes(700_000));
    const before = await snapshotTree(src);
    await expect(copyTree(src, join(mountPoint, 'dest'))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(diffSnapshots(before, await snapshotTree(src))).toEqual([]);
    await writeMarker('enospc-large');
  });

  it('propagates ENOSPC from many small files and leaves the source untouched', async () => {
    await mountTmpfs('size=1m');
    const src = join(dir, 'src');
    await mkdir(src);
    for (let i = 0; i < 40; i++) await writeFile(join(src, `small${i}`), randomBytes(60_000));
    const before = await snapshotTree(src);
    await expect(copyTree(src, join(mountPoint, 'dest'))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(diffSnapshots(before, await snapshotTree(src))).toEqual([]);
    await writeMarker('enospc-small');
  });

  it('reports a read-only mount as not writable (EROFS)', async () => {
    await mountTmpfs('size=1m,ro');
    expect(await new RealHost().canWrite(mountPoint)).toBe(false);
    await expect(new RealHost().mkdir(join(mountPoint, 'x'), 0o755)).rejects.toMatchObject({ code: 'EROFS' });
    await writeMarker('erofs');
  });
});
