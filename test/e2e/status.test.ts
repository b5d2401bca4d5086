import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { expectOutputMatches } from '../helpers/output-schemas.js';
import { makePhotosLibrary } from '../helpers/photo-libraries.js';
import { Sandbox } from '../helpers/sandbox.js';
import { HOUSEHOLD, macBackupFolder, makeHome, writeHousehold } from './household.js';

const DAY = 24 * 60 * 60 * 1000;

/** One user per state, each with iOS backups on drive archive, but zed, whose drive "old" is a stale folder. */
const STATES = ['alex', 'sam', 'kim', 'lee', 'max', 'ria', 'tom', 'uma', 'vic', 'wes'] as const;
const EVERY_STATE = `version: 1
drives:
  archive: { volume: Archive 2TB }
  old: { volume: Old }
users:
${STATES.map((u) => `  ${u}: { mobilesync: { drive: archive, path: MobileSync/${u} } }`).join('\n')}
  zed: { mobilesync: { drive: old, path: MobileSync/zed } }
machines:
  imac:
    hostname: iMac
    users: [${[...STATES, 'zed'].join(', ')}]
`;

interface StatusJson {
  needs_attention: boolean;
  locations: {
    id: string;
    state: string;
    state_text: string;
    hint: string | null;
    severity: string;
    size_bytes: number | null;
    files: number | null;
    data: { path: string; where: string; size_bytes: number }[];
    devices: {
      folder: string;
      archived: boolean;
      problem: string | null;
      device_name: string | null;
      model: string | null;
      ios_version: string | null;
      last_backup: string | null;
      age_days: number | null;
      stale: boolean;
      size_bytes: number;
    }[] | null;
    interrupted: { operation: string; phase: string } | null;
  }[];
  drives: { name: string; state: string; mounted: boolean; free_bytes: number | null; total_bytes: number | null; used_by: string[] }[];
}

/** A device backup whose Info.plist says it was last backed up `daysAgo` days ago. */
async function deviceBackedUp(dir: string, seed: number, name: string, daysAgo: number): Promise<void> {
  await makeDeviceBackup(dir, seed, 6, name);
  const info = path.join(dir, 'Info.plist');
  const when = new Date(Date.now() - daysAgo * DAY - 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await fs.writeFile(info, (await fs.readFile(info, 'utf8')).replace(/<date>[^<]*<\/date>/, `<date>${when}</date>`));
}

/** Bytes of the regular files below dir: what status must report as its size. */
async function bytesBelow(dir: string): Promise<number> {
  let n = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += await bytesBelow(p);
    else if (e.isFile()) n += (await fs.stat(p)).size;
  }
  return n;
}

describe('provision status end to end, under --root with real tmpfs drives', () => {
  let sb: Sandbox;
  let config: string;
  const run = (...args: string[]) => sb.cli(['status', '-c', config, '--root', sb.root, '--machine', 'imac', ...args]);

  beforeEach(async () => {
    sb = await Sandbox.create();
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('every state at once: text, JSON against its schema, devices from Info.plist, drives, and nothing changed', async () => {
    config = await writeHousehold(sb.root, EVERY_STATE);
    for (const u of [...STATES, 'zed']) await makeHome(sb.root, u);
    const drive = await sb.mountDrive('Archive 2TB');
    const onDrive = (u: string): string => path.join(drive, 'MobileSync', u);
    const declared = (u: string): string => `/Volumes/Archive 2TB/MobileSync/${u}`;
    const link = (u: string): string => macBackupFolder(sb.root, u);
    const linkTo = async (u: string, target: string): Promise<void> => {
      await fs.mkdir(path.dirname(link(u)), { recursive: true });
      await fs.symlink(target, link(u));
    };

    // alex: ok, with a recent iPhone, an iPad last backed up 94 days ago, an archived copy, and
    // two device folders whose Info.plist is damaged or missing.
    await deviceBackedUp(path.join(onDrive('alex'), udid(1)), 1, "Alex's iPhone", 2);
    await deviceBackedUp(path.join(onDrive('alex'), udid(2)), 2, "Alex's iPad", 94);
    await deviceBackedUp(path.join(onDrive('alex'), `${udid(1)}-20250101-101500`), 3, "Alex's iPhone", 300);
    await makeDeviceBackup(path.join(onDrive('alex'), udid(4)), 4, 3);
    await fs.writeFile(path.join(onDrive('alex'), udid(4), 'Info.plist'), '<?xml version="1.0"?>\n<plist version="1.0"><dict><key>Device Name</key><string>half');
    await makeDeviceBackup(path.join(onDrive('alex'), udid(5)), 5, 3);
    await fs.rm(path.join(onDrive('alex'), udid(5), 'Info.plist'));
    await linkTo('alex', declared('alex'));
    // sam: not yet moved.
    await deviceBackedUp(path.join(link('sam'), udid(6)), 6, "Sam's iPhone", 5);
    // kim: nothing anywhere.
    // lee: a link to the declared folder, which is not on the (mounted) drive.
    await linkTo('lee', declared('lee'));
    // max: a link to an older folder that exists.
    await deviceBackedUp(path.join(sb.root, 'Users', 'max', 'OldBackups', udid(7)), 7, "Max's iPhone", 10);
    await linkTo('max', '/Users/max/OldBackups');
    // ria: the drive holds her backups, and an app made a new real folder where the link was.
    await deviceBackedUp(path.join(onDrive('ria'), udid(8)), 8, "Ria's iPhone", 3);
    await deviceBackedUp(path.join(link('ria'), udid(9)), 9, "Ria's new iPad", 1);
    // tom: a move cut while copying, recorded in the journal.
    await deviceBackedUp(path.join(link('tom'), udid(10)), 10, "Tom's iPhone", 4);
    await fs.mkdir(path.join(onDrive('tom'), '.provision-partial-tom_mobilesync.0'), { recursive: true });
    const journal = path.join(sb.root, 'var', 'db', 'provision');
    await fs.mkdir(journal, { recursive: true });
    await fs.writeFile(
      path.join(journal, 'tom_mobilesync.0.json'),
      JSON.stringify({
        version: 1,
        id: 'tom_mobilesync.0',
        changeId: 'tom/mobilesync',
        user: 'tom',
        title: 'iOS device backups',
        path: '/Users/tom/Library/Application Support/MobileSync/Backup',
        phase: 'copying',
        step: {
          op: 'relocate',
          id: 'tom_mobilesync.0',
          source: link('tom'),
          dest: sb.machinePath(declared('tom')),
          entries: [udid(10)],
          discard: [],
          link: { path: link('tom'), target: declared('tom'), type: 'symlink' },
          volume: { files: 10, bytes: 1 },
        },
        startedAt: '2026-11-01T00:00:00.000Z',
        updatedAt: '2026-11-01T00:00:00.000Z',
        pid: 1,
      }),
    );
    // uma: a file where the folder should be.
    await fs.mkdir(path.dirname(link('uma')), { recursive: true });
    await fs.writeFile(link('uma'), 'not a folder');
    // vic: the drive holds the backups, the link is gone.
    await deviceBackedUp(path.join(onDrive('vic'), udid(11)), 11, "Vic's iPhone", 6);
    // wes: a link to a drive that is not there.
    await linkTo('wes', '/Volumes/Gone/MobileSync/wes');
    // zed: the link is in place, but /Volumes/Old is a stale folder, not the drive.
    await fs.mkdir(path.join(sb.root, 'Volumes', 'Old'));
    await linkTo('zed', '/Volumes/Old/MobileSync/zed');

    const before = await snapshotTree(path.join(sb.root, 'Users'));
    const driveBefore = await snapshotTree(drive);

    const json = await run('--json');
    expect(json.exitCode, json.stderr).toBe(0);
    const doc = expectOutputMatches('status', json.stdout) as unknown as StatusJson;
    const state = Object.fromEntries(doc.locations.map((l) => [l.id, l.state]));
    expect(state).toEqual({
      'alex/mobilesync': 'ok',
      'sam/mobilesync': 'not-moved',
      'kim/mobilesync': 'not-set-up',
      'lee/mobilesync': 'link-broken',
      'max/mobilesync': 'linked-elsewhere',
      'ria/mobilesync': 'replaced-by-folder',
      'tom/mobilesync': 'interrupted',
      'uma/mobilesync': 'conflict',
      'vic/mobilesync': 'link-missing',
      'wes/mobilesync': 'link-broken',
      'zed/mobilesync': 'drive-not-mounted',
    });
    expect(doc.needs_attention).toBe(true);
    const loc = (id: string) => doc.locations.find((l) => l.id === id)!;
    expect(loc('tom/mobilesync').interrupted).toEqual({ operation: 'relocate', phase: 'copying', started_at: '2026-11-01T00:00:00.000Z' });

    // Sizes are of the data wherever it is.
    expect(loc('alex/mobilesync').size_bytes).toBe(await bytesBelow(onDrive('alex')));
    expect(loc('sam/mobilesync').size_bytes).toBe(await bytesBelow(link('sam')));
    expect(loc('max/mobilesync').size_bytes).toBe(await bytesBelow(path.join(sb.root, 'Users', 'max', 'OldBackups')));
    expect(loc('ria/mobilesync').data.map((d) => d.where)).toEqual(['link', 'declared']);
    expect(loc('ria/mobilesync').size_bytes).toBe((await bytesBelow(link('ria'))) + (await bytesBelow(onDrive('ria'))));
    expect(loc('kim/mobilesync').size_bytes).toBe(0);

    // alex's devices, read from each Info.plist.
    const devices = loc('alex/mobilesync').devices!;
    const byFolder = Object.fromEntries(devices.map((d) => [d.folder, d]));
    expect(byFolder[udid(1)]).toMatchObject({ device_name: "Alex's iPhone", model: 'iPhone14,2', ios_version: '17.5', age_days: 2, stale: false, archived: false, problem: null });
    expect(byFolder[udid(1)]!.size_bytes).toBe(await bytesBelow(path.join(onDrive('alex'), udid(1))));
    expect(byFolder[udid(2)]).toMatchObject({ device_name: "Alex's iPad", age_days: 94, stale: true });
    expect(byFolder[`${udid(1)}-20250101-101500`]).toMatchObject({ archived: true, stale: false, age_days: 300 });
    expect(byFolder[udid(4)]!.problem).toMatch(/cannot be parsed/);
    expect(byFolder[udid(4)]).toMatchObject({ device_name: null, last_backup: null, stale: false });
    expect(byFolder[udid(5)]!.problem).toMatch(/no Info.plist/);
    // Archived copies come after the devices in use.
    expect(devices[devices.length - 1]!.archived).toBe(true);
    // Ria's devices: both places are listed.
    expect(loc('ria/mobilesync').devices!.map((d) => d.device_name).sort()).toEqual(["Ria's iPhone", "Ria's new iPad"]);

    // Drives: archive mounted with its space, old a stale folder.
    const archive = doc.drives.find((d) => d.name === 'archive')!;
    expect(archive).toMatchObject({ state: 'mounted', mounted: true });
    expect(archive.total_bytes).toBe(64 * 1024 * 1024);
    expect(archive.free_bytes).toBeGreaterThan(0);
    expect(archive.used_by).toContain('alex/mobilesync');
    expect(doc.drives.find((d) => d.name === 'old')).toMatchObject({ state: 'not-mounted', mounted: false, free_bytes: null, used_by: ['zed/mobilesync'] });

    // The text, at 60 columns.
    const t = await sb.cli(['status', '-c', config, '--root', sb.root, '--machine', 'imac'], { COLUMNS: '60' });
    expect(t.exitCode, t.stderr).toBe(0);
    for (const line of t.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(60);
    const flat = t.stdout.replace(/\n {6,}/g, ' ');
    expect(flat).toContain('ok: linked to the declared folder on drive archive');
    expect(flat).toContain('not yet moved: a folder with 1 device backup on this machine');
    expect(flat).toContain('not set up yet');
    expect(flat).toContain('link broken');
    expect(flat).toContain('linked elsewhere: to /Users/max/OldBackups');
    expect(flat).toContain('link replaced by a real folder: a folder with 1 device backup is where the link was');
    expect(flat).toContain('interrupted move');
    expect(flat).toContain('conflict:');
    expect(flat).toContain('drive not mounted');
    expect(flat).toMatch(/Alex's iPad \(iPhone14,2, iOS 17\.5\)\s+last backup \S+ \S+, 94 days ago: over 30 days/);
    expect(flat).toContain('archived copy');
    expect(flat).toContain('Info.plist cannot be parsed');
    expect(flat).toMatch(/old: \/Volumes\/Old\s+not mounted/);
    expect(t.stdout.replace(/\n/g, ' ')).toMatch(/10 of 11 locations need attention\. 1 device backup is older than 30 days\. 2 device backups could not be read\./);

    // --detailed-exitcode: 2 when anything needs attention.
    expect((await run('--detailed-exitcode')).exitCode).toBe(2);
    // status only reads.
    expect(await snapshotTree(path.join(sb.root, 'Users'))).toEqual(before);
    expect(await snapshotTree(drive)).toEqual(driveBefore);
  });

  it('after apply everything is ok (exit 0 even with --detailed-exitcode); then the drive is unplugged', async () => {
    config = await writeHousehold(sb.root, HOUSEHOLD);
    await makeHome(sb.root, 'alex');
    await makeHome(sb.root, 'sam');
    const drive = await sb.mountDrive('Archive 2TB');
    await deviceBackedUp(path.join(macBackupFolder(sb.root, 'alex'), udid(1)), 1, "Alex's iPhone", 1);
    const apply = await sb.cli(['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'imac']);
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);

    const ok = await run('--detailed-exitcode', '--json');
    expect(ok.exitCode, ok.stderr).toBe(0);
    const doc = expectOutputMatches('status', ok.stdout) as unknown as StatusJson;
    expect(doc.needs_attention).toBe(false);
    expect(doc.locations.map((l) => [l.id, l.state, l.severity])).toEqual([
      ['alex/mobilesync', 'ok', 'ok'],
      ['sam/mobilesync', 'ok', 'ok'],
    ]);
    expect(doc.locations[0]!.size_bytes).toBe(await bytesBelow(path.join(drive, 'MobileSync', 'alex')));
    expect(doc.locations[0]!.devices!.map((d) => d.device_name)).toEqual(["Alex's iPhone"]);
    const text = await run();
    expect(text.stdout).toContain('All 2 locations are as declared.');

    await sb.unmountDrive('Archive 2TB');
    const gone = await run('--json', '--user', 'alex');
    expect(gone.exitCode, gone.stderr).toBe(0);
    const after = expectOutputMatches('status', gone.stdout) as unknown as StatusJson;
    expect(after.locations.map((l) => [l.id, l.state])).toEqual([['alex/mobilesync', 'drive-not-mounted']]);
    // The backups are on the drive that is away: their size is unknown, not 0.
    expect(after.locations[0]!.size_bytes).toBeNull();
    expect(after.locations[0]!.devices).toEqual([]);
    expect(after.drives).toEqual([{ name: 'archive', mount_point: '/Volumes/Archive 2TB', state: 'absent', mounted: false, free_bytes: null, total_bytes: null, fs_type: null, owners: null, used_by: ['alex/mobilesync'] }]);
    expect((await run('--detailed-exitcode', '--user', 'alex')).exitCode).toBe(2);
  });

  it('a backup folder it may not read (as a Mac without Full Disk Access): unreadable, with the fix, and the other rows still there', async () => {
    config = await writeHousehold(sb.root, HOUSEHOLD);
    await makeHome(sb.root, 'alex');
    await makeHome(sb.root, 'sam');
    await sb.mountDrive('Archive 2TB');
    const locked = macBackupFolder(sb.root, 'sam');
    await deviceBackedUp(path.join(locked, udid(2)), 2, "Sam's iPhone", 3);
    // Owned by a uid not mapped into the sandbox: its root cannot list it (EACCES; a Mac
    // without Full Disk Access answers EPERM, which the classifier's unit tests cover).
    await fs.chown(locked, 12345, 12345);
    await fs.chmod(locked, 0o700);
    try {
      const r = await run('--json', '--detailed-exitcode');
      expect(r.exitCode, r.stderr).toBe(2);
      const doc = expectOutputMatches('status', r.stdout) as unknown as StatusJson;
      expect(doc.locations.map((l) => [l.id, l.state])).toEqual([
        ['alex/mobilesync', 'not-set-up'],
        ['sam/mobilesync', 'unreadable'],
      ]);
      const sam = doc.locations[1]!;
      expect(sam.severity).toBe('error');
      expect(sam.state_text).toContain('EACCES');
      expect(sam.hint ?? '').not.toBe('');
      const text = await run();
      expect(text.exitCode).toBe(0);
      expect(text.stdout).toMatch(/state: +unreadable/);
    } finally {
      await fs.chown(locked, 0, 0);
    }
  });

  it('photo libraries: only those the user has, a declared one that is nowhere, one not yet moved', async () => {
    config = await writeHousehold(
      sb.root,
      `version: 1
drives:
  archive: { volume: Archive 2TB }
users:
  alex:
    photos: { drive: archive, path: Photos/alex, libraries: [Family.photoslibrary] }
machines:
  imac: { hostname: iMac, users: [alex] }
`,
    );
    await makeHome(sb.root, 'alex');
    await sb.mountDrive('Archive 2TB');
    const built = await makePhotosLibrary(path.join(sb.root, 'Users', 'alex', 'Pictures'), 1);
    const r = await run('--json');
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = expectOutputMatches('status', r.stdout) as unknown as StatusJson;
    expect(doc.locations.map((l) => [l.id, l.state])).toEqual([
      ['alex/photos/Photos Library.photoslibrary', 'not-moved'],
      ['alex/photos/Family.photoslibrary', 'not-set-up'],
    ]);
    expect(doc.locations[0]!.size_bytes).toBe(await bytesBelow(built.root));
    expect(doc.locations[0]!.devices).toBeNull();
  });

  it('the machine\'s own resources get a row read off their plan; --user leaves them out', async () => {
    config = await writeHousehold(
      sb.root,
      `version: 1
drives:
  archive: { volume: Archive 2TB }
  stick: { volume: Stick }
users:
  alex: { mobilesync: { drive: archive, path: MobileSync/alex } }
machines:
  mini:
    hostname: Mac mini
    users: [alex]
    timemachine: { destinations: [{ drive: stick }] }
`,
    );
    await makeHome(sb.root, 'alex');
    await sb.mountDrive('Archive 2TB');
    await sb.mountDrive('Stick');
    await sb.setSimState({ diskutil: sb.simVolumes({ Stick: 'hfs' }), tmutil: { destinations: [] } });
    const status = (...args: string[]) => sb.cli(['status', '-c', config, '--root', sb.root, '--machine', 'mini', ...args]);

    const before = expectOutputMatches('status', (await status('--json')).stdout) as unknown as StatusJson;
    expect(before.locations.map((l) => [l.id, l.state, l.severity])).toEqual([
      ['alex/mobilesync', 'not-set-up', 'warning'],
      ['timemachine', 'differs', 'warning'],
    ]);
    expect(before.drives.map((d) => [d.name, d.used_by])).toEqual([
      ['archive', ['alex/mobilesync']],
      ['stick', ['timemachine']],
    ]);
    const text = await status();
    expect(text.stdout).toMatch(/\nThis machine\n {2}Time Machine destinations\n/);

    const apply = await sb.cli(['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'mini']);
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    const after = expectOutputMatches('status', (await status('--json', '--detailed-exitcode')).stdout) as unknown as StatusJson;
    expect(after.locations.map((l) => [l.id, l.state])).toEqual([
      ['alex/mobilesync', 'ok'],
      ['timemachine', 'ok'],
    ]);
    expect((await status('--detailed-exitcode')).exitCode).toBe(0);

    const narrowed = expectOutputMatches('status', (await status('--json', '--user', 'alex')).stdout) as unknown as StatusJson;
    expect(narrowed.locations.map((l) => l.id)).toEqual(['alex/mobilesync']);
    expect(narrowed.drives.map((d) => d.name)).toEqual(['archive']);
  });

  it('an unknown machine is an error: exit 1, nothing on stdout', async () => {
    config = await writeHousehold(sb.root, HOUSEHOLD);
    const r = await sb.cli(['status', '-c', config, '--root', sb.root, '--machine', 'nope']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no machine nope');
  });
});
