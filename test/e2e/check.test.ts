import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotTree, udid } from '../helpers/fixtures.js';
import { expectOutputMatches } from '../helpers/output-schemas.js';
import { Sandbox } from '../helpers/sandbox.js';
import { makeDeviceBackupWithState } from '../helpers/device-backups.js';
import { writeTimeMachinePrefs } from '../helpers/time-machine-prefs.js';
import { macBackupFolder, makeHome, TIME_MACHINE_ON_NAS, writeHousehold } from './household.js';

interface Finding {
  code: string;
  severity: string;
  subject: string;
  name: string;
  user: string | null;
  text: string;
  fix: string | null;
  facts: Record<string, unknown>;
}
interface CheckJson {
  exit_code: number;
  counts: { ok: number; warning: number; problem: number };
  findings: Finding[];
}

const ONE_DRIVE = (backedUp = ''): string => `version: 1
drives:
  archive: { volume: Archive 2TB${backedUp} }
users:
  alex: { mobilesync: { drive: archive, path: MobileSync/alex } }
machines:
  imac: { hostname: iMac, users: [alex] }
`;

describe('provision check: the only-copy guard, exit codes and JSON', () => {
  let sb: Sandbox;
  let config: string;
  const check = (...args: string[]) => sb.cli(['check', '-c', config, '--root', sb.root, '--machine', 'imac', ...args]);

  beforeEach(async () => {
    sb = await Sandbox.create();
  });
  afterEach(async () => {
    await sb.dispose();
  });

  /** alex's iOS backups moved to the drive: the folder on the drive and the link. */
  async function moved(): Promise<string> {
    await makeHome(sb.root, 'alex');
    const drive = await sb.mountDrive('Archive 2TB');
    await makeDeviceBackupWithState(path.join(drive, 'MobileSync', 'alex', udid(1)), { seed: 1, name: "Alex's iPhone", daysAgo: 1, encrypted: true, finished: true });
    await fs.mkdir(path.dirname(macBackupFolder(sb.root, 'alex')), { recursive: true });
    await fs.symlink('/Volumes/Archive 2TB/MobileSync/alex', macBackupFolder(sb.root, 'alex'));
    return drive;
  }

  const only = (doc: CheckJson, code: string): Finding[] => doc.findings.filter((f) => f.code === code);

  it('names data on a drive that Time Machine skips as the only copy (exit 2), and changes nothing', async () => {
    config = await writeHousehold(sb.root, ONE_DRIVE());
    await moved();
    // Time Machine is set up (a network destination) but skips external drives, as by default.
    await sb.setSimState({ tmutil: { destinations: [{ ID: 'A1B2C3D4-0000-4000-8000-000000000001', Name: 'nas', Kind: 'Network', URL: 'smb://alex@nas._smb._tcp.local/Backups' }] } });
    const before = await snapshotTree(sb.root);
    const r = await check('--json');
    expect(r.exitCode, r.stderr).toBe(2);
    const doc = expectOutputMatches('check', r.stdout) as unknown as CheckJson;
    expect(doc.exit_code).toBe(2);
    const [guard] = only(doc, 'ONLY_ONE_COPY');
    expect(guard?.severity).toBe('warning');
    expect(guard?.name).toBe('archive');
    expect(guard?.text).toContain('alex/mobilesync');
    expect(guard?.text).toContain('Time Machine skips this drive');
    expect(guard?.fix).toContain('drives.archive.backedUp');
    expect(guard?.facts['timeMachine']).toBe('excluded');
    expect(await snapshotTree(sb.root)).toEqual(before);

    const text = await check();
    expect(text.exitCode).toBe(2);
    expect(text.stdout.replace(/\s+/g, ' ')).toContain('warning: archive holds the only copy of alex/mobilesync');
    expect(text.stdout.replace(/\s+/g, ' ')).toContain('fix: include the drive in Time Machine');
  });

  it('--notify posts one notification (osascript) only when something is wrong; --scheduled records the run', async () => {
    config = await writeHousehold(sb.root, ONE_DRIVE());
    await moved();
    const notifications = async (): Promise<{ text: string; title: string }[]> =>
      ((JSON.parse(await fs.readFile(sb.simState, 'utf8').catch(() => '{}')) as { osascript?: { notifications: { text: string; title: string }[] } }).osascript?.notifications ?? []);
    const r = await check('--notify', '--scheduled');
    expect(r.exitCode, r.stderr).toBe(2);
    const posted = await notifications();
    expect(posted).toHaveLength(1);
    expect(posted[0]?.title).toBe('provision: backups need a look on imac');
    expect(posted[0]?.text).toMatch(/^archive holds the only copy of alex\/mobilesync.*\. Fix: set up Time Machine/);
    const record = JSON.parse(await fs.readFile(path.join(sb.root, 'Users', 'alex', 'Library', 'Logs', 'provision', 'scheduled-runs.json'), 'utf8')) as { runs: { command: string; outcome: string; codes: string[] }[] };
    expect(record.runs).toEqual([expect.objectContaining({ command: 'check', outcome: 'warnings', codes: ['ONLY_ONE_COPY'] })]);

    // Healthy: the declaration says how the drive is backed up. No notification.
    config = await writeHousehold(sb.root, ONE_DRIVE(', backedUp: weekly copy'));
    const fine = await check('--notify');
    expect(fine.exitCode, fine.stdout).toBe(0);
    expect(await notifications()).toHaveLength(1);
  });

  it('the daily check that cannot read its declaration is recorded as failed (exit 1)', async () => {
    config = await writeHousehold(sb.root, 'version: 1\nmachines: {}\n');
    const r = await check('--notify', '--scheduled', '--user', 'alex');
    expect(r.exitCode).toBe(1);
    const record = JSON.parse(await fs.readFile(path.join(sb.root, 'Users', 'alex', 'Library', 'Logs', 'provision', 'scheduled-runs.json'), 'utf8')) as { runs: { command: string; outcome: string }[] };
    expect(record.runs).toEqual([expect.objectContaining({ command: 'check', outcome: 'failed' })]);
  });

  it('says so when this Mac has no Time Machine destination at all', async () => {
    config = await writeHousehold(sb.root, ONE_DRIVE());
    await moved();
    const doc = expectOutputMatches('check', (await check('--json')).stdout) as unknown as CheckJson;
    expect(only(doc, 'ONLY_ONE_COPY')[0]?.text).toContain('no Time Machine destination');
  });

  it('is satisfied when Time Machine includes the drive', async () => {
    config = await writeHousehold(sb.root, ONE_DRIVE());
    await moved();
    await sb.setSimState({
      tmutil: { destinations: [{ ID: 'A1B2C3D4-0000-4000-8000-000000000001', Name: 'nas', Kind: 'Network', URL: 'smb://alex@nas._smb._tcp.local/Backups' }], includedVolumes: ['/Volumes/Archive 2TB'] },
    });
    const doc = expectOutputMatches('check', (await check('--json')).stdout) as unknown as CheckJson;
    expect(only(doc, 'ONLY_ONE_COPY')).toEqual([]);
    expect(only(doc, 'OK_BACKED_UP_BY_TIME_MACHINE')).toHaveLength(1);
  });

  it('trusts the declaration when it says how the drive is backed up', async () => {
    config = await writeHousehold(sb.root, ONE_DRIVE(', backedUp: nightly clone to the NAS'));
    await moved();
    const doc = expectOutputMatches('check', (await check('--json')).stdout) as unknown as CheckJson;
    expect(only(doc, 'ONLY_ONE_COPY')).toEqual([]);
    expect(only(doc, 'OK_BACKED_UP_AS_DECLARED')[0]?.text).toContain('nightly clone to the NAS');
  });

  it('status shows the same findings inline, and its JSON carries them', async () => {
    config = await writeHousehold(sb.root, ONE_DRIVE());
    await moved();
    const text = await sb.cli(['status', '-c', config, '--root', sb.root, '--machine', 'imac']);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain('Checks (as provision check finds them)');
    expect(text.stdout).toContain('archive holds the only copy of alex/mobilesync');
    const json = await sb.cli(['status', '-c', config, '--root', sb.root, '--machine', 'imac', '--json']);
    const doc = expectOutputMatches('status', json.stdout) as unknown as { findings: Finding[] };
    expect(doc.findings.map((f) => f.code)).toContain('ONLY_ONE_COPY');
  });

  it('a declaration it cannot read: exit 1, no JSON document, the file and line named', async () => {
    config = await writeHousehold(sb.root, 'version: 1\nmachines:\n  imac: { hostname: iMac, users: [nobody] }\n');
    const r = await check('--json');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/backups\.yaml:3:/);
  });
});

describe('provision check: device backups against their declared limits', () => {
  let sb: Sandbox;
  let config: string;
  const check = (...args: string[]) => sb.cli(['check', '-c', config, '--root', sb.root, '--machine', 'imac', ...args]);

  beforeEach(async () => {
    sb = await Sandbox.create();
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('finds an old backup (per-device limit), an unencrypted one and an unfinished one: exit 3, JSON valid, status shows them', async () => {
    config = await writeHousehold(
      sb.root,
      `version: 1
drives:
  archive: { volume: Archive 2TB, backedUp: weekly copy to the NAS }
watch: { deviceBackupDays: 20 }
users:
  alex:
    mobilesync: { drive: archive, path: MobileSync/alex }
    watch: { devices: { "Alex's iPad": 100 } }
machines:
  imac: { hostname: iMac, users: [alex] }
`,
    );
    await makeHome(sb.root, 'alex');
    const drive = await sb.mountDrive('Archive 2TB');
    const folder = path.join(drive, 'MobileSync', 'alex');
    // 25 days: over the household's 20.
    await makeDeviceBackupWithState(path.join(folder, udid(1)), { seed: 1, name: "Alex's iPhone", daysAgo: 25, encrypted: true, finished: true });
    // 60 days, but its own limit is 100: fine on age; not encrypted.
    await makeDeviceBackupWithState(path.join(folder, udid(2)), { seed: 2, name: "Alex's iPad", daysAgo: 60, encrypted: false, finished: true });
    // Recent, but the last backup did not finish.
    await makeDeviceBackupWithState(path.join(folder, udid(3)), { seed: 3, name: "Alex's Watch Phone", daysAgo: 1, encrypted: true, finished: false });
    // Recent and fine.
    await makeDeviceBackupWithState(path.join(folder, udid(4)), { seed: 4, name: 'Family iPhone', daysAgo: 2, encrypted: true, finished: true });
    await fs.mkdir(path.dirname(macBackupFolder(sb.root, 'alex')), { recursive: true });
    await fs.symlink('/Volumes/Archive 2TB/MobileSync/alex', macBackupFolder(sb.root, 'alex'));

    const r = await check('--json');
    expect(r.exitCode, r.stderr).toBe(3);
    const doc = expectOutputMatches('check', r.stdout) as unknown as CheckJson;
    const byCode = (code: string): string[] => doc.findings.filter((f) => f.code === code).map((f) => f.name);
    expect(byCode('DEVICE_BACKUP_OLD')).toEqual(["Alex's iPhone"]);
    expect(byCode('DEVICE_BACKUP_UNENCRYPTED')).toEqual(["Alex's iPad"]);
    expect(byCode('DEVICE_BACKUP_UNFINISHED')).toEqual(["Alex's Watch Phone"]);
    expect(byCode('OK_DEVICE_BACKUP')).toEqual(['Family iPhone']);
    const old = doc.findings.find((f) => f.code === 'DEVICE_BACKUP_OLD');
    expect(old?.user).toBe('alex');
    expect(old?.facts).toMatchObject({ ageDays: 25, limitDays: 20, encrypted: true, lastBackupFinished: true });
    expect(doc.findings.find((f) => f.code === 'DEVICE_BACKUP_UNENCRYPTED')?.facts['limitDays']).toBe(100);
    // Problems first.
    expect(doc.findings[0]?.severity).toBe('problem');

    const text = await check();
    expect(text.exitCode).toBe(3);
    expect(text.stdout.replace(/\s+/g, ' ')).toContain("problem: Alex's iPhone was last backed up 25 days ago, over its limit of 20 days");

    const status = await sb.cli(['status', '-c', config, '--root', sb.root, '--machine', 'imac', '--json']);
    const sdoc = expectOutputMatches('status', status.stdout) as unknown as { locations: { devices: { device_name: string; stale: boolean; limit_days: number; encrypted: boolean; last_backup_finished: boolean }[] | null }[] };
    const devices = sdoc.locations[0]?.devices ?? [];
    const rows = devices.map((d) => [d.device_name, d.stale, d.limit_days, d.encrypted, d.last_backup_finished]);
    expect(rows.sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ["Alex's iPad", false, 100, false, true],
      ["Alex's iPhone", true, 20, true, true],
      ["Alex's Watch Phone", false, 20, true, false],
      ['Family iPhone', false, 20, true, true],
    ]);
    const stext = await sb.cli(['status', '-c', config, '--root', sb.root, '--machine', 'imac']);
    expect(stext.stdout).toContain('the last backup did not finish');
    expect(stext.stdout).toContain('not encrypted');
  });

  it('refuses a limit that is not a whole number of days, naming the line, and changes nothing', async () => {
    config = await writeHousehold(sb.root, 'version: 1\nwatch:\n  deviceBackupDays: soon\nmachines:\n  imac: { hostname: iMac }\n');
    const r = await check();
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/backups\.yaml:3:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('provision check: declared drives, last seen and how full', () => {
  let sb: Sandbox;
  let config: string;
  const check = (...args: string[]) => sb.cli(['check', '-c', config, '--root', sb.root, '--machine', 'imac', ...args]);
  const seenFile = (): string => path.join(sb.root, 'var', 'db', 'provision', 'drives', 'seen.json');

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root, ONE_DRIVE(', backedUp: weekly copy'));
    await makeHome(sb.root, 'alex');
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('apply records the drive as seen; away for weeks it is a warning, away a few days it is fine; plan and check do not record', async () => {
    await sb.mountDrive('Archive 2TB');
    const before = await check('--json');
    const never = (expectOutputMatches('check', before.stdout) as unknown as CheckJson).findings.find((f) => f.subject === 'drive');
    expect(never?.code).toBe('OK_DRIVE_SEEN');
    await sb.cli(['plan', '-c', config, '--root', sb.root, '--machine', 'imac']);
    await expect(fs.stat(seenFile())).rejects.toThrow();

    const applied = await sb.cli(['apply', '-c', config, '--root', sb.root, '--machine', 'imac', '--yes']);
    expect(applied.exitCode, applied.stderr).toBe(0);
    const record = JSON.parse(await fs.readFile(seenFile(), 'utf8')) as { drives: Record<string, { lastSeenAt: string }> };
    expect(Date.now() - Date.parse(record.drives['archive']?.lastSeenAt ?? '')).toBeLessThan(60_000);

    await sb.unmountDrive('Archive 2TB');
    const recent = expectOutputMatches('check', (await check('--json')).stdout) as unknown as CheckJson;
    expect(recent.findings.find((f) => f.subject === 'drive')?.code).toBe('OK_DRIVE_AWAY');

    const weeksAgo = new Date(Date.now() - 20 * 24 * 3600_000).toISOString();
    await fs.writeFile(seenFile(), JSON.stringify({ version: 1, drives: { archive: { lastSeenAt: weeksAgo } } }));
    const r = await check('--json');
    expect(r.exitCode).toBe(2);
    const doc = expectOutputMatches('check', r.stdout) as unknown as CheckJson;
    const away = doc.findings.find((f) => f.subject === 'drive');
    expect(away?.code).toBe('DRIVE_NOT_SEEN');
    expect(away?.facts).toMatchObject({ daysUnseen: 20, limitDays: 14, lastSeenAt: weeksAgo });
    expect(away?.fix).toContain('plug in archive');
  });

  it('a saved plan made before the state folder exists still applies: the drive is recorded after the work, not before it', async () => {
    await sb.mountDrive('Archive 2TB');
    await expect(fs.stat(path.dirname(seenFile()))).rejects.toThrow();
    const saved = path.join(sb.root, 'tonight.plan');
    const planned = await sb.cli(['plan', '-c', config, '--root', sb.root, '--machine', 'imac', '--out', saved]);
    expect(planned.exitCode, planned.stderr).toBe(0);
    const applied = await sb.cli(['apply', saved, '--root', sb.root, '--yes']);
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(applied.stderr).not.toContain('stale');
    const record = JSON.parse(await fs.readFile(seenFile(), 'utf8')) as { drives: Record<string, { lastSeenAt: string }> };
    expect(record.drives['archive']).toBeDefined();
  });

  it('an apply that is refused (a stale saved plan) writes nothing, not even the drives seen', async () => {
    await sb.mountDrive('Archive 2TB');
    const saved = path.join(sb.root, 'tonight.plan');
    expect((await sb.cli(['plan', '-c', config, '--root', sb.root, '--machine', 'imac', '--out', saved])).exitCode).toBe(0);
    await fs.mkdir(macBackupFolder(sb.root, 'alex'), { recursive: true });
    const refused = await sb.cli(['apply', saved, '--root', sb.root, '--yes']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('stale');
    await expect(fs.lstat(path.join(sb.root, 'var', 'db', 'provision'))).rejects.toThrow();
  });

  it('a drive never seen is a warning; check --notify records a mounted one', async () => {
    const r = expectOutputMatches('check', (await check('--json')).stdout) as unknown as CheckJson;
    expect(r.findings.find((f) => f.subject === 'drive')?.code).toBe('DRIVE_NEVER_SEEN');
    await sb.mountDrive('Archive 2TB');
    await check('--notify');
    const record = JSON.parse(await fs.readFile(seenFile(), 'utf8')) as { drives: Record<string, { lastSeenAt: string }> };
    expect(record.drives['archive']).toBeDefined();
  });

  it('a drive over the declared fullness is a warning', async () => {
    config = await writeHousehold(sb.root, ONE_DRIVE(', backedUp: weekly copy').replace('version: 1\n', 'version: 1\nwatch: { driveFullPercent: 50 }\n'));
    const drive = await sb.mountDrive('Archive 2TB', '16m');
    await fs.writeFile(path.join(drive, 'big.bin'), Buffer.alloc(12 * 1024 * 1024, 1));
    const doc = expectOutputMatches('check', (await check('--json')).stdout) as unknown as CheckJson;
    const full = doc.findings.find((f) => f.subject === 'drive');
    expect(full?.code).toBe('DRIVE_NEARLY_FULL');
    expect(full?.facts['limitPercent']).toBe(50);
    expect(Number(full?.facts['usedPercent'])).toBeGreaterThan(50);
  });
});

describe("provision check: Time Machine's last backup per destination", () => {
  let sb: Sandbox;
  let config: string;
  const check = (...args: string[]) => sb.cli(['check', '-c', config, '--root', sb.root, '--machine', 'imac', ...args]);
  const DAY = 24 * 3600_000;
  const NAS = { ID: 'A1B2C3D4-0000-4000-8000-000000000001', Name: 'Backups', Kind: 'Network', URL: 'smb://alex@nas._smb._tcp.local/Backups' };
  const DISK = { ID: 'B1B2C3D4-0000-4000-8000-000000000002', Name: 'TM Disk', Kind: 'Local', MountPoint: '/Volumes/TM Disk' };

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(
      sb.root,
      `version: 1
drives:
  tm: { volume: TM Disk }
machines:
  imac:
    hostname: iMac
    timemachine: { destinations: [{ drive: tm }] }
`,
    );
    await sb.setSimState({ tmutil: { destinations: [NAS, DISK] } });
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('a destination whose last backup is older than the limit is a problem (exit 3); a recent one is fine', async () => {
    await writeTimeMachinePrefs(sb.root, [
      { id: NAS.ID, snapshotDates: [new Date(Date.now() - 30 * DAY), new Date(Date.now() - 12 * DAY)] },
      { id: DISK.ID, snapshotDates: [new Date(Date.now() - 2 * DAY)] },
    ]);
    const r = await check('--json');
    expect(r.exitCode, r.stderr).toBe(3);
    const doc = expectOutputMatches('check', r.stdout) as unknown as CheckJson;
    const tm = doc.findings.filter((f) => f.subject === 'time-machine');
    expect(tm.map((f) => [f.name, f.code])).toEqual([
      ['Backups', 'TIME_MACHINE_BACKUP_OLD'],
      ['TM Disk', 'OK_TIME_MACHINE'],
    ]);
    expect(tm[0]?.facts).toMatchObject({ ageDays: 12, limitDays: 7, destinationId: NAS.ID });
    expect(tm[0]?.fix).toContain('share is reachable');
  });

  it('no recorded backup, or a preferences file it cannot read, is a warning, never "fine"', async () => {
    await writeTimeMachinePrefs(sb.root, [{ id: NAS.ID }, { id: DISK.ID, snapshotDates: [new Date()] }]);
    let doc = expectOutputMatches('check', (await check('--json')).stdout) as unknown as CheckJson;
    expect(doc.findings.filter((f) => f.subject === 'time-machine').map((f) => f.code)).toEqual(['TIME_MACHINE_NO_BACKUP_RECORDED', 'OK_TIME_MACHINE']);
    await fs.writeFile(path.join(sb.root, 'Library', 'Preferences', 'com.apple.TimeMachine.plist'), Buffer.from('bplist00 damaged'));
    doc = expectOutputMatches('check', (await check('--json')).stdout) as unknown as CheckJson;
    expect(doc.exit_code).toBe(2);
    expect(doc.findings.filter((f) => f.subject === 'time-machine').map((f) => f.code)).toEqual(['TIME_MACHINE_LAST_UNKNOWN', 'TIME_MACHINE_LAST_UNKNOWN']);
  });
});

describe('provision check on a Linux machine sharing a Time Machine folder: each client Mac’s bundle, the quota', () => {
  let sb: Sandbox;
  let config: string;
  const check = (...args: string[]) => sb.cli(['check', '-c', config, '--root', sb.root, '--machine', 'nas', ...args]);
  const DAY = 24 * 3600_000;

  /** A backup bundle as a client Mac leaves it on the share, last written `daysAgo` days ago. */
  async function bundle(folder: string, name: string, daysAgo: number, bytes: number): Promise<void> {
    const dir = path.join(folder, name);
    await fs.mkdir(path.join(dir, 'bands'), { recursive: true });
    // Sparse: the size is what counts (Samba's own quota counts band sizes), not blocks used.
    await fs.writeFile(path.join(dir, 'bands', '0'), '');
    await fs.truncate(path.join(dir, 'bands', '0'), bytes);
    await fs.writeFile(path.join(dir, 'Info.plist'), '<plist version="1.0"><dict/></plist>\n');
    await fs.writeFile(path.join(dir, 'token'), '');
    const t = new Date(Date.now() - daysAgo * DAY);
    for (const p of [path.join(dir, 'bands', '0'), path.join(dir, 'bands'), path.join(dir, 'Info.plist'), path.join(dir, 'token'), dir]) await fs.utimes(p, t, t);
  }

  beforeEach(async () => {
    sb = await Sandbox.create('nas');
    config = await writeHousehold(sb.root, TIME_MACHINE_ON_NAS.replace('timemachine: {}', 'timemachine: { quota: 1GB }'));
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('a client whose bundle is old is a problem (exit 3), a recent one fine, the quota nearly used a warning; JSON valid', async () => {
    const disk = await sb.mountAt('/srv/backup');
    const share = path.join(disk, 'tm');
    await fs.mkdir(share, { recursive: true });
    await bundle(share, 'MacBook Air.sparsebundle', 20, 600_000_000);
    await bundle(share, 'iMac.backupbundle', 1, 350_000_000);
    await fs.mkdir(path.join(share, 'not a bundle'));
    const r = await check('--json');
    expect(r.exitCode, r.stderr).toBe(3);
    const doc = expectOutputMatches('check', r.stdout) as unknown as CheckJson;
    const bundles = doc.findings.filter((f) => f.subject === 'backup-bundle');
    expect(bundles.map((f) => [f.name, f.code])).toEqual([
      ['MacBook Air', 'BACKUP_BUNDLE_OLD'],
      ['iMac', 'OK_BACKUP_BUNDLE'],
    ]);
    expect(bundles[0]?.facts).toMatchObject({ share: 'Backups', ageDays: 20, limitDays: 7 });
    const quota = doc.findings.find((f) => f.subject === 'share');
    expect(quota?.code).toBe('SHARE_QUOTA_NEARLY_FULL');
    expect(quota?.facts).toMatchObject({ bundles: 2, quotaBytes: 1_000_000_000, usedPercent: 95 });

    const text = await check();
    expect(text.exitCode).toBe(3);
    expect(text.stdout.replace(/\s+/g, ' ')).toContain('problem: MacBook Air last wrote its Time Machine backup on share Backups 20 days ago, over the limit of 7 days');
  });

  it('--notify on Linux writes each finding to stderr with its journal priority (<3> problem, <4> warning)', async () => {
    const disk = await sb.mountAt('/srv/backup');
    await bundle(path.join(disk, 'tm'), 'MacBook Air.sparsebundle', 20, 1000);
    const r = await check('--notify');
    expect(r.exitCode).toBe(3);
    const lines = r.stderr.split('\n').filter((l) => /^<\d>/.test(l));
    expect(lines).toEqual([expect.stringMatching(/^<3>MacBook Air last wrote its Time Machine backup on share Backups 20 days ago, over the limit of 7 days \(fix: on MacBook Air, open Time Machine/)]);
  });

  it("the seed question's household: two Macs on one 1 TB share with quotas that cannot both fit: the server's plan says so", async () => {
    config = await writeHousehold(
      sb.root,
      TIME_MACHINE_ON_NAS.replace('timemachine: {}', 'timemachine: { quota: 1TB }')
        .replace('    timemachine: { destinations: [{ share: nas/Backups }] }\n', '    timemachine: { destinations: [{ share: nas/Backups, quota: 600GB }] }\n  imac:\n    hostname: iMac\n    timemachine: { destinations: [{ share: nas/Backups, quota: 600GB }] }\n'),
    );
    await sb.mountAt('/srv/backup');
    const plan = await sb.cli(['plan', '-c', config, '--root', sb.root, '--machine', 'nas', '--json']);
    const warnings = (JSON.parse(plan.stdout) as { changes: { warnings: { code: string; message: string }[] }[] }).changes.flatMap((c) => c.warnings);
    const w = warnings.find((x) => x.code === 'SHARE_QUOTAS_EXCEED_LIMIT');
    expect(w?.message).toContain('(air 600 GB, imac 600 GB) add up to 1200 GB, more than the share\'s own limit of 1000 GB');
  });

  it('a share with no bundle yet, and a share whose drive is away, are warnings (exit 2)', async () => {
    const disk = await sb.mountAt('/srv/backup');
    await fs.mkdir(path.join(disk, 'tm'), { recursive: true });
    let doc = expectOutputMatches('check', (await check('--json')).stdout) as unknown as CheckJson;
    expect(doc.findings.find((f) => f.subject === 'share')?.code).toBe('SHARE_NO_BACKUPS');
    expect(doc.exit_code).toBe(2);
    expect((await sb.exec('umount', ['-l', path.join(sb.root, 'srv', 'backup')])).exitCode).toBe(0);
    const r = await check('--json');
    expect(r.exitCode).toBe(2);
    doc = expectOutputMatches('check', r.stdout) as unknown as CheckJson;
    expect(doc.findings.find((f) => f.subject === 'share')?.code).toBe('SHARE_DRIVE_AWAY');
  });
});
