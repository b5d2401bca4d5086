import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readableProjectCopy } from '../host/fs/child-vitest.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { chownTree, createTestUser, RootNamespace } from '../helpers/root-namespace.js';

const realRoot = process.getuid?.() === 0;

/**
 * One journal, however provision is run: a user's own apply is cut off mid-move, and root
 * (sudo provision apply) finishes it. The user's entry must then be gone, so that a later root
 * apply does not replay the finished move: once Finder has made a new Backup folder with a new
 * device backup, such a replay would put that folder aside and delete it.
 */
describe.skipIf(!realRoot)(`a user's interrupted move finished by root${realRoot ? '' : ' (skipped: needs real root, to create a user and switch to it)'}`, () => {
  let copy: { root: string; dispose: () => Promise<void> };
  let dir: string;
  let machine: string;
  let ns: RootNamespace;
  let user: Awaited<ReturnType<typeof createTestUser>>;
  let drive: string;
  let config: string;
  let backup: string;

  const cli = (args: string[], as?: { uid: number; gid: number }, hooks?: object) =>
    ns.spawn([process.execPath, path.join(copy.root, 'bin', 'provision.js'), ...args, '-c', config, '--root', machine, '--machine', 'imac'], {
      ...(as === undefined ? {} : { as }),
      cwd: dir,
      env: {
        PATH: `${path.join(copy.root, 'sim', 'bin')}:${process.env['PATH'] ?? ''}`,
        PROVISION_SIM_STATE: path.join(dir, 'state.json'),
        NO_COLOR: '1',
        HOME: dir,
        ...(hooks === undefined ? {} : { PROVISION_TEST_HOOKS: JSON.stringify(hooks) }),
      },
    });
  const journalFiles = async (d: string): Promise<string[]> => (await fs.readdir(d).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));

  beforeAll(async () => {
    copy = await readableProjectCopy();
    user = await createTestUser('pvj');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-journal-'));
    await fs.chmod(dir, 0o755);
    machine = path.join(dir, 'machine');
    await fs.mkdir(path.join(machine, 'Users'), { recursive: true, mode: 0o755 });
    // The machine's /tmp, where every user's apply takes the lock, is world-writable.
    await fs.mkdir(path.join(machine, 'tmp'));
    await fs.chmod(path.join(machine, 'tmp'), 0o1777);
    config = path.join(dir, 'backups.yaml');
    await fs.writeFile(
      config,
      `version: 1
drives:
  archive: { volume: Archive 2TB }
users:
  ${user.name}:
    mobilesync: { drive: archive, path: MobileSync/${user.name} }
machines:
  imac:
    hostname: iMac
    platform: macos
    users: [${user.name}]
`,
      { mode: 0o644 },
    );
    await fs.writeFile(path.join(dir, 'state.json'), JSON.stringify({ scutil: { ComputerName: 'iMac', LocalHostName: 'iMac' } }), { mode: 0o666 });
    ns = await RootNamespace.create();
    drive = await ns.mountTmpfs(path.join(machine, 'Volumes', 'Archive 2TB'));
    backup = path.join(machine, 'Users', user.name, 'Library', 'Application Support', 'MobileSync', 'Backup');
  }, 120_000);
  afterAll(async () => {
    await ns?.dispose();
    await fs.rm(dir, { recursive: true, force: true });
    await user?.remove();
    await copy?.dispose();
  });

  it('root finishes it and clears the user\'s entry; a new Backup folder is later moved, never deleted', async () => {
    await makeDeviceBackup(path.join(backup, udid(1)), 1, 20);
    await makeDeviceBackup(path.join(backup, udid(2)), 2, 20);
    await chownTree(path.join(machine, 'Users', user.name), user.uid, user.gid);
    const want = await snapshotTree(backup);
    const userJournal = path.join(machine, 'Users', user.name, '.local', 'state', 'provision');
    const rootJournal = path.join(machine, 'var', 'db', 'provision');
    const entryFile = path.join(userJournal, `${user.name}_mobilesync.0.json`);

    // The user's own apply, killed once its copy is on the drive under its final names (phase
    // promoted), before the original is put aside. Each write waits, so the kill lands there.
    const child = cli(['apply', '--yes'], user, { delayMs: 250 });
    let phase: string | undefined;
    let ended = false;
    void child.then(() => (ended = true));
    for (let i = 0; i < 3000 && phase !== 'promoted' && !ended; i++) {
      phase = await fs.readFile(entryFile, 'utf8').then((t) => (JSON.parse(t) as { phase: string }).phase, () => undefined);
      if (phase !== 'promoted') await sleep(5);
    }
    child.kill('SIGKILL');
    const killed = await child;
    expect(phase, killed.stderr + killed.stdout).toBe('promoted');
    expect((await fs.stat(entryFile)).uid).toBe(user.uid);
    expect(await snapshotTree(backup)).toEqual(want);

    // sudo provision apply finishes it from where it stopped.
    const finish = await cli(['apply', '--yes']);
    expect(finish.exitCode, finish.stderr + finish.stdout).toBe(0);
    expect(await fs.readlink(backup)).toBe(`/Volumes/Archive 2TB/MobileSync/${user.name}`);
    expect(await snapshotTree(path.join(drive, 'MobileSync', user.name))).toEqual(want);
    expect(await journalFiles(userJournal)).toEqual([]);
    expect(await journalFiles(rootJournal)).toEqual([]);
    const plan = await cli(['plan', '--detailed-exitcode']);
    expect(plan.stdout + plan.stderr).not.toContain('interrupted');
    expect(plan.exitCode, plan.stderr + plan.stdout).toBe(0);

    // The drive was away; Finder made a new Backup folder and backed a new device up into it.
    await fs.unlink(backup);
    await makeDeviceBackup(path.join(backup, udid(3)), 3, 20);
    await chownTree(path.dirname(backup), user.uid, user.gid);
    const fresh = await snapshotTree(path.join(backup, udid(3)));
    const again = await cli(['apply', '--yes']);
    expect(again.exitCode, again.stderr + again.stdout).toBe(0);
    expect(await fs.readlink(backup)).toBe(`/Volumes/Archive 2TB/MobileSync/${user.name}`);
    expect(await snapshotTree(path.join(drive, 'MobileSync', user.name, udid(3)))).toEqual(fresh);
    const onDrive = await snapshotTree(path.join(drive, 'MobileSync', user.name));
    expect(Object.fromEntries(Object.entries(onDrive).filter(([k]) => !k.startsWith(udid(3))))).toEqual(want);
    expect(await journalFiles(userJournal)).toEqual([]);
    expect(await journalFiles(rootJournal)).toEqual([]);
  }, 120_000);
});
