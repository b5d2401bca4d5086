import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';

describe('provision restore end to end, under --root with real tmpfs drives', () => {
  let sb: Sandbox;
  let config: string;
  const run = (cmd: string, ...args: string[]) => sb.cli([cmd, '-c', config, '--root', sb.root, '--machine', 'imac', ...args]);
  const journalDir = (): string => path.join(sb.root, 'var', 'db', 'provision');

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
    await makeHome(sb.root, 'sam');
  });
  afterEach(async () => {
    await sb.dispose();
  });

  async function provisionedWithBackups(): Promise<{ drive: string; alex: Record<string, string> }> {
    const drive = await sb.mountDrive('Archive 2TB');
    const src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 30);
    await makeDeviceBackup(path.join(src, udid(2, false)), 2, 20);
    // A link inside a backup must come back as the same link.
    await fs.symlink('Info.plist', path.join(src, udid(1), 'link-to-info'));
    const alex = await snapshotTree(src);
    const apply = await run('apply', '--yes');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(await fs.readlink(src)).toBe('/Volumes/Archive 2TB/MobileSync/alex');
    return { drive, alex };
  }

  async function leftovers(dir: string): Promise<string[]> {
    return (await fs.readdir(dir)).filter((n) => n.startsWith('.provision-'));
  }

  it('apply then restore: every file back byte for byte with its times, no link, nothing left on the drive', async () => {
    const { drive, alex } = await provisionedWithBackups();
    const r = await run('restore', '--yes');
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('< alex: iOS device backups');
    expect(r.stdout).toContain('< sam: iOS device backups');
    expect(r.stdout).toContain('Plan: 2 to restore.');
    // The reminder names what to change in the declaration.
    expect(r.stdout).toContain('{ mobilesync: false }');

    const src = macBackupFolder(sb.root, 'alex');
    const st = await fs.lstat(src);
    expect(st.isDirectory()).toBe(true);
    expect(st.mode & 0o777).toBe(0o755);
    expect(await snapshotTree(src)).toEqual(alex);
    // sam never backed anything up: the link becomes an empty folder.
    const sam = macBackupFolder(sb.root, 'sam');
    expect((await fs.lstat(sam)).isDirectory()).toBe(true);
    expect(await fs.readdir(sam)).toEqual([]);

    expect(await fs.readdir(path.join(drive, 'MobileSync'))).toEqual([]);
    for (const dir of [path.dirname(src), path.dirname(sam)]) expect(await leftovers(dir)).toEqual([]);
    expect((await fs.readdir(journalDir())).filter((n) => n.endsWith('.json'))).toEqual([]);

    const again = await run('restore', '--yes');
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing to restore');
    // As the reminder says, the declaration still puts them on the drive.
    const plan = await run('plan', '--detailed-exitcode');
    expect(plan.exitCode).toBe(2);
    expect(plan.stdout).toContain('> alex: iOS device backups');
    // ...and apply moves them back, so the round trip is complete both ways.
    const back = await run('apply', '--yes');
    expect(back.exitCode, back.stderr + back.stdout).toBe(0);
    expect(await snapshotTree(path.join(drive, 'MobileSync', 'alex'))).toEqual(alex);
  });

  it('--user and --only narrow what is restored; an unknown kind is refused', async () => {
    const { drive, alex } = await provisionedWithBackups();
    const unknown = await run('restore', '--yes', '--only', 'photos');
    expect(unknown.exitCode).toBe(1);
    expect(await fs.readlink(macBackupFolder(sb.root, 'alex'))).toBe('/Volumes/Archive 2TB/MobileSync/alex');

    const r = await run('restore', '--yes', '--user', 'alex', '--only', 'mobilesync');
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).not.toContain('sam: iOS device backups');
    expect(await snapshotTree(macBackupFolder(sb.root, 'alex'))).toEqual(alex);
    expect(await fs.readlink(macBackupFolder(sb.root, 'sam'))).toBe('/Volumes/Archive 2TB/MobileSync/sam');
    expect(await fs.readdir(path.join(drive, 'MobileSync'))).toEqual(['sam']);

    // What the reminder says to write keeps alex's backups here: the next plan has nothing to do.
    const suggested = /^ {4}(users: \{.*\})$/m.exec(r.stdout)?.[1];
    expect(suggested).toBe('users: { alex: { mobilesync: false }, sam: {} }');
    await fs.writeFile(config, (await fs.readFile(config, 'utf8')).replace('users: [alex, sam]', suggested ?? ''));
    const plan = await run('plan', '--detailed-exitcode');
    expect(plan.exitCode, plan.stderr + plan.stdout).toBe(0);
  });

  it('--dry-run shows the plan and changes nothing', async () => {
    const { drive } = await provisionedWithBackups();
    const home = await snapshotTree(path.join(sb.root, 'Users'));
    const onDrive = await snapshotTree(drive);
    const r = await run('restore', '--dry-run');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('< alex: iOS device backups');
    expect(r.stdout).toMatch(/moves: .* in 5\d files/);
    expect(r.stdout).toContain('Plan: 2 to restore.');
    expect(await snapshotTree(path.join(sb.root, 'Users'))).toEqual(home);
    expect(await snapshotTree(drive)).toEqual(onDrive);
  });

  it('the drive not mounted while the links point there: blocked, nothing touched', async () => {
    await provisionedWithBackups();
    await sb.unmountDrive('Archive 2TB');
    const home = await snapshotTree(path.join(sb.root, 'Users'));
    const r = await run('restore', '--yes');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('(blocked)');
    expect(await snapshotTree(path.join(sb.root, 'Users'))).toEqual(home);
    expect(await fs.readdir(path.join(sb.root, 'Volumes'))).toEqual([]);
    const dry = await run('restore', '--dry-run');
    expect(dry.exitCode).toBe(1);
  });

  it('without a terminal it needs --yes', async () => {
    await provisionedWithBackups();
    const r = await run('restore');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('--yes');
    expect((await fs.lstat(macBackupFolder(sb.root, 'alex'))).isSymbolicLink()).toBe(true);
  });

  for (const next of ['restore', 'apply'] as const) {
  it(`a restore interrupted after its verified copy is finished by the next ${next}`, async () => {
    const { drive, alex } = await provisionedWithBackups();
    const link = macBackupFolder(sb.root, 'alex');
    const partial = path.join(path.dirname(link), '.provision-partial-alex_mobilesync.restore.0');
    // cp -a, not fs.cp: Node's copy does not keep folders' modification times.
    await execa('cp', ['-a', path.join(drive, 'MobileSync', 'alex'), partial]);
    await fs.mkdir(journalDir(), { recursive: true });
    const step = {
      op: 'restore',
      id: 'alex_mobilesync.restore.0',
      link,
      linkTarget: '/Volumes/Archive 2TB/MobileSync/alex',
      source: path.join(sb.root, 'Volumes', 'Archive 2TB', 'MobileSync', 'alex'),
      entries: [udid(1), udid(2, false)].sort(),
      mode: 0o755,
      volume: { files: 50, bytes: 1 },
    };
    const entry = {
      version: 1,
      id: step.id,
      changeId: 'alex/mobilesync',
      user: 'alex',
      title: 'iOS device backups',
      path: '/Users/alex/Library/Application Support/MobileSync/Backup',
      phase: 'copied',
      step,
      startedAt: '2026-11-22T00:00:00.000Z',
      updatedAt: '2026-11-22T00:00:00.000Z',
      pid: 1,
    };
    await fs.writeFile(path.join(journalDir(), `${step.id}.json`), JSON.stringify(entry));

    const plan = await run('restore', '--dry-run', '--user', 'alex');
    expect(plan.exitCode, plan.stderr + plan.stdout).toBe(0);
    expect(plan.stdout).toContain('* alex: iOS device backups');
    const r = await run(next, '--yes', '--user', 'alex');
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    if (next === 'restore') {
      expect(await snapshotTree(link)).toEqual(alex);
      expect(await fs.readdir(path.join(drive, 'MobileSync'))).toEqual(['sam']);
    } else {
      // apply finishes the restore, then carries out the declaration: the data goes back.
      expect(await fs.readlink(link)).toBe('/Volumes/Archive 2TB/MobileSync/alex');
      expect(await snapshotTree(path.join(drive, 'MobileSync', 'alex'))).toEqual(alex);
    }
    expect(await leftovers(path.dirname(link))).toEqual([]);
    expect(await leftovers(path.join(drive, 'MobileSync'))).toEqual([]);
    expect((await fs.readdir(journalDir())).filter((n) => n.endsWith('.json'))).toEqual([]);
  });
  }

  it('a Windows PC under --root: the data goes back into the first path, the other links to it', async () => {
    const drive = await sb.mountDrive('../E');
    const home = path.join(sb.root, 'C', 'Users', 'sam');
    const store = path.join(home, 'Apple', 'MobileSync', 'Backup');
    const itunes = path.join(home, 'AppData', 'Roaming', 'Apple Computer', 'MobileSync', 'Backup');
    await makeDeviceBackup(path.join(store, udid(4)), 4, 5);
    await makeDeviceBackup(path.join(itunes, udid(5)), 5, 5);
    const want = { ...(await snapshotTree(store)), ...(await snapshotTree(itunes)) };
    const pc = (cmd: string, ...args: string[]) => sb.cli([cmd, '-c', config, '--root', sb.root, '--machine', 'pc', ...args]);
    const apply = await pc('apply', '--yes');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);

    const r = await pc('restore', '--yes');
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expect((await fs.lstat(itunes)).isDirectory()).toBe(true);
    expect(await snapshotTree(itunes)).toEqual(want);
    expect(await fs.readlink(store)).toBe('C:\\Users\\sam\\AppData\\Roaming\\Apple Computer\\MobileSync\\Backup');
    expect(await fs.readdir(path.join(drive, 'MobileSync'))).toEqual([]);
    const again = await pc('restore', '--dry-run');
    expect(again.stdout).toContain('Nothing to restore');

    // Apply takes both back to the drive: the link to the first path is simply re-pointed.
    const back = await pc('apply', '--yes');
    expect(back.exitCode, back.stderr + back.stdout).toBe(0);
    expect(await fs.readlink(store)).toBe('E:\\MobileSync\\sam');
    expect(await fs.readlink(itunes)).toBe('E:\\MobileSync\\sam');
    expect(await snapshotTree(path.join(drive, 'MobileSync', 'sam'))).toEqual(want);
  });
});
