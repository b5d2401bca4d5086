import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeIPhotoLibrary, makeITunesFolder, makeMusicMediaFolder, makeNewEmptyPhotosLibrary, makePhotosLibrary } from '../helpers/photo-libraries.js';
import { Sandbox } from '../helpers/sandbox.js';
import { expectNothingPlanned, writeHousehold } from './household.js';
import { changesOf } from '../helpers/plan-json.js';
import { ARCHIVE, contents, music, onDrive, PHOTO_HOUSEHOLD, pictures } from './photo-household.js';

const PHOTOS = 'Photos Library.photoslibrary';
const IPHOTO = 'iPhoto Library.photolibrary';

describe('photo libraries and music end to end, under --root with real tmpfs drives', () => {
  let sb: Sandbox;
  let config: string;
  const run = (cmd: string, ...args: string[]) => sb.cli([cmd, '-c', config, '--root', sb.root, '--machine', 'imac', ...args]);
  const planJson = async (...args: string[]) => {
    const r = await run('plan', '--json', ...args);
    // 1 when something is blocked: the JSON says what.
    expect([0, 1], r.stderr + r.stdout).toContain(r.exitCode);
    return changesOf(r.stdout);
  };

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root, PHOTO_HOUSEHOLD);
    for (const u of ['alex', 'sam']) await fs.mkdir(pictures(sb, u), { recursive: true });
    await sb.setSimState({
      diskutil: sb.simVolumes({ 'Archive 2TB': 'apfs', Old: 'hfs', Stick: 'exfat' }),
      sudo: { users: { alex: 501, sam: 502 } },
      // Mojave, the last macOS on which iPhoto runs.
      sw_vers: { productName: 'Mac OS X', productVersion: '10.14.6', buildVersion: '18G103' },
    });
  });
  afterEach(async () => {
    await sb.dispose();
  });

  const expectConverged = (...args: string[]): Promise<void> => expectNothingPlanned(run, ...args);

  it('a Photos library: moved whole and verified, linked from Pictures, with the one-time instruction', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const lib = await makePhotosLibrary(pictures(sb, 'alex'), 1, { assets: 12 });
    const want = await contents(lib.root);

    const plan = await run('plan', '--user', 'alex');
    expect(plan.exitCode, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(`> alex: Photos library ${PHOTOS}`);
    expect(plan.stdout).toContain('open Photos with the Option key held');
    // Libraries alex does not have are not in the plan at all.
    expect(plan.stdout).not.toContain('iPhoto');
    expect(plan.stdout).toContain('Plan: 1 to relocate, 0 to create, 0 to update.');

    const apply = await run('apply', '--yes', '--user', 'alex');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(await fs.readlink(lib.root)).toBe(`${ARCHIVE}/Photos/alex/${PHOTOS}`);
    expect(await contents(path.join(drive, 'Photos', 'alex', PHOTOS))).toEqual(want);
    expect((await fs.readdir(pictures(sb, 'alex'))).filter((n) => n.startsWith('.provision'))).toEqual([]);
    await expectConverged('--user', 'alex');
  });

  it('an iPhoto library: moved, and iPhoto’s RootDirectory set for that user (through sudo) and read back', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const lib = await makeIPhotoLibrary(pictures(sb, 'sam'), 2);
    const want = await contents(lib.root);
    const changes = await planJson('--user', 'sam');
    expect(changes.map((c) => [c.id, c.action])).toEqual([[`sam/photos/${IPHOTO}`, 'relocate']]);
    expect(changes[0]?.steps.at(-1)).toEqual({
      op: 'set-preference',
      domain: 'com.apple.iPhoto',
      key: 'RootDirectory',
      value: `${ARCHIVE}/Photos/sam/${IPHOTO}`,
      asUser: 'sam',
    });
    const apply = await run('apply', '--yes', '--user', 'sam');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(await contents(path.join(drive, 'Photos', 'sam', IPHOTO))).toEqual(want);
    const state = JSON.parse(await fs.readFile(sb.simState, 'utf8')) as { defaults: unknown };
    expect(state.defaults).toEqual({ users: { '502': { 'com.apple.iPhoto': { RootDirectory: `${ARCHIVE}/Photos/sam/${IPHOTO}` } } } });
    await expectConverged('--user', 'sam');
  });

  it('on macOS 10.15 and later iPhoto cannot run: its library moves, its preference is neither read nor written, and the plan says why', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    await sb.setSimState({ sw_vers: { productName: 'macOS', productVersion: '14.6.1', buildVersion: '23G93' } });
    const lib = await makeIPhotoLibrary(pictures(sb, 'sam'), 5);
    const want = await contents(lib.root);
    const [c] = await planJson('--user', 'sam');
    expect(c?.steps.some((s) => s.op === 'set-preference')).toBe(false);
    expect(c?.warnings.find((w) => w.code === 'IPHOTO_CANNOT_RUN')?.message).toContain('this Mac runs 14.6.1');
    expect((await run('apply', '--yes', '--user', 'sam')).exitCode).toBe(0);
    expect(await contents(path.join(drive, 'Photos', 'sam', IPHOTO))).toEqual(want);
    const state = JSON.parse(await fs.readFile(sb.simState, 'utf8')) as { defaults?: unknown };
    expect(state.defaults).toBeUndefined();
  });

  it('iPhoto already moved but its preference unset: only the preference is written', async () => {
    await sb.mountDrive('Archive 2TB');
    await onDrive(sb, '/Volumes/Archive 2TB/Photos/sam', (d) => makeIPhotoLibrary(d, 3));
    await fs.symlink(`${ARCHIVE}/Photos/sam/${IPHOTO}`, path.join(pictures(sb, 'sam'), IPHOTO));
    const plan = await run('plan', '--user', 'sam');
    expect(plan.stdout).toContain(`~ sam: iPhoto library ${IPHOTO}`);
    expect(plan.stdout).toContain('iPhoto is told the library is at');
    expect((await run('apply', '--yes', '--user', 'sam')).exitCode).toBe(0);
    await expectConverged('--user', 'sam');
  });

  it('iPhoto set to open another library: that choice is left alone, with a note', async () => {
    await sb.mountDrive('Archive 2TB');
    await makeIPhotoLibrary(pictures(sb, 'sam'), 4);
    await sb.setSimState({ defaults: { users: { '502': { 'com.apple.iPhoto': { RootDirectory: '/Users/sam/Desktop/Other.photolibrary' } } } } });
    const [c] = await planJson('--user', 'sam');
    expect(c?.action).toBe('relocate');
    expect(c?.steps.some((s) => s.op === 'set-preference')).toBe(false);
    expect(c?.warnings.map((w) => w.code)).toContain('IPHOTO_OPENS_ANOTHER_LIBRARY');
  });

  it('the older "iPhoto Library" folder and a declared extra library move too; a declared one that is missing gets a note', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    await makeIPhotoLibrary(pictures(sb, 'alex'), 5, { plainFolder: true });
    const changes = await planJson('--user', 'alex');
    expect(changes.map((c) => [c.id, c.action])).toEqual([
      ['alex/photos/iPhoto Library', 'relocate'],
      ['alex/photos/Family.photoslibrary', 'none'],
    ]);
    expect(changes[1]?.warnings.map((w) => w.code)).toEqual(['LIBRARY_NOT_FOUND']);
    await makePhotosLibrary(pictures(sb, 'alex'), 6, { name: 'Family.photoslibrary' });
    const apply = await run('apply', '--yes', '--user', 'alex');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect((await fs.readdir(path.join(drive, 'Photos', 'alex'))).sort()).toEqual(['Family.photoslibrary', 'iPhoto Library']);
    await expectConverged('--user', 'alex');
  });

  it('already moved: nothing to do; moved to another drive: moved on and the link re-pointed', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    await sb.mountDrive('Old');
    await onDrive(sb, '/Volumes/Archive 2TB/Photos/sam', (d) => makePhotosLibrary(d, 7));
    await fs.symlink(`${ARCHIVE}/Photos/sam/${PHOTOS}`, path.join(pictures(sb, 'sam'), PHOTOS));
    const lib = await onDrive(sb, '/Volumes/Old/Photos', (d) => makePhotosLibrary(d, 8));
    const want = await contents(lib.root);
    await fs.symlink(`/Volumes/Old/Photos/${PHOTOS}`, path.join(pictures(sb, 'alex'), PHOTOS));

    const changes = await planJson();
    expect(changes.map((c) => [c.id, c.action])).toEqual([
      [`alex/photos/${PHOTOS}`, 'relocate'],
      ['alex/photos/Family.photoslibrary', 'none'],
      [`sam/photos/${PHOTOS}`, 'none'],
    ]);
    const apply = await run('apply', '--yes');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(await fs.readlink(path.join(pictures(sb, 'alex'), PHOTOS))).toBe(`${ARCHIVE}/Photos/alex/${PHOTOS}`);
    expect(await contents(path.join(drive, 'Photos', 'alex', PHOTOS))).toEqual(want);
    await expect(fs.lstat(lib.root)).rejects.toThrow();
  });

  it('the link replaced by the new empty library Photos made while the drive was away: blocked and explained, nothing touched', async () => {
    await sb.mountDrive('Archive 2TB');
    const real = await onDrive(sb, '/Volumes/Archive 2TB/Photos/alex', (d) => makePhotosLibrary(d, 9, { assets: 20 }));
    const realBefore = await contents(real.root);
    const fresh = await makeNewEmptyPhotosLibrary(pictures(sb, 'alex'), 10);
    const atHome = await contents(fresh.root);

    const plan = await run('plan', '--user', 'alex', '--detailed-exitcode');
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain('is a new, almost empty library (0 media files)');
    expect(plan.stdout).toContain('to the Trash and plan again: the link is put back');
    const [c] = changesOf((await run('plan', '--json', '--user', 'alex')).stdout);
    expect(c?.blockers.map((b) => b.code)).toEqual(['NEW_LIBRARY_IN_PLACE']);
    const apply = await run('apply', '--yes', '--user', 'alex');
    expect(apply.exitCode).toBe(1);
    expect(await contents(fresh.root)).toEqual(atHome);
    expect(await contents(real.root)).toEqual(realBefore);

    // The user throws the new one away: the link comes back.
    await fs.rm(fresh.root, { recursive: true });
    const again = await run('apply', '--yes', '--user', 'alex');
    expect(again.exitCode, again.stderr + again.stdout).toBe(0);
    expect(await fs.readlink(fresh.root)).toBe(`${ARCHIVE}/Photos/alex/${PHOTOS}`);
    expect(await contents(real.root)).toEqual(realBefore);
  });

  it('two real libraries, one in Pictures and one on the drive: never merged', async () => {
    await sb.mountDrive('Archive 2TB');
    await onDrive(sb, '/Volumes/Archive 2TB/Photos/alex', (d) => makePhotosLibrary(d, 11, { assets: 10 }));
    await makePhotosLibrary(pictures(sb, 'alex'), 12, { assets: 10 });
    const [c] = await planJson('--user', 'alex');
    expect(c?.action).toBe('blocked');
    expect(c?.blockers.map((b) => b.code)).toEqual(['BOTH_SIDES']);
  });

  it('Photos running for that user blocks its libraries; Music running blocks the music folder only', async () => {
    await sb.mountDrive('Archive 2TB');
    await makePhotosLibrary(pictures(sb, 'alex'), 13);
    await makeITunesFolder(music(sb, 'alex'), 14);
    await sb.setSimState({ pgrep: { processes: [{ pid: 612, user: 'alex', uid: 501, name: 'Photos' }, { pid: 613, user: 'sam', uid: 502, name: 'Music' }] } });
    const declaredOnly = (c: { id: string }) => c.id !== 'alex/photos/Family.photoslibrary';
    let changes = (await planJson('--user', 'alex')).filter(declaredOnly);
    expect(changes.map((c) => [c.id, c.action, c.blockers.map((b) => b.code).join()])).toEqual([
      [`alex/photos/${PHOTOS}`, 'blocked', 'APP_RUNNING'],
      ['alex/music/iTunes', 'relocate', ''],
    ]);
    expect(changes[0]?.blockers[0]?.reason).toContain('Photos is running for alex');
    await sb.setSimState({ pgrep: { processes: [{ pid: 700, user: 'alex', uid: 501, name: 'iTunes' }] } });
    changes = (await planJson('--user', 'alex')).filter(declaredOnly);
    expect(changes.map((c) => [c.id, c.action])).toEqual([
      [`alex/photos/${PHOTOS}`, 'relocate'],
      ['alex/music/iTunes', 'blocked'],
    ]);
    const apply = await run('apply', '--yes', '--user', 'alex');
    expect(apply.exitCode).toBe(1);
    expect((await fs.lstat(path.join(pictures(sb, 'alex'), PHOTOS))).isDirectory()).toBe(true);
  });

  it('a drive not formatted APFS or Mac OS Extended is refused for photos (exFAT stick on the mini)', async () => {
    await sb.mountDrive('Stick');
    await makePhotosLibrary(pictures(sb, 'alex'), 15);
    const r = await sb.cli(['plan', '--json', '-c', config, '--root', sb.root, '--machine', 'mini']);
    const [c] = changesOf(r.stdout);
    expect(c?.blockers.map((b) => b.code), JSON.stringify(c?.blockers)).toEqual(['NOT_MAC_FORMAT']);
    expect(c?.blockers[0]?.reason).toContain('formatted exfat');
  });

  it.each([
    ['an SD card (removable media)', { FilesystemType: 'msdos', RemovableMedia: true }, ['NOT_MAC_FORMAT', 'REMOVABLE_MEDIA'], 'removable media such as SD cards'],
    ['a USB stick formatted APFS (removable media)', { FilesystemType: 'apfs', RemovableMedia: true }, ['REMOVABLE_MEDIA'], 'removable media such as SD cards'],
    ['a case-sensitive APFS volume', { FilesystemType: 'apfs', FilesystemName: 'Case-sensitive APFS' }, ['CASE_SENSITIVE_FORMAT'], 'formatted Case-sensitive APFS'],
  ])('%s is refused for photos: apply stops before its first write', async (_what, volume, codes, says) => {
    const drive = await sb.mountDrive('Archive 2TB');
    await sb.setSimState({ diskutil: { volumes: { [path.join(sb.root, ARCHIVE)]: { VolumeName: 'Archive 2TB', ...volume } } } });
    const lib = await makePhotosLibrary(pictures(sb, 'alex'), 21, { assets: 6 });
    const want = await contents(lib.root);
    const [c] = await planJson('--user', 'alex');
    expect(c?.blockers.map((b) => b.code), JSON.stringify(c?.blockers)).toEqual(codes);
    const apply = await run('apply', '--yes', '--user', 'alex');
    expect(apply.exitCode, apply.stdout + apply.stderr).toBe(1);
    expect(apply.stdout + apply.stderr).toContain(says);
    expect(await contents(lib.root)).toEqual(want);
    expect(await fs.readdir(drive)).toEqual([]);
  });

  it('a network share is refused for photos: diskutil does not know it, the mount listing says smbfs', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const mountPoint = path.join(sb.root, ARCHIVE);
    await sb.setSimState({
      diskutil: { volumes: {} },
      mount: { mounts: [{ device: '//alex@nas._smb._tcp.local/Archive%202TB', mountPoint, type: 'smbfs', options: ['nodev', 'nosuid', 'mounted by alex'] }] },
    });
    const lib = await makePhotosLibrary(pictures(sb, 'alex'), 22, { assets: 6 });
    const want = await contents(lib.root);
    const [c] = await planJson('--user', 'alex');
    expect(c?.blockers.map((b) => b.code), JSON.stringify(c?.blockers)).toEqual(['NETWORK_DRIVE']);
    expect(c?.blockers[0]?.reason).toContain('(smbfs)');
    expect((await run('apply', '--yes', '--user', 'alex')).exitCode).toBe(1);
    expect(await contents(lib.root)).toEqual(want);
    expect(await fs.readdir(drive)).toEqual([]);
  });

  it('the drive this Mac backs up to with Time Machine is refused for photos (the Air)', async () => {
    await sb.mountDrive('Archive 2TB');
    await makePhotosLibrary(pictures(sb, 'alex'), 16);
    const r = await sb.cli(['plan', '-c', config, '--root', sb.root, '--machine', 'air', '--detailed-exitcode']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('where this Mac keeps its Time Machine backups');
  });

  it('a missing drive or a full one blocks, nothing touched', async () => {
    const lib = await makePhotosLibrary(pictures(sb, 'alex'), 17, { assets: 30 });
    const want = await contents(lib.root);
    let [c] = await planJson('--user', 'alex');
    expect(c?.blockers.map((b) => b.code)).toEqual(['DRIVE_NOT_MOUNTED']);
    await sb.mountDrive('Archive 2TB', '64k');
    [c] = await planJson('--user', 'alex');
    expect(c?.blockers.map((b) => b.code)).toContain('NOT_ENOUGH_SPACE');
    expect((await run('apply', '--yes', '--user', 'alex')).exitCode).toBe(1);
    expect(await contents(lib.root)).toEqual(want);
  });

  it('linked, drive unplugged: a note not to open Photos until it is back', async () => {
    await fs.symlink(`${ARCHIVE}/Photos/sam/${PHOTOS}`, path.join(pictures(sb, 'sam'), PHOTOS));
    const [c] = await planJson('--user', 'sam');
    expect(c?.action).toBe('none');
    expect(c?.warnings.map((w) => w.code)).toEqual(['DRIVE_NOT_MOUNTED', 'PHOTOS_WAIT_FOR_DRIVE']);
  });

  it('music: the iTunes folder and the Music app’s Media folder each move under their own name', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const itunes = await makeITunesFolder(music(sb, 'alex'), 18);
    const media = await makeMusicMediaFolder(music(sb, 'alex'), 19);
    const want = { itunes: await contents(itunes.root), media: await contents(media.root) };
    const apply = await run('apply', '--yes', '--user', 'alex');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(await fs.readlink(itunes.root)).toBe(`${ARCHIVE}/Music/alex/iTunes`);
    expect(await fs.readlink(media.root)).toBe(`${ARCHIVE}/Music/alex/Media`);
    expect(await contents(path.join(drive, 'Music', 'alex', 'iTunes'))).toEqual(want.itunes);
    expect(await contents(path.join(drive, 'Music', 'alex', 'Media'))).toEqual(want.media);
    await expectConverged('--user', 'alex');
  });

  it('restore brings an iPhoto library home and points iPhoto back at it', async () => {
    await sb.mountDrive('Archive 2TB');
    const lib = await makeIPhotoLibrary(pictures(sb, 'sam'), 20);
    const want = await contents(lib.root);
    expect((await run('apply', '--yes', '--user', 'sam')).exitCode).toBe(0);
    const restore = await run('restore', '--yes', '--user', 'sam', '--only', 'photos');
    expect(restore.exitCode, restore.stderr + restore.stdout).toBe(0);
    expect((await fs.lstat(lib.root)).isDirectory()).toBe(true);
    expect(await contents(lib.root)).toEqual(want);
    const state = JSON.parse(await fs.readFile(sb.simState, 'utf8')) as { defaults: unknown };
    expect(state.defaults).toEqual({ users: { '502': { 'com.apple.iPhoto': { RootDirectory: `/Users/sam/Pictures/${IPHOTO}` } } } });
  });
});
