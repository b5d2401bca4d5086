/**
 * What RealHost does where permissions bite. Root reads through chmod 000, so when the suite
 * runs as root the outer test re-runs this file as nobody (setpriv); run as any other user,
 * the inner tests run directly.
 */

import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RealHost } from '../../src/host/real-host.js';
import { projectRoot, readableProjectCopy, runChildVitest, writeMarker } from './fs/child-vitest.js';
import { isRoot, makeTempDir, removeTempDir } from './fs/temp-dir.js';

const host = new RealHost();
const NOBODY = '65534';
const MARKERS = ['summarize-unreadable', 'lstat-eacces', 'canwrite-readonly', 'copy-eacces'];
const THIS_FILE = 'test/host/real-host-unprivileged.test.ts';

/** Whether nobody can run node and read the test file at root (a checkout may sit in a private folder). */
async function nobodyCanRead(root: string): Promise<boolean> {
  const args = [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, '-e'];
  const probe = await execa('setpriv', [...args, 'require("fs").accessSync(process.argv[1], 4)', join(root, THIS_FILE)], {
    reject: false,
    stdin: 'ignore',
  });
  return probe.exitCode === 0;
}

async function whyNoSetpriv(): Promise<string | undefined> {
  if (!isRoot) return 'not running as root (the inner tests run directly)';
  const probe = await execa('setpriv', ['--version'], { reject: false, stdin: 'ignore' });
  return probe.exitCode === 0 ? undefined : `setpriv is not available (${probe.stderr || probe.message})`;
}
const skipOuter = await whyNoSetpriv();
if (isRoot && skipOuter !== undefined) console.warn(`skipping unprivileged RealHost tests: ${skipOuter}`);

describe.skipIf(skipOuter !== undefined)('RealHost without privileges (outer, as root)', () => {
  it('runs the inner tests as nobody and they all prove their point', async () => {
    const dir = await makeTempDir();
    const copy = (await nobodyCanRead(projectRoot)) ? undefined : await readableProjectCopy();
    try {
      await chmod(dir, 0o755);
      const marker = join(dir, 'markers');
      await writeFile(marker, '');
      await chmod(marker, 0o666);
      const run = await runChildVitest(
        ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups'],
        THIS_FILE,
        { ...process.env, HOME: '/tmp' } as Record<string, string>,
        marker,
        copy?.root ?? projectRoot,
      );
      expect(run.exitCode, run.output).toBe(0);
      expect([...run.markers].sort()).toEqual([...MARKERS].sort());
    } finally {
      await removeTempDir(dir);
      await copy?.dispose();
    }
  }, 180_000);
});

describe.skipIf(isRoot)('RealHost without privileges (inner)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir();
  });
  afterEach(async () => {
    await removeTempDir(dir);
  });

  it('summarize lists an unreadable folder with its code and counts the rest; manifest throws', async () => {
    const tree = join(dir, 'tree');
    await mkdir(join(tree, 'locked', 'inner'), { recursive: true });
    await writeFile(join(tree, 'locked', 'inner', 'hidden'), 'x'.repeat(1000));
    await writeFile(join(tree, 'visible'), 'abc');
    await chmod(join(tree, 'locked'), 0o000);
    expect(await host.summarize(tree)).toEqual({
      files: 1,
      directories: 1,
      symlinks: 0,
      bytes: 3,
      largestFile: 3,
      unreadable: [{ path: 'locked', code: 'EACCES' }],
    });
    await expect(host.manifest(tree)).rejects.toMatchObject({ code: 'EACCES' });
    // Asked to fingerprint it in the same walk: the same summary, and no fingerprint (what
    // cannot be read cannot be vouched for; a fingerprint of its own throws).
    const both = await host.summarize(tree, { withFingerprint: true });
    expect(both.fingerprint).toBeUndefined();
    expect(both).toEqual(await host.summarize(tree));
    await expect(host.fingerprint(tree)).rejects.toMatchObject({ code: 'EACCES' });
    // An unreadable root is not a subfolder: its error propagates.
    await expect(host.summarize(join(tree, 'locked'))).rejects.toMatchObject({ code: 'EACCES' });
    await writeMarker('summarize-unreadable');
  });

  it('lstat propagates EACCES instead of saying nothing is there', async () => {
    await mkdir(join(dir, 'closed'));
    await writeFile(join(dir, 'closed', 'f'), '');
    await chmod(join(dir, 'closed'), 0o000);
    await expect(host.lstat(join(dir, 'closed', 'f'))).rejects.toMatchObject({ code: 'EACCES' });
    await writeMarker('lstat-eacces');
  });

  it('canWrite is false for a read-only folder', async () => {
    await mkdir(join(dir, 'ro'));
    await chmod(join(dir, 'ro'), 0o555);
    expect(await host.canWrite(join(dir, 'ro'))).toBe(false);
    expect(await host.canWrite(dir)).toBe(true);
    await writeMarker('canwrite-readonly');
  });

  it('copyTree propagates EACCES from an unreadable folder', async () => {
    const src = join(dir, 'src');
    await mkdir(join(src, 'locked'), { recursive: true });
    await writeFile(join(src, 'locked', 'f'), 'x');
    await chmod(join(src, 'locked'), 0o000);
    await expect(host.copyTree(src, join(dir, 'dest'))).rejects.toMatchObject({ code: 'EACCES' });
    await writeMarker('copy-eacces');
  });
});
