import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { expectNothingPlanned, macBackupFolder, makeHome, writeHousehold } from './household.js';

const TARGET_ALEX = '/Volumes/Archive 2TB/MobileSync/alex';

describe('iOS device backups end to end, under --root with real tmpfs drives', () => {
  let sb: Sandbox;
  let config: string;
  const run = (cmd: string, ...args: string[]) =>
    sb.cli([cmd, '-c', config, '--root', sb.root, '--machine', 'imac', ...args]);

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
    await makeHome(sb.root, 'sam');
  });
  afterEach(async () => {
    await sb.dispose();
  });

  async function expectConverged(...args: string[]): Promise<void> {
    await expectNothingPlanned(run, ...args);
    const apply = await run('apply', '--yes', ...args);
    expect(apply.exitCode).toBe(0);
    expect(apply.stdout).toContain('No changes.');
  }

  async function noLeftovers(dir: string): Promise<void> {
    const names = await fs.readdir(dir);
    expect(names.filter((n) => n.startsWith('.provision-'))).toEqual([]);
  }

  it('nothing there yet: creates the private folder on the drive and the link', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const plan = await run('plan', '--detailed-exitcode');
    expect(plan.exitCode).toBe(2);
    expect(plan.stdout).toContain('+ alex: iOS device backups');
    expect(plan.stdout).toContain('Plan: 0 to relocate, 2 to create, 0 to update.');
    const apply = await run('apply', '--yes');
    expect(apply.stderr).toBe(apply.stderr); // printed for debugging on failure
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    const link = macBackupFolder(sb.root, 'alex');
    expect(await fs.readlink(link)).toBe(TARGET_ALEX);
    const st = await fs.stat(path.join(drive, 'MobileSync', 'alex'));
    expect(st.isDirectory()).toBe(true);
    expect(st.mode & 0o777).toBe(0o700);
    await expectConverged();
  });

  it('a folder with device backups: moves them verified, links, converges', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 30);
    await makeDeviceBackup(path.join(src, udid(2, false)), 2, 20);
    const before = await snapshotTree(src);
    const treeBefore = await snapshotTree(path.join(sb.root, 'Users'));

    const plan = await run('plan');
    expect(plan.exitCode).toBe(0);
    expect(plan.stdout).toContain('> alex: iOS device backups');
    expect(plan.stdout).toMatch(/moves: .* in 5\d files/);
    // plan changes nothing, byte for byte, times included
    expect(await snapshotTree(path.join(sb.root, 'Users'))).toEqual(treeBefore);

    const apply = await run('apply', '--yes');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(await fs.readlink(src)).toBe(TARGET_ALEX);
    expect(await snapshotTree(path.join(drive, 'MobileSync', 'alex'))).toEqual(before);
    await noLeftovers(path.dirname(src));
    await noLeftovers(path.join(drive, 'MobileSync', 'alex'));
    await expectConverged();
  });

  it('apply --verify content compares every byte, and progress counts the removal of the original', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 40);
    const before = await snapshotTree(src);
    const apply = await run('apply', '--yes', '--user', 'alex', '--verify', 'content');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(apply.stdout).toContain('verifying every byte');
    expect(apply.stdout).toMatch(/removing the original: \[-+\] 0%, 0 of 4\d files/);
    expect(await snapshotTree(path.join(drive, 'MobileSync', 'alex'))).toEqual(before);
    const bad = await run('apply', '--yes', '--verify', 'hash');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain("Allowed choices are size, content");
  });

  it('an empty folder is replaced by the link', async () => {
    await sb.mountDrive('Archive 2TB');
    const src = macBackupFolder(sb.root, 'alex');
    await fs.mkdir(src, { recursive: true });
    const apply = await run('apply', '--yes', '--user', 'alex');
    expect(apply.exitCode, apply.stderr).toBe(0);
    expect(await fs.readlink(src)).toBe(TARGET_ALEX);
    await expectConverged('--user', 'alex');
  });

  it('already linked right: no changes', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    for (const u of ['alex', 'sam']) {
      await fs.mkdir(path.join(drive, 'MobileSync', u), { recursive: true });
      await fs.mkdir(path.dirname(macBackupFolder(sb.root, u)), { recursive: true });
      await fs.symlink(`/Volumes/Archive 2TB/MobileSync/${u}`, macBackupFolder(sb.root, u));
    }
    // Links made by hand are adopted: the first apply only records which drive holds them.
    const first = await run('plan', '--detailed-exitcode');
    expect(first.exitCode, first.stdout).toBe(2);
    expect(first.stdout).toContain('is recorded as the drive that holds');
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    const plan = await run('plan', '--detailed-exitcode');
    expect(plan.exitCode, plan.stdout).toBe(0);
    expect(plan.stdout).toContain('No changes. Everything is as declared.');
  });

  it('linked to another drive: moves the backups to the declared place and re-points the link', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const old = await sb.mountDrive('Old');
    await makeDeviceBackup(path.join(old, 'MobileSync', udid(7)), 7, 10);
    const want = await snapshotTree(path.join(old, 'MobileSync'));
    const src = macBackupFolder(sb.root, 'alex');
    await fs.mkdir(path.dirname(src), { recursive: true });
    await fs.symlink('/Volumes/Old/MobileSync', src);
    const apply = await run('apply', '--yes', '--user', 'alex');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(await fs.readlink(src)).toBe(TARGET_ALEX);
    expect(await snapshotTree(path.join(drive, 'MobileSync', 'alex'))).toEqual(want);
    // the old place was moved, not copied: nothing is left there but no data was lost either
    await expect(fs.lstat(path.join(old, 'MobileSync'))).rejects.toThrow();
    await noLeftovers(old);
    await expectConverged('--user', 'alex');
  });

  it('a dangling link is re-pointed', async () => {
    await sb.mountDrive('Archive 2TB');
    const src = macBackupFolder(sb.root, 'alex');
    await fs.mkdir(path.dirname(src), { recursive: true });
    await fs.symlink('/Volumes/Gone/MobileSync', src);
    const plan = await run('plan', '--user', 'alex');
    expect(plan.stdout).toContain('~ alex: iOS device backups');
    const apply = await run('apply', '--yes', '--user', 'alex');
    expect(apply.exitCode, apply.stderr).toBe(0);
    expect(await fs.readlink(src)).toBe(TARGET_ALEX);
  });

  it('the link replaced by a real folder with a new backup: folds it in and restores the link', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    await makeDeviceBackup(path.join(drive, 'MobileSync', 'alex', udid(1)), 1, 5);
    const src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(3)), 3, 5);
    const apply = await run('apply', '--yes', '--user', 'alex');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect((await fs.readdir(path.join(drive, 'MobileSync', 'alex'))).sort()).toEqual([udid(1), udid(3)].sort());
    expect(await fs.readlink(src)).toBe(TARGET_ALEX);
    await expectConverged('--user', 'alex');
  });

  it('the same device on both sides is blocked and nothing is touched', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    await makeDeviceBackup(path.join(drive, 'MobileSync', 'alex', udid(1)), 1, 5);
    const src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(1)), 11, 5);
    const home = await snapshotTree(path.join(sb.root, 'Users'));
    const onDrive = await snapshotTree(drive);
    const apply = await run('apply', '--yes', '--user', 'alex');
    expect(apply.exitCode).toBe(1);
    expect(apply.stdout).toContain(udid(1));
    expect(apply.stdout).toContain('blocked');
    expect(await snapshotTree(path.join(sb.root, 'Users'))).toEqual(home);
    expect(await snapshotTree(drive)).toEqual(onDrive);
  });

  it('a missing drive blocks and nothing is created under /Volumes', async () => {
    const src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 5);
    const plan = await run('plan', '--json');
    expect(plan.exitCode).toBe(1);
    const doc = JSON.parse(plan.stdout) as { format_version: number; changes: { blockers: { code: string }[] }[] };
    expect(doc.format_version).toBe(2);
    expect(doc.changes[0]?.blockers.map((b) => b.code)).toContain('DRIVE_NOT_MOUNTED');
    const apply = await run('apply', '--yes');
    expect(apply.exitCode).toBe(1);
    expect(await fs.readdir(path.join(sb.root, 'Volumes'))).toEqual([]);
    expect((await fs.lstat(src)).isDirectory()).toBe(true);
  });

  it('a stale folder under /Volumes (not a mount point) blocks', async () => {
    await fs.mkdir(path.join(sb.root, 'Volumes', 'Archive 2TB'));
    const plan = await run('plan', '--json', '--user', 'alex');
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain('DRIVE_STALE_FOLDER');
    const apply = await run('apply', '--yes', '--user', 'alex');
    expect(apply.exitCode).toBe(1);
    expect(await fs.readdir(path.join(sb.root, 'Volumes', 'Archive 2TB'))).toEqual([]);
  });

  it('not enough free space blocks before anything is written', async () => {
    await sb.mountDrive('Archive 2TB', '1m');
    const src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 200);
    const plan = await run('plan', '--json', '--user', 'alex');
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain('NOT_ENOUGH_SPACE');
  });

  it('a FAT32 drive (as diskutil reports it) cannot take a file over 4 GiB', async () => {
    await sb.mountDrive('Archive 2TB', '64m');
    const mount = path.join(sb.root, 'Volumes', 'Archive 2TB');
    await fs.writeFile(
      sb.simState,
      JSON.stringify({ scutil: { ComputerName: 'iMac' }, diskutil: { volumes: { [mount]: { VolumeName: 'Archive 2TB', FilesystemType: 'msdos', FreeSpace: 8 * 1024 ** 3 } } } }),
    );
    const src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 3);
    // A sparse 5 GiB file: its size is real, its blocks are not.
    const big = path.join(src, udid(1), 'big.ipa');
    await fs.writeFile(big, '');
    await fs.truncate(big, 5 * 1024 ** 3);
    const plan = await run('plan', '--json', '--user', 'alex');
    expect(plan.exitCode).toBe(1);
    const codes = (JSON.parse(plan.stdout) as { changes: { blockers: { code: string }[] }[] }).changes.flatMap((c) => c.blockers.map((b) => b.code));
    expect(codes).toContain('FAT32_FILE_TOO_LARGE');
  });

  it('free space is counted across users: the second move that no longer fits is blocked', async () => {
    await sb.mountDrive('Archive 2TB', '8m');
    // Each user's backups fit on the drive alone (about 4.5 MiB each), not both together.
    for (const [i, u] of ['alex', 'sam'].entries()) {
      const d = path.join(macBackupFolder(sb.root, u), udid(20 + i));
      await makeDeviceBackup(d, 20 + i, 2);
      await fs.writeFile(path.join(d, 'Manifest.db'), Buffer.alloc(4_500_000, 7));
    }
    for (const u of ['alex', 'sam']) {
      const alone = await run('plan', '--json', '--user', u);
      expect(alone.exitCode, `${u} alone`).toBe(0);
    }
    const both = await run('plan', '--json');
    expect(both.exitCode).toBe(1);
    const doc = JSON.parse(both.stdout) as { changes: { user: string; blockers: { code: string }[] }[] };
    expect(doc.changes.find((c) => c.user === 'alex')?.blockers).toEqual([]);
    expect(doc.changes.find((c) => c.user === 'sam')?.blockers.map((b) => b.code)).toEqual(['NOT_ENOUGH_SPACE']);
  });

  it('apply without a terminal needs --yes; an unknown machine lists the declared ones', async () => {
    await sb.mountDrive('Archive 2TB');
    const noYes = await run('apply');
    expect(noYes.exitCode).toBe(1);
    expect(noYes.stderr).toContain('--yes');
    expect(await fs.lstat(macBackupFolder(sb.root, 'alex')).catch(() => undefined)).toBeUndefined();
    const unknown = await sb.cli(['plan', '-c', config, '--root', sb.root, '--machine', 'laptop']);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('imac, pc');
  });

  it('finds the machine by the computer name (scutil)', async () => {
    await sb.mountDrive('Archive 2TB');
    const plan = await sb.cli(['plan', '-c', config, '--root', sb.root]);
    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Machine imac (macos)');
  });

  it('a Windows PC under --root: both MobileSync folders become links to E:\\', async () => {
    await sb.mountDrive('../E');
    const home = path.join(sb.root, 'C', 'Users', 'sam');
    const store = path.join(home, 'Apple', 'MobileSync', 'Backup');
    const itunes = path.join(home, 'AppData', 'Roaming', 'Apple Computer', 'MobileSync', 'Backup');
    await makeDeviceBackup(path.join(store, udid(4)), 4, 5);
    await makeDeviceBackup(path.join(itunes, udid(5)), 5, 5);
    const r = await sb.cli(['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'pc']);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expect(await fs.readlink(store)).toBe('E:\\MobileSync\\sam');
    expect(await fs.readlink(itunes)).toBe('E:\\MobileSync\\sam');
    const onDrive = sb.inside(path.join(sb.root, 'E', 'MobileSync', 'sam'));
    expect((await fs.readdir(onDrive)).sort()).toEqual([udid(4), udid(5)].sort());
    const again = await sb.cli(['plan', '--detailed-exitcode', '-c', config, '--root', sb.root, '--machine', 'pc']);
    expect(again.exitCode, again.stdout).toBe(0);
  });
});
