import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { REPO, Sandbox, SIM_BIN } from '../helpers/sandbox.js';
import { writeHousehold } from './household.js';

/**
 * The Windows scenarios, under --root on Linux with Windows' file-system rules put back by the
 * `windows` test hook (src/host/windows-semantics-host.ts): renaming over a directory or a
 * junction fails, a junction needs an absolute local target, names ignore case. Without the
 * hook these scenarios pass on Linux whatever the code does at the joints Windows differs at.
 * No real Windows has run them.
 */
const PC = (drive: 'old' | 'archive'): string => `version: 1
drives:
  archive: { volume: Archive }
  old: { volume: Old }
users:
  sam:
    mobilesync: { drive: ${drive}, path: MobileSync/sam }
machines:
  pc:
    hostname: [FAMILY-PC]
    platform: windows
    users: { sam: {} }
    drives: { old: 'E:', archive: 'F:' }
`;
// mountvol, as on every PC, answers each letter's volume GUID from the simulator's state.
const WINDOWS_PATH = `${path.join(REPO, 'sim', 'windows-bin')}:${SIM_BIN}:${process.env['PATH'] ?? ''}`;
const WINDOWS = { PROVISION_TEST_HOOKS: JSON.stringify({ windows: true }), PATH: WINDOWS_PATH };

const OLD_GUID = '{5E2B1C9D-8A7F-4E3D-B2C1-0F9E8D7C6B5A}';

describe('Windows: junctions placed and re-pointed under Windows rules', () => {
  let sb: Sandbox;
  let config: string;
  const run = (...args: string[]) => sb.cli([...args, '-c', config, '--root', sb.root, '--machine', 'pc'], WINDOWS);
  const home = (): string => path.join(sb.root, 'C', 'Users', 'sam');
  const store = (): string => path.join(home(), 'Apple', 'MobileSync', 'Backup');
  const itunes = (): string => path.join(home(), 'AppData', 'Roaming', 'Apple Computer', 'MobileSync', 'Backup');
  /** What every drives/known.json under the PC's disk says (the identities provision recorded). */
  const knownDrives = async (): Promise<string> => {
    const files = (await fs.readdir(sb.root, { recursive: true })).filter((f) => f.endsWith(path.join('drives', 'known.json')));
    return (await Promise.all(files.map((f) => fs.readFile(path.join(sb.root, f), 'utf8')))).join('\n');
  };

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root, PC('old'));
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('first link: the backups move to E: and both MobileSync folders become junctions to it', async () => {
    await sb.mountDrive('../E');
    await makeDeviceBackup(path.join(store(), udid(4)), 4, 5);
    const r = await run('apply', '--yes');
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expect(await fs.readlink(store())).toBe('E:\\MobileSync\\sam');
    expect(await fs.readlink(itunes())).toBe('E:\\MobileSync\\sam');
    expect((await run('plan', '--detailed-exitcode')).exitCode).toBe(0);
  });

  it('re-pointed from an older drive: the data moves to F:, the junctions are swapped without a rename over them, nothing is lost', async () => {
    const e = await sb.mountDrive('../E');
    await makeDeviceBackup(path.join(store(), udid(4)), 4, 5);
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    const before = await snapshotTree(path.join(e, 'MobileSync', 'sam'));

    const f = await sb.mountDrive('../F');
    await fs.writeFile(config, PC('archive'));
    const r = await run('apply', '--yes');
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expect(await fs.readlink(store())).toBe('F:\\MobileSync\\sam');
    expect(await fs.readlink(itunes())).toBe('F:\\MobileSync\\sam');
    expect(await snapshotTree(path.join(f, 'MobileSync', 'sam'))).toEqual(before);
    // No temporary junction or set-aside link is left beside them.
    for (const dir of [path.dirname(store()), path.dirname(itunes())]) {
      expect((await fs.readdir(dir)).filter((n) => n.startsWith('.provision-'))).toEqual([]);
    }
    expect((await run('plan', '--detailed-exitcode')).exitCode).toBe(0);
  });

  it('restore under Windows rules: the copy takes the place of the junction, the other path links to it, and apply takes both back', async () => {
    const e = await sb.mountDrive('../E');
    await makeDeviceBackup(path.join(store(), udid(4)), 4, 5);
    await makeDeviceBackup(path.join(itunes(), udid(5)), 5, 5);
    const want = { ...(await snapshotTree(store())), ...(await snapshotTree(itunes())) };
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    const r = await run('restore', '--yes');
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expect((await fs.lstat(itunes())).isDirectory()).toBe(true);
    expect(await snapshotTree(itunes())).toEqual(want);
    expect(await fs.readlink(store())).toBe('C:\\Users\\sam\\AppData\\Roaming\\Apple Computer\\MobileSync\\Backup');
    const back = await run('apply', '--yes');
    expect(back.exitCode, back.stderr + back.stdout).toBe(0);
    expect(await fs.readlink(store())).toBe('E:\\MobileSync\\sam');
    expect(await snapshotTree(path.join(e, 'MobileSync', 'sam'))).toEqual(want);
  });

  it('a folder written at the link path while the old junction is aside: the swap stops and nothing is lost, and the next apply refuses rather than guess', async () => {
    const e = await sb.mountDrive('../E');
    await makeDeviceBackup(path.join(store(), udid(4)), 4, 5);
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    const want = await snapshotTree(path.join(e, 'MobileSync', 'sam'));
    const f = await sb.mountDrive('../F');
    await fs.writeFile(config, PC('archive'));
    const gate = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-gate-'));
    let failed;
    try {
      // The 4th rename of this apply is the new junction going in, the old one already aside.
      const child = sb.spawnCli(['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'pc'], {
        PROVISION_TEST_HOOKS: JSON.stringify({ windows: true, gate: { op: 'rename', nth: 4, dir: gate } }),
        PATH: WINDOWS_PATH,
      });
      for (let i = 0; i < 1000 && (await fs.stat(path.join(gate, 'paused')).catch(() => undefined)) === undefined; i++) await sleep(20);
      await expect(fs.lstat(itunes())).rejects.toThrow();
      // iTunes starts a backup right now, into a fresh folder where the junction was.
      await fs.mkdir(path.join(itunes(), 'NEW-DEVICE'), { recursive: true });
      await fs.writeFile(path.join(itunes(), 'NEW-DEVICE', 'Info.plist'), 'written during the swap');
      await fs.writeFile(path.join(gate, 'continue'), '');
      failed = await child;
    } finally {
      await fs.rm(gate, { recursive: true, force: true });
    }
    expect(failed.exitCode).toBe(1);
    // Nothing lost: the copy on F:, the original kept aside on E:, what iTunes wrote where it wrote it.
    expect(await snapshotTree(path.join(f, 'MobileSync', 'sam'))).toEqual(want);
    expect(await snapshotTree(path.join(e, 'MobileSync', '.provision-aside-sam_mobilesync.0-sam'))).toEqual(want);
    expect(await fs.readFile(path.join(itunes(), 'NEW-DEVICE', 'Info.plist'), 'utf8')).toBe('written during the swap');

    // The interrupted move cannot put its link where a folder with data now is: it is blocked,
    // changes nothing, and everything is still where it was.
    const again = await run('apply', '--yes');
    expect(again.exitCode).toBe(1);
    expect(again.stdout).toContain('The original is kept, whole');
    expect(await snapshotTree(path.join(f, 'MobileSync', 'sam'))).toEqual(want);
    expect(await snapshotTree(path.join(e, 'MobileSync', '.provision-aside-sam_mobilesync.0-sam'))).toEqual(want);
    expect(await fs.readFile(path.join(itunes(), 'NEW-DEVICE', 'Info.plist'), 'utf8')).toBe('written during the swap');
  });

  it('drive letter changed: Windows gives the drive G: and another stick E:; the drive is found by its identity and the junctions are re-pointed to G:, nothing copied or lost', async () => {
    // One drive, held at a hidden place and shown under whichever letter Windows gives it.
    const held = path.join(sb.root, '.drives', 'old');
    await fs.mkdir(held, { recursive: true });
    expect((await sb.exec('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', held])).exitCode).toBe(0);
    const showAs = async (letter: string): Promise<void> => {
      await fs.mkdir(path.join(sb.root, letter), { recursive: true });
      expect((await sb.exec('mount', ['--bind', held, path.join(sb.root, letter)])).exitCode).toBe(0);
    };
    const guids = async (volumes: Record<string, string>): Promise<void> =>
      sb.setSimState({ mountvol: { volumes: Object.fromEntries(Object.entries(volumes).map(([l, g]) => [path.join(sb.root, l), g])) } });
    await showAs('E');
    await guids({ E: OLD_GUID });
    await makeDeviceBackup(path.join(store(), udid(4)), 4, 5);
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    const want = await snapshotTree(sb.inside(path.join(held, 'MobileSync', 'sam')));

    // Unplugged; plugged back, it comes up as G:, and a new stick took E:.
    expect((await sb.exec('umount', [path.join(sb.root, 'E')])).exitCode).toBe(0);
    await sb.mountDrive('../E');
    await showAs('G');
    await guids({ E: '{0B7F5A3C-2D1E-4F60-9A8B-7C6D5E4F3A21}', G: OLD_GUID });
    const plan = await run('plan');
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
    expect(plan.stdout).toContain('Windows gave drive old the letter G: this time, not E: as declared');
    const r = await run('apply', '--yes');
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expect(await fs.readlink(store())).toBe('G:\\MobileSync\\sam');
    expect(await fs.readlink(itunes())).toBe('G:\\MobileSync\\sam');
    expect(await snapshotTree(sb.inside(path.join(held, 'MobileSync', 'sam')))).toEqual(want);
    // Nothing was written to the stranger at E:, and the drive is known by its volume GUID too.
    expect(await fs.readdir(sb.volume('../E'))).toEqual([]);
    expect(await knownDrives()).toContain(OLD_GUID);
    expect((await run('plan', '--detailed-exitcode')).exitCode).toBe(0);
  });

  it('a network letter is refused in the plan: a junction cannot point to \\\\server\\share, and nothing is moved', async () => {
    await fs.mkdir(path.join(sb.root, 'E'), { recursive: true });
    await makeDeviceBackup(path.join(store(), udid(4)), 4, 5);
    const want = await snapshotTree(store());
    const network = { PROVISION_TEST_HOOKS: JSON.stringify({ windows: { network: { [path.join(sb.root, 'E')]: '\\\\nas\\backup' } } }), PATH: WINDOWS_PATH };
    const plan = await sb.cli(['plan', '-c', config, '--root', sb.root, '--machine', 'pc'], network);
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(1);
    expect(plan.stdout).toContain('E:\\ is a network drive (\\\\nas\\backup)');
    const apply = await sb.cli(['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'pc'], network);
    expect(apply.exitCode).toBe(1);
    expect((await fs.lstat(store())).isDirectory()).toBe(true);
    expect(await snapshotTree(store())).toEqual(want);
  });
});
