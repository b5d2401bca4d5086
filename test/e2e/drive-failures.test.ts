import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { snapshotTree, udid } from '../helpers/fixtures.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';
import { expectMovedIntact, journalPhase, makeAlexBackups } from './move-fixture.js';

/**
 * What happens on a real desk during a move: another program fills the drive, the cable is
 * pulled, a folder cannot be read. Each test pauses apply right before a copy (test hook
 * "gate"), does the damage from outside, and lets it go on.
 */
describe('drive failures during a move', () => {
  let sb: Sandbox;
  let config: string;
  let gate: string;
  const args = () => ['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex'];

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
    gate = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-gate-'));
  });
  afterEach(async () => {
    await sb.dispose();
    await fs.rm(gate, { recursive: true, force: true });
  });

  /**
   * Starts apply paused before its nth copy, runs `damage`, lets it go on, and returns its result.
   * A move copies all its entries in one copier run, so the first copy's pause is inside the
   * move's copy phase: the partial folder is made, nothing is copied yet.
   */
  async function applyWithDamage(nthCopy: number, damage: () => Promise<void>) {
    const child = sb.spawnCli(args(), { PROVISION_TEST_HOOKS: JSON.stringify({ gate: { op: 'copyTree', nth: nthCopy, dir: gate } }) });
    for (let i = 0; i < 1000; i++) {
      if (await fs.stat(path.join(gate, 'paused')).catch(() => undefined)) break;
      await sleep(10);
    }
    await damage();
    await fs.writeFile(path.join(gate, 'continue'), '');
    return child;
  }

  it('the drive fills up during the copy: apply stops, removes its partial copy, the original is untouched', async () => {
    const drive = await sb.mountDrive('Archive 2TB', '12m');
    const want = await makeAlexBackups(sb, 150);
    const r = await applyWithDamage(1, async () => {
      // Another program writes to the drive until it is full.
      const fill = await sb.exec('sh', ['-c', `dd if=/dev/zero of="$1/filler" bs=1M 2>/dev/null; true`, 'sh', path.join(sb.root, 'Volumes', 'Archive 2TB')]);
      expect(fill.exitCode).toBe(0);
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/filled up/);
    expect(r.stderr).toMatch(/not touched/);
    expect(await snapshotTree(macBackupFolder(sb.root, 'alex'))).toEqual(want);
    expect((await fs.readdir(path.join(drive, 'MobileSync', 'alex'))).filter((n) => n.startsWith('.provision'))).toEqual([]);
    expect(await journalPhase(sb)).toBeUndefined();
    // With room made, the next apply does the job.
    await fs.rm(path.join(drive, 'filler'));
    const again = await sb.cli(args());
    expect(again.exitCode, again.stderr).toBe(0);
    await expectMovedIntact(sb, drive, want);
  });

  it('the drive is unplugged during the copy: apply stops with the original untouched; plugged back, apply finishes', async () => {
    const drive = await sb.plugDrive('Archive 2TB', '64m');
    const want = await makeAlexBackups(sb, 100);
    const r = await applyWithDamage(1, () => sb.unplugDrive('Archive 2TB'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/drive went away/);
    expect(r.stderr).toMatch(/reconnect/);
    expect(await snapshotTree(macBackupFolder(sb.root, 'alex'))).toEqual(want);
    // Nothing was written to the internal disk in the drive's place.
    expect(await fs.readdir(path.join(sb.root, 'Volumes', 'Archive 2TB'))).toEqual([]);
    // The journal remembers the move; with the drive gone, the plan says to reconnect it.
    expect(await journalPhase(sb)).toBe('copying');
    const plan = await sb.cli(['plan', '--json', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex']);
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain('DRIVE_NOT_MOUNTED');
    // Plugged back in (the partial copy is still on it), apply discards it and finishes.
    await sb.plugDrive('Archive 2TB');
    const partials = (await fs.readdir(path.join(drive, 'MobileSync', 'alex'))).filter((n) => n.startsWith('.provision-partial'));
    expect(partials.length).toBe(1);
    const again = await sb.cli(args());
    expect(again.exitCode, again.stderr + again.stdout).toBe(0);
    await expectMovedIntact(sb, drive, want);
  });

  it('a read-only drive is found while planning', async () => {
    await sb.mountDrive('Archive 2TB');
    await makeAlexBackups(sb, 5);
    const ro = await sb.exec('mount', ['-o', 'remount,ro', path.join(sb.root, 'Volumes', 'Archive 2TB')]);
    expect(ro.exitCode, ro.stderr).toBe(0);
    const plan = await sb.cli(['plan', '--json', ...args().slice(2)]);
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain('DRIVE_NOT_WRITABLE');
  });

  /**
   * Files owned by a uid that is not mapped into the test's user namespace cannot be read
   * there even by its root: the same EACCES a Mac gives without Full Disk Access.
   */
  it('an unreadable folder in the backup is found while planning, with the fix', async () => {
    await sb.mountDrive('Archive 2TB');
    await makeAlexBackups(sb, 5);
    const locked = path.join(macBackupFolder(sb.root, 'alex'), udid(1));
    await fs.chown(locked, 12345, 12345);
    await fs.chmod(locked, 0o700);
    const plan = await sb.cli(['plan', ...args().slice(2)]);
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toMatch(/cannot be read \((EACCES|EPERM)\)/);
    expect(plan.stdout).toContain('Full Disk Access');
  });

  it('an unreadable file found only while copying stops apply before anything irreversible', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const want = await makeAlexBackups(sb, 5);
    const file = path.join(macBackupFolder(sb.root, 'alex'), udid(1), 'Info.plist');
    const mode = (await fs.stat(file)).mode & 0o7777;
    await fs.chown(file, 12345, 12345);
    await fs.chmod(file, 0o600);
    const r = await sb.cli(args());
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/permission denied/i);
    expect(r.stderr).toContain('Full Disk Access');
    await fs.chown(file, 0, 0);
    await fs.chmod(file, mode);
    expect(await snapshotTree(macBackupFolder(sb.root, 'alex'))).toEqual(want);
    expect((await fs.readdir(path.join(drive, 'MobileSync', 'alex'))).filter((n) => n.startsWith('.provision'))).toEqual([]);
    expect(await journalPhase(sb)).toBeUndefined();
  });

  it('a declared folder that leads off the drive through a link is refused', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    await makeAlexBackups(sb, 5);
    await fs.symlink('/tmp', path.join(drive, 'MobileSync'));
    const plan = await sb.cli(['plan', '--json', ...args().slice(2)]);
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain('TARGET_THROUGH_LINK');
  });
});
