import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { expectOutputMatches } from '../helpers/output-schemas.js';
import { CLI, Sandbox, SIM_BIN, type CliResult } from '../helpers/sandbox.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { HOUSEHOLD, macBackupFolder, makeHome, TIME_MACHINE_ON_NAS, writeHousehold } from './household.js';
import { PHOTO_HOUSEHOLD } from './photo-household.js';

interface Check {
  id: string;
  subject: string | null;
  status: 'ok' | 'warning' | 'problem';
  code: string | null;
  found: string;
  details: string[];
  fix: string | null;
  drive: { state: string; fs_type: string | null; free_bytes: number | null } | null;
  tools: { command: string; found: boolean; if_missing: string }[] | null;
  interrupted: { user: string; phase: string; operation: string }[] | null;
}

interface Doctor {
  ok: boolean;
  machine: string | null;
  running_as_root: boolean;
  stopped: string | null;
  counts: { ok: number; warning: number; problem: number };
  checks: Check[];
}

/**
 * provision doctor end to end: the built CLI in a sandbox under --root, with real tmpfs drives
 * and the macOS tools' simulators. Each case breaks one thing the plan needs and checks that
 * doctor finds it (by code, in JSON validated against schemas/doctor.schema.json), says how to
 * fix it, and exits 1; a healthy machine exits 0. Doctor reads only: the tree is unchanged.
 */
describe('provision doctor', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.dispose();
    sb = undefined;
  });

  async function sandbox(computerName = 'iMac'): Promise<Sandbox> {
    sb = await Sandbox.create(computerName);
    return sb;
  }

  async function doctor(s: Sandbox, config: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ r: CliResult; doc: Doctor }> {
    const r = await s.cli(['doctor', '--json', '-c', config, '--root', s.root, ...args], env);
    const doc = expectOutputMatches('doctor', r.stdout) as unknown as Doctor;
    expect(r.exitCode, r.stderr).toBe(doc.ok ? 0 : 1);
    return { r, doc };
  }

  function check(doc: Doctor, id: string, subject?: string): Check {
    const c = doc.checks.find((x) => x.id === id && (subject === undefined || x.subject === subject));
    if (c === undefined) throw new Error(`no ${id} check in ${JSON.stringify(doc.checks.map((x) => x.id))}`);
    return c;
  }

  /** Two users with a device backup each, the archive drive mounted and APFS: nothing missing. */
  async function healthy(s: Sandbox): Promise<string> {
    const config = await writeHousehold(s.root);
    for (const [i, user] of ['alex', 'sam'].entries()) {
      await makeHome(s.root, user);
      await makeDeviceBackup(path.join(macBackupFolder(s.root, user), udid(i + 1)), i + 1, 4);
    }
    await s.mountDrive('Archive 2TB');
    await s.setSimState({ diskutil: s.simVolumes({ 'Archive 2TB': 'apfs' }) });
    return config;
  }

  it('a healthy machine: every check ok, exit 0, and the tree is left as it was', async () => {
    const s = await sandbox();
    const config = await healthy(s);
    const before = await snapshotTree(path.join(s.root, 'Users'));
    // Without --machine: found by the simulated scutil's ComputerName, as plan finds it.
    const { r, doc } = await doctor(s, config);
    expect(r.exitCode).toBe(0);
    expect(doc.ok).toBe(true);
    expect(doc.stopped).toBeNull();
    expect(doc.machine).toBe('imac');
    expect(doc.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(check(doc, 'machine').found).toContain("this computer's name iMac");
    expect(check(doc, 'users').details).toEqual(['alex: home /Users/alex', 'sam: home /Users/sam']);
    expect(check(doc, 'full-disk-access').status).toBe('ok');
    const drive = check(doc, 'drive', 'archive');
    expect(drive.drive?.state).toBe('mounted');
    expect(drive.drive?.fs_type).toBe('apfs');
    expect(drive.drive?.free_bytes).toBeGreaterThan(0);
    expect(check(doc, 'tools').tools?.map((t) => [t.command, t.found])).toEqual([
      ['scutil', true],
      ['diskutil', true],
      ['lsof', true],
      ['ditto', true],
    ]);
    expect(check(doc, 'journal').status).toBe('ok');
    expect(await snapshotTree(path.join(s.root, 'Users'))).toEqual(before);

    // The text: one block per check, readable at 60 columns, the same verdict.
    const text = await s.cli(['doctor', '-c', config, '--root', s.root], { COLUMNS: '60' });
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toMatch(/^ok {7}Drive archive$/m);
    expect(text.stdout).toContain('No problems found. Next: provision plan');
    for (const line of text.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(60);
    expect((await s.cli(['doctor', '--help'])).stdout).toMatch(/Examples:\n {2}provision doctor /);
  });

  it('a missing drive, and a stale folder in its place: a problem each, with the fix', async () => {
    const s = await sandbox();
    const config = await writeHousehold(s.root);
    await makeHome(s.root, 'alex');
    await makeHome(s.root, 'sam');
    const absent = await doctor(s, config, ['--machine', 'imac']);
    const drive = check(absent.doc, 'drive', 'archive');
    expect(drive.status).toBe('problem');
    expect(drive.code).toBe('DRIVE_NOT_MOUNTED');
    expect(drive.drive?.state).toBe('absent');
    expect(drive.fix).toContain('connect the drive');
    expect(absent.r.exitCode).toBe(1);

    // A folder where the drive should be mounted is on the boot disk, not the drive.
    await fs.mkdir(path.join(s.root, 'Volumes', 'Archive 2TB'), { recursive: true });
    const stale = await doctor(s, config, ['--machine', 'imac']);
    expect(check(stale.doc, 'drive', 'archive').code).toBe('DRIVE_STALE_FOLDER');
    expect(stale.r.exitCode).toBe(1);
  });

  it('photo libraries on removable media, a case-sensitive volume, a network share: each a problem with its fix', async () => {
    const s = await sandbox();
    const config = await writeHousehold(s.root, PHOTO_HOUSEHOLD);
    await makeHome(s.root, 'alex');
    await s.mountDrive('Archive 2TB');
    const archive = path.join(s.root, 'Volumes', 'Archive 2TB');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ diskutil: { volumes: { [archive]: { RemovableMedia: true } } } }, 'REMOVABLE_MEDIA', 'hard disk or SSD'],
      [{ diskutil: { volumes: { [archive]: { FilesystemName: 'Case-sensitive APFS' } } } }, 'CASE_SENSITIVE_FORMAT', 'without "Case-sensitive"'],
      [
        { diskutil: { volumes: {} }, mount: { mounts: [{ device: '//alex@nas/Archive', mountPoint: archive, type: 'smbfs', options: ['nodev', 'nosuid'] }] } },
        'NETWORK_DRIVE',
        'plugged into this Mac',
      ],
    ];
    for (const [state, code, fix] of cases) {
      await s.setSimState({ mount: { mounts: [] }, ...state });
      const { doc } = await doctor(s, config, ['--machine', 'imac', '--user', 'alex']);
      const c = check(doc, 'photo-drive', 'alex');
      expect([c.status, c.code], JSON.stringify(c)).toEqual(['problem', code]);
      expect(c.fix).toContain(fix);
    }
  });

  it('photo libraries declared on an exFAT drive, and on the Time Machine drive: problems the plan would not report', async () => {
    const s = await sandbox();
    const config = await writeHousehold(s.root, PHOTO_HOUSEHOLD);
    await makeHome(s.root, 'alex');
    await s.mountDrive('Stick');
    await s.mountDrive('Archive 2TB');
    await s.setSimState({ diskutil: s.simVolumes({ 'Archive 2TB': 'apfs', Stick: 'exfat' }), tmutil: { destinations: [] } });

    // mini keeps alex's photos on the stick, formatted exFAT (the diskutil simulator says so).
    const mini = await doctor(s, config, ['--machine', 'mini']);
    expect(check(mini.doc, 'drive', 'stick').drive?.fs_type).toBe('exfat');
    const onStick = check(mini.doc, 'photo-drive', 'alex');
    expect(onStick.status).toBe('problem');
    expect(onStick.code).toBe('NOT_MAC_FORMAT');
    expect(onStick.found).toContain('formatted exfat');
    expect(mini.r.exitCode).toBe(1);
    // The plan has nothing to move (alex has no library yet), so it says nothing of this.
    const plan = await s.cli(['plan', '--json', '-c', config, '--root', s.root, '--machine', 'mini']);
    expect(plan.stdout).not.toContain('NOT_MAC_FORMAT');

    // air backs up to the archive drive with Time Machine, where alex's photos are declared.
    const air = await doctor(s, config, ['--machine', 'air']);
    expect(check(air.doc, 'photo-drive', 'alex').code).toBe('TIME_MACHINE_DRIVE');
    expect(check(air.doc, 'drive', 'archive').status).toBe('ok');

    // imac keeps them on the APFS archive drive: fine.
    const imac = await doctor(s, config, ['--machine', 'imac', '--user', 'alex']);
    expect(check(imac.doc, 'photo-drive', 'alex').status).toBe('ok');
  });

  it('a computer that is no declared machine: says so with the fix, and stops', async () => {
    const s = await sandbox('Kitchen PC');
    const config = await writeHousehold(s.root);
    const { r, doc } = await doctor(s, config);
    expect(r.exitCode).toBe(1);
    const machine = check(doc, 'machine');
    expect(machine.code).toBe('MACHINE_NOT_DETECTED');
    expect(machine.found).toContain('Kitchen PC');
    expect(machine.fix).toContain('--machine');
    expect(doc.stopped).not.toBeNull();
    expect(doc.checks.map((c) => c.id)).toEqual(['declaration', 'machine']);

    const named = await doctor(s, config, ['--machine', 'laptop']);
    expect(check(named.doc, 'machine').code).toBe('MACHINE_UNKNOWN');
    // The machine is known, a user is not: said in the users check, and the rest is not run.
    const user = await doctor(s, config, ['--machine', 'imac', '--user', 'bob']);
    expect(check(user.doc, 'machine').status).toBe('ok');
    expect(check(user.doc, 'users').code).toBe('USER_UNKNOWN');
    expect(user.doc.stopped).not.toBeNull();
    expect(user.r.exitCode).toBe(1);
  });

  it('an invalid declaration: every problem as validate reports it, and nothing else is checked', async () => {
    const s = await sandbox();
    const config = await writeHousehold(s.root, HOUSEHOLD.replace('drive: archive, path: MobileSync/sam', 'drive: archiv, path: MobileSync/sam').replace('    platform: macos\n', '    platfrom: macos\n'));
    const { r, doc } = await doctor(s, config);
    expect(r.exitCode).toBe(1);
    const decl = check(doc, 'declaration');
    expect(decl.status).toBe('problem');
    expect(decl.code).toMatch(/^CONFIG_/);
    expect(decl.found).toContain(config);
    expect(decl.details.length).toBeGreaterThanOrEqual(1);
    for (const d of decl.details) expect(d).toMatch(new RegExp(`^${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
    expect(doc.checks.map((c) => c.id)).toEqual(['declaration']);
    expect(doc.machine).toBeNull();
    // The same problems validate prints.
    const validate = await s.cli(['validate', '-c', config]);
    for (const d of decl.details) expect(validate.stderr).toContain(d.split('\n')[0]);

    const missing = await doctor(s, path.join(s.root, 'nowhere.yaml'));
    expect(check(missing.doc, 'declaration').code).toBe('CONFIG_NOT_FOUND');
  });

  it('Time Machine declared while not running as root: the plan needs sudo', async () => {
    const s = await sandbox('MacBook Air');
    const config = await writeHousehold(s.root, TIME_MACHINE_ON_NAS);
    await s.setSimState({ tmutil: { destinations: [], keychain: ['alex@nas.local'] } });
    const asRoot = await doctor(s, config);
    expect(asRoot.doc.running_as_root).toBe(true);
    expect(check(asRoot.doc, 'root').status).toBe('ok');
    expect(check(asRoot.doc, 'tools').tools?.find((t) => t.command === 'tmutil')?.found).toBe(true);

    // The same, unprivileged: a user namespace of its own inside the sandbox, where this process
    // has no uid mapped (it runs as the overflow uid, not root); the simulators act as uid 501.
    const r = await execa(
      'nsenter',
      ['--target', String(s.pid), '--user', '--mount', '--preserve-credentials', 'unshare', '--user', process.execPath, CLI, 'doctor', '--json', '-c', config, '--root', s.root],
      { reject: false, stdin: 'ignore', env: { PATH: `${SIM_BIN}:${process.env['PATH'] ?? ''}`, PROVISION_SIM_STATE: s.simState, PROVISION_SIM_UID: '501', NO_COLOR: '1' } },
    );
    const doc = expectOutputMatches('doctor', String(r.stdout)) as unknown as Doctor;
    expect(doc.running_as_root).toBe(false);
    const root = check(doc, 'root');
    expect(root.status).toBe('problem');
    expect(root.code).toBe('NEEDS_ROOT');
    expect(root.found).toContain('Time Machine');
    expect(root.fix).toContain('sudo provision apply');
    expect(r.exitCode).toBe(1);
  });

  it('a tool missing from PATH (no simulators): a problem for tmutil, a warning for diskutil', async () => {
    const s = await sandbox();
    const config = await writeHousehold(s.root, PHOTO_HOUSEHOLD);
    await makeHome(s.root, 'alex');
    await s.mountDrive('Archive 2TB');
    const { r, doc } = await doctor(s, config, ['--machine', 'air'], { PATH: '/usr/bin:/bin' });
    const tools = check(doc, 'tools');
    expect(tools.status).toBe('problem');
    expect(tools.code).toBe('TOOL_MISSING');
    const byName = new Map((tools.tools ?? []).map((t) => [t.command, t]));
    expect(byName.get('tmutil')).toMatchObject({ found: false, if_missing: 'problem' });
    expect(byName.get('diskutil')).toMatchObject({ found: false, if_missing: 'warning' });
    expect(byName.get('defaults')).toMatchObject({ found: false, if_missing: 'problem' });
    // --machine was given: scutil is not needed, so not asked for.
    expect(byName.has('scutil')).toBe(false);
    expect(tools.found).toContain('tmutil');
    expect(r.exitCode).toBe(1);
  });

  it('an interrupted move in the journal: a problem, finished by apply', async () => {
    const s = await sandbox();
    const config = await healthy(s);
    const src = macBackupFolder(s.root, 'alex');
    // Cut off while copying: the partial copy on the drive, the original untouched.
    await fs.mkdir(path.join(s.volume('Archive 2TB'), 'MobileSync', 'alex', '.provision-partial-alex_mobilesync.0'), { recursive: true });
    const journal = path.join(s.root, 'var', 'db', 'provision');
    await fs.mkdir(journal, { recursive: true });
    await fs.writeFile(
      path.join(journal, 'alex_mobilesync.0.json'),
      JSON.stringify({
        version: 1,
        id: 'alex_mobilesync.0',
        changeId: 'alex/mobilesync',
        user: 'alex',
        title: 'iOS device backups',
        path: '/Users/alex/Library/Application Support/MobileSync/Backup',
        phase: 'copying',
        step: {
          op: 'relocate',
          id: 'alex_mobilesync.0',
          source: src,
          dest: path.join(s.root, 'Volumes', 'Archive 2TB', 'MobileSync', 'alex'),
          entries: [udid(1)],
          discard: [],
          link: { path: src, target: '/Volumes/Archive 2TB/MobileSync/alex', type: 'symlink' },
          volume: { files: 8, bytes: 1 },
        },
        startedAt: '2026-11-22T00:00:00.000Z',
        updatedAt: '2026-11-22T00:00:00.000Z',
        pid: 1,
      }),
    );
    const { r, doc } = await doctor(s, config, ['--machine', 'imac']);
    const j = check(doc, 'journal');
    expect(j.status).toBe('problem');
    expect(j.code).toBe('INTERRUPTED');
    expect(j.interrupted).toEqual([expect.objectContaining({ user: 'alex', phase: 'copying', operation: 'relocate' })]);
    expect(j.fix).toContain('provision apply');
    expect(r.exitCode).toBe(1);

    // Its fix works: apply finishes the move, and doctor is content again.
    const apply = await s.cli(['apply', '--yes', '-c', config, '--root', s.root, '--machine', 'imac']);
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    const after = await doctor(s, config, ['--machine', 'imac']);
    expect(check(after.doc, 'journal').status).toBe('ok');
    expect(after.r.exitCode).toBe(0);
  });

  /**
   * A folder owned by a uid not mapped into the sandbox's user namespace cannot be listed there
   * even by its root, as a Mac refuses a terminal without Full Disk Access. (Linux answers
   * EACCES where macOS answers EPERM; test/doctor/full-disk-access.test.ts covers EPERM.)
   */
  it('an unreadable MobileSync folder: the Full Disk Access check fails, with the fix', async () => {
    const s = await sandbox();
    const config = await healthy(s);
    const locked = macBackupFolder(s.root, 'sam');
    await fs.chown(locked, 12345, 12345);
    await fs.chmod(locked, 0o700);
    try {
      const { r, doc } = await doctor(s, config, ['--machine', 'imac']);
      const fda = check(doc, 'full-disk-access');
      expect(fda.status).toBe('problem');
      expect(fda.code).toBe('PERMISSION');
      expect(fda.found).toContain('/Users/sam/Library/Application Support/MobileSync/Backup (EACCES)');
      expect(fda.fix).toContain('Full Disk Access');
      expect(r.exitCode).toBe(1);
    } finally {
      await fs.chown(locked, 0, 0);
    }
  });
});
