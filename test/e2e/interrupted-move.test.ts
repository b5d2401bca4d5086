import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';

/**
 * The state a crash leaves behind, built by hand: the original in place, a copy under a
 * temporary name on the drive, and the journal entry saying how far the move got.
 */
describe('an interrupted move is shown by plan and finished by apply', () => {
  let sb: Sandbox;
  let config: string;
  const run = (...args: string[]) => sb.cli([...args, '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex']);

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
  });
  afterEach(async () => {
    await sb.dispose();
  });

  async function crashState(phase: 'copying' | 'copied', drive: string): Promise<Record<string, string>> {
    const src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 10);
    await makeDeviceBackup(path.join(src, udid(2)), 2, 10);
    const want = await snapshotTree(src);
    const destHost = path.join(sb.root, 'Volumes', 'Archive 2TB', 'MobileSync', 'alex');
    const dest = path.join(drive, 'MobileSync', 'alex');
    const partial = path.join(dest, '.provision-partial-alex_mobilesync.0');
    await fs.mkdir(partial, { recursive: true, mode: 0o700 });
    // cp -a, not fs.cp: Node's copy does not keep folders' modification times.
    await execa('cp', ['-a', path.join(src, udid(1)), path.join(partial, udid(1))]);
    if (phase === 'copied') await execa('cp', ['-a', path.join(src, udid(2)), path.join(partial, udid(2))]);
    else await fs.mkdir(path.join(partial, udid(2))); // half a copy
    const journal = path.join(sb.root, 'var', 'db', 'provision');
    await fs.mkdir(journal, { recursive: true });
    const entry = {
      version: 1,
      id: 'alex_mobilesync.0',
      changeId: 'alex/mobilesync',
      user: 'alex',
      title: 'iOS device backups',
      path: '/Users/alex/Library/Application Support/MobileSync/Backup',
      phase,
      step: {
        op: 'relocate',
        id: 'alex_mobilesync.0',
        source: src,
        dest: destHost,
        entries: [udid(1), udid(2)],
        discard: [],
        link: { path: src, target: '/Volumes/Archive 2TB/MobileSync/alex', type: 'symlink' },
        volume: { files: 24, bytes: 1 },
      },
      startedAt: '2026-11-22T00:00:00.000Z',
      updatedAt: '2026-11-22T00:00:00.000Z',
      pid: 1,
    };
    await fs.writeFile(path.join(journal, 'alex_mobilesync.0.json'), JSON.stringify(entry));
    return want;
  }

  for (const phase of ['copying', 'copied'] as const) {
    it(`interrupted ${phase === 'copying' ? 'while copying: starts over' : 'after a verified copy: rolls forward'}`, async () => {
      const drive = await sb.mountDrive('Archive 2TB');
      const want = await crashState(phase, drive);
      const plan = await run('plan', '--detailed-exitcode');
      expect(plan.exitCode, plan.stderr + plan.stdout).toBe(2);
      expect(plan.stdout).toContain('* alex: iOS device backups');
      expect(plan.stdout).toContain('1 interrupted move to finish');
      const apply = await run('apply', '--yes');
      expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
      const dest = path.join(drive, 'MobileSync', 'alex');
      expect(await snapshotTree(dest)).toEqual(want);
      expect(await fs.readlink(macBackupFolder(sb.root, 'alex'))).toBe('/Volumes/Archive 2TB/MobileSync/alex');
      expect((await fs.readdir(path.join(sb.root, 'var', 'db', 'provision'))).filter((n) => n.endsWith('.json'))).toEqual([]);
      const again = await run('plan', '--detailed-exitcode');
      expect(again.exitCode, again.stdout).toBe(0);
    });
  }
});
