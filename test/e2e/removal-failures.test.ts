import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';

/**
 * A restore removes the drive's copy last, once the data is back in the home. What the drive
 * does meanwhile (turns read-only, goes away) must stop it with a clear error, never "a bug",
 * and the next restore finishes the removal. Each test pauses the restore right before that
 * removal (test hook "gate" on removeTree), does the damage, and lets it go on.
 */
describe('the drive fails while a restore removes its copy', () => {
  let sb: Sandbox;
  let config: string;
  let gate: string;
  const args = (cmd: string): string[] => [cmd, '--yes', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex'];
  const volumeDir = (): string => path.join(sb.root, 'Volumes', 'Archive 2TB');

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

  /** Moves alex's backups to a pluggable drive; returns their snapshot. */
  async function moved(): Promise<Record<string, string>> {
    await sb.plugDrive('Archive 2TB');
    const src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 60);
    const want = await snapshotTree(src);
    const apply = await sb.cli(args('apply'));
    expect(apply.exitCode, apply.stderr).toBe(0);
    return want;
  }

  async function restoreWithDamage(damage: () => Promise<void>) {
    const child = sb.spawnCli(args('restore'), { PROVISION_TEST_HOOKS: JSON.stringify({ gate: { op: 'removeTree', nth: 1, dir: gate } }) });
    for (let i = 0; i < 1000; i++) {
      if (await fs.stat(path.join(gate, 'paused')).catch(() => undefined)) break;
      await sleep(10);
    }
    await damage();
    await fs.writeFile(path.join(gate, 'continue'), '');
    return child;
  }

  it('the drive turns read-only (EROFS): a clear error; made writable again, the next restore removes the rest', async () => {
    const want = await moved();
    const r = await restoreWithDamage(async () => {
      const ro = await sb.exec('mount', ['-o', 'remount,ro,bind', volumeDir()]);
      expect(ro.exitCode, ro.stderr).toBe(0);
    });
    expect(r.exitCode).toBe(1);
    const out = String(r.stderr) + String(r.stdout);
    expect(out).not.toMatch(/Internal error|This is a bug/);
    expect(out).toMatch(/read-only \(EROFS\)/);
    // The data is back in the home already.
    const src = macBackupFolder(sb.root, 'alex');
    expect(await snapshotTree(src)).toEqual(want);
    const rw = await sb.exec('mount', ['-o', 'remount,rw,bind', volumeDir()]);
    expect(rw.exitCode, rw.stderr).toBe(0);
    const again = await sb.cli(args('restore'));
    expect(again.exitCode, again.stderr + again.stdout).toBe(0);
    expect(await fs.readdir(path.join(sb.volume('Archive 2TB'), 'MobileSync'))).toEqual([]);
    expect(await snapshotTree(src)).toEqual(want);
  });

  it('the drive goes away (ENOENT under the folder being removed): a clear error; plugged back, the next restore removes the rest', async () => {
    const want = await moved();
    const r = await restoreWithDamage(() => sb.unplugDrive('Archive 2TB'));
    expect(r.exitCode).toBe(1);
    const out = String(r.stderr) + String(r.stdout);
    expect(out).not.toMatch(/Internal error|This is a bug/);
    expect(out).toMatch(/went away/);
    expect(out).toMatch(/reconnect the drive/);
    const src = macBackupFolder(sb.root, 'alex');
    expect(await snapshotTree(src)).toEqual(want);
    await sb.plugDrive('Archive 2TB');
    const again = await sb.cli(args('restore'));
    expect(again.exitCode, again.stderr + again.stdout).toBe(0);
    expect(await fs.readdir(path.join(sb.volume('Archive 2TB'), 'MobileSync'))).toEqual([]);
  });
});
