import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readableProjectCopy } from '../host/fs/child-vitest.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { RootNamespace } from '../helpers/root-namespace.js';
import { Sandbox } from '../helpers/sandbox.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';

/**
 * The lock's folder and the journal's folder may be refused by the OS: a read-only disk
 * (EROFS), a folder the user may not write (EACCES). Each is a clear error naming the folder
 * and the fix, never "Internal error", and the data stays where it was.
 */
describe('read-only state folders', () => {
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

  async function readOnlyAt(machinePath: string): Promise<void> {
    const dir = path.join(sb.root, machinePath);
    await fs.mkdir(dir, { recursive: true });
    const r = await sb.exec('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir]);
    expect(r.exitCode, r.stderr).toBe(0);
  }

  it("the apply lock's folder is read-only", async () => {
    await readOnlyAt('tmp');
    const r = await run('apply', '--yes');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).not.toContain('Internal error');
    expect(r.stderr).toContain(`Cannot create ${path.join(sb.root, 'tmp', 'provision.lock')}, needed to lock out other applies: its file system is read-only (EROFS)`);
  });

  it("the journal's folder is on a read-only disk: the move stops before anything moves", async () => {
    await sb.mountDrive('Archive 2TB');
    const src = macBackupFolder(sb.root, 'alex');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 5);
    const want = await snapshotTree(src);
    await readOnlyAt('var/db');
    const r = await run('apply', '--yes');
    expect(r.exitCode).toBe(1);
    expect(r.stderr + r.stdout).not.toContain('Internal error');
    expect(r.stderr + r.stdout).toContain(`Cannot write provision's journal in ${path.join(sb.root, 'var', 'db', 'provision')}: its file system is read-only (EROFS)`);
    expect(await snapshotTree(src)).toEqual(want);
  });
});

const realRoot = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };

/** As a real unprivileged account (nobody), folders it may not create in. */
describe.skipIf(!realRoot)(`state folders a user may not create${realRoot ? '' : ' (skipped: needs real root, to become nobody)'}`, () => {
  let copy: { root: string; dispose: () => Promise<void> };
  let dir: string;
  let machine: string;
  let ns: RootNamespace;
  let config: string;
  const cli = (...args: string[]) =>
    ns.spawn([process.execPath, path.join(copy.root, 'bin', 'provision.js'), ...args, '-c', config, '--root', machine, '--machine', 'imac'], {
      as: NOBODY,
      cwd: dir,
      env: { PATH: `${path.join(copy.root, 'sim', 'bin')}:${process.env['PATH'] ?? ''}`, PROVISION_SIM_STATE: path.join(dir, 'state.json'), NO_COLOR: '1', HOME: dir },
    });

  beforeAll(async () => {
    copy = await readableProjectCopy();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-refused-'));
    await fs.chmod(dir, 0o755);
    machine = path.join(dir, 'machine');
    await fs.mkdir(machine, { mode: 0o755 });
    config = path.join(dir, 'backups.yaml');
    await fs.writeFile(
      config,
      `version: 1
drives:
  archive: { volume: Archive 2TB }
users:
  nobody:
    mobilesync: { drive: archive, path: MobileSync/nobody }
machines:
  imac:
    hostname: iMac
    platform: macos
    users: [nobody]
`,
      { mode: 0o644 },
    );
    await fs.writeFile(path.join(dir, 'state.json'), JSON.stringify({ scutil: { ComputerName: 'iMac', LocalHostName: 'iMac' } }), { mode: 0o666 });
    ns = await RootNamespace.create();
    await ns.mountTmpfs(path.join(machine, 'Volumes', 'Archive 2TB'));
  }, 120_000);
  afterAll(async () => {
    await ns?.dispose();
    await fs.rm(dir, { recursive: true, force: true });
    await copy?.dispose();
  });

  it("the apply lock's folder may not be created", async () => {
    const r = await cli('apply', '--yes');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).not.toContain('Internal error');
    expect(r.stderr).toContain(`Cannot create ${path.join(machine, 'tmp')}, the folder of the apply lock (EACCES)`);
    expect(r.stderr).toContain(`chmod 1777 ${path.join(machine, 'tmp')}`);
  });

  it("the journal's folder may not be created: the move stops before anything moves", async () => {
    await fs.mkdir(path.join(machine, 'tmp'));
    await fs.chmod(path.join(machine, 'tmp'), 0o1777);
    // nobody's home belongs to root (as /nonexistent does on Linux); only the data is theirs.
    const src = macBackupFolder(machine, 'nobody');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 5);
    await fs.chmod(path.join(machine, 'Users', 'nobody'), 0o755);
    for (const d of ['Library', 'Library/Application Support', 'Library/Application Support/MobileSync']) await fs.chown(path.join(machine, 'Users', 'nobody', d), NOBODY.uid, NOBODY.gid);
    await fs.chown(src, NOBODY.uid, NOBODY.gid);
    await fs.chown(path.join(src, udid(1)), NOBODY.uid, NOBODY.gid);
    const want = await snapshotTree(src);
    const r = await cli('apply', '--yes');
    expect(r.exitCode, r.stderr + r.stdout).toBe(1);
    expect(r.stderr + r.stdout).not.toContain('Internal error');
    expect(r.stderr + r.stdout).toContain(`Cannot write provision's journal in ${path.join(machine, 'Users', 'nobody', '.local', 'state', 'provision')} (EACCES)`);
    expect(await snapshotTree(src)).toEqual(want);
  }, 60_000);
});
