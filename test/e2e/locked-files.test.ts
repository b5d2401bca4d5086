import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';
import { journalPhase } from './move-fixture.js';

/**
 * Files the OS will not unlink whatever their mode: Linux's immutable attribute (chattr +i),
 * which only a process with CAP_LINUX_IMMUTABLE (the real root, not a user namespace's) may set
 * or clear, as macOS's uchg flag does for its owner. The tests set it as the real root, from
 * outside the sandbox; the sandbox home lives on the test machine's own disk, which must take
 * the attribute (ext4, tmpfs since Linux 6.0).
 */
async function immutableSupport(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'setting chattr +i needs the tests to run as root';
  const probe = await fs.mkdtemp('/tmp/provision-chattr-');
  try {
    const file = path.join(probe, 'f');
    await fs.writeFile(file, '');
    const r = await execa('chattr', ['+i', file], { reject: false });
    if (r.exitCode !== 0) return `chattr +i does not work here: ${String(r.stderr)}`;
    await execa('chattr', ['-i', file]);
    return undefined;
  } finally {
    await fs.rm(probe, { recursive: true, force: true });
  }
}

const noImmutable = await immutableSupport();

describe('locked files in a folder that moves', () => {
  let sb: Sandbox;
  let config: string;
  const run = (cmd: string, ...args: string[]) => sb.cli([cmd, '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex', ...args]);

  async function setUp(realRoot: boolean): Promise<{ src: string; locked: string; want: Record<string, string> }> {
    sb = await Sandbox.create('iMac', { realRoot });
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
    await sb.mountDrive('Archive 2TB');
    const src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 20);
    const locked = path.join(src, udid(1), 'Manifest.db');
    const want = await snapshotTree(src);
    await execa('chattr', ['+i', locked]);
    return { src, locked, want };
  }

  afterEach(async () => {
    // The sandbox's folder cannot be removed while anything in it is immutable.
    await execa('chattr', ['-R', '-i', sb.root], { reject: false });
    await sb.dispose();
  });

  it.skipIf(noImmutable !== undefined)(`as the real root: the put-aside original's immutable file is unlocked and removed; the move converges (${noImmutable ?? 'chattr works'})`, async () => {
    const { src, want } = await setUp(true);
    const apply = await run('apply', '--yes');
    expect(apply.stderr, apply.stdout).not.toMatch(/Internal error/);
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(await fs.readlink(src)).toBe('/Volumes/Archive 2TB/MobileSync/alex');
    expect(await fs.readdir(path.dirname(src))).toEqual(['Backup']);
    // The copy does not carry the flag (Node cannot read or set it): the drive's copy stays deletable.
    const drive = sb.volume('Archive 2TB');
    expect(await snapshotTree(path.join(drive, 'MobileSync', 'alex'))).toEqual(want);
    const attrs = await execa('lsattr', ['-d', path.join(drive, 'MobileSync', 'alex', udid(1), 'Manifest.db')], { reject: false });
    expect(attrs.stdout.split(' ')[0]).not.toContain('i');
  });

  it.skipIf(noImmutable !== undefined)(`in a user namespace, which may not clear it: a clear error naming the file and the fix; once cleared, the next apply finishes (${noImmutable ?? 'chattr works'})`, async () => {
    const { src, locked, want } = await setUp(false);
    const apply = await run('apply', '--yes');
    expect(apply.exitCode).toBe(1);
    const out = apply.stderr + apply.stdout;
    expect(out).not.toMatch(/Internal error|This is a bug/);
    expect(out).toMatch(/cannot remove .*Manifest\.db \(EPERM\)/);
    expect(out).toMatch(/chattr -i -a/);
    // The verified copy is on the drive; the original is put aside, partly removed.
    const drive = sb.volume('Archive 2TB');
    expect(await snapshotTree(path.join(drive, 'MobileSync', 'alex'))).toEqual(want);
    expect(await journalPhase(sb)).toBeDefined();
    const aside = (await fs.readdir(path.dirname(src))).filter((n) => n.startsWith('.provision-'));
    expect(aside.length).toBe(1);
    // The user does what the hint says; the next apply removes the rest and converges.
    const asideLocked = path.join(path.dirname(src), aside[0] ?? '', path.relative(src, locked));
    await execa('chattr', ['-i', asideLocked]);
    const again = await run('apply', '--yes');
    expect(again.exitCode, again.stderr + again.stdout).toBe(0);
    expect(await fs.readdir(path.dirname(src))).toEqual(['Backup']);
    expect(await journalPhase(sb)).toBeUndefined();
  });
});
