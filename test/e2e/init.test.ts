import fs from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDeviceBackup, udid } from '../helpers/fixtures.js';
import { makeITunesFolder, makePhotosLibrary } from '../helpers/photo-libraries.js';
import { changesOf } from '../helpers/plan-json.js';
import { REPO, Sandbox, type CliResult } from '../helpers/sandbox.js';
import { macBackupFolder, makeHome } from './household.js';

/**
 * `provision init` and `init --add-machine`, run as the built CLI on a sandboxed machine
 * (--root), each result then put through `validate` and `plan` of the same CLI: the file init
 * writes must validate, and plan cleanly (exit 0, or 2 with --detailed-exitcode when there are
 * changes, and nothing blocked).
 */

const schema = JSON.parse(await fs.readFile(path.join(REPO, 'schemas', 'backups.schema.json'), 'utf8')) as object;
const validateSchema = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

describe('provision init end to end, under --root', () => {
  let sb: Sandbox;
  let out: string;

  async function setUp(computerName = 'iMac'): Promise<void> {
    sb = await Sandbox.create(computerName);
    out = path.join(sb.root, 'decl');
    await fs.mkdir(out);
  }
  afterEach(async () => {
    await sb.dispose();
  });

  const file = (): string => path.join(out, 'backups.yaml');
  const init = (...args: string[]): Promise<CliResult> => sb.cli(['init', out, '--root', sb.root, ...args]);

  /** validate and plan of the built CLI on the file; returns plan --json's changes. */
  async function roundTrip(...planArgs: string[]): Promise<ReturnType<typeof changesOf>> {
    const text = await fs.readFile(file(), 'utf8');
    expect(validateSchema(parse(text)), JSON.stringify(validateSchema.errors)).toBe(true);
    const validate = await sb.cli(['validate', '-c', file()]);
    expect(validate.exitCode, validate.stderr).toBe(0);
    expect(validate.stdout).toContain('Valid:');
    const plan = await sb.cli(['plan', '-c', file(), '--root', sb.root, '--detailed-exitcode', ...planArgs]);
    expect([0, 2], plan.stderr + plan.stdout).toContain(plan.exitCode);
    expect(plan.stdout).not.toMatch(/^\s*! /m);
    const json = await sb.cli(['plan', '-c', file(), '--root', sb.root, '--json', ...planArgs]);
    expect(json.exitCode, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { blocked: boolean; changes_pending: boolean };
    expect(parsed.blocked).toBe(false);
    expect(parsed.changes_pending).toBe(plan.exitCode === 2);
    return changesOf(json.stdout);
  }

  it('a Mac with a drive, device backups, photo libraries and an iTunes folder: all declared, and plan moves them', async () => {
    await setUp();
    await sb.mountDrive('Archive 2TB');
    await sb.setSimState({ diskutil: sb.simVolumes({ 'Archive 2TB': 'apfs' }) });
    const home = await makeHome(sb.root, 'alex');
    await makeDeviceBackup(path.join(macBackupFolder(sb.root, 'alex'), udid(1)), 1, 20);
    await makeDeviceBackup(path.join(macBackupFolder(sb.root, 'alex'), udid(2, false)), 2, 10);
    await makePhotosLibrary(path.join(home, 'Pictures'), 1, { assets: 8 });
    await makePhotosLibrary(path.join(home, 'Pictures'), 2, { assets: 3, name: 'Family.photoslibrary' });
    await makeITunesFolder(path.join(home, 'Music'), 3);

    const r = await init('--user', 'alex');
    expect(r.exitCode, r.stderr).toBe(0);
    const text = await fs.readFile(file(), 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe(`# yaml-language-server: $schema=${path.join(REPO, 'schemas', 'backups.schema.json')}`);
    const decl = parse(text) as Record<string, unknown>;
    expect(decl).toEqual({
      version: 1,
      // Pinned by its volume UUID (diskutil's VolumeUUID): a twin of the same name is refused.
      drives: { 'archive-2tb': { volume: 'Archive 2TB', id: expect.stringMatching(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/) } },
      users: {
        alex: {
          mobilesync: { drive: 'archive-2tb', path: 'MobileSync/alex' },
          photos: { drive: 'archive-2tb', path: 'Photos/alex', libraries: ['Family.photoslibrary'] },
          music: { drive: 'archive-2tb', path: 'Music/alex' },
        },
      },
      machines: { imac: { hostname: 'iMac', platform: 'macos', users: ['alex'] } },
    });
    // What was found is said in comments, next to what it explains.
    expect(text).toMatch(/# found: 2 device backups, \d+(\.\d)? KiB\n\s+mobilesync:/);
    expect(text).toMatch(/# found: Photos Library\.photoslibrary \([\d.]+ KiB\), Family\.photoslibrary \([\d.]+ KiB\)\n/);
    expect(text).toContain('# found: /Volumes/Archive 2TB, apfs,');
    expect(r.stdout).toContain('Wrote ');
    expect(r.stdout).toContain('-> archive-2tb: MobileSync/alex');
    expect(r.stdout).toMatch(/Photo libraries:\n {4}Photos Library\.photoslibrary: [\d.]+ KiB\n {4}Family\.photoslibrary: [\d.]+ KiB\n {4}-> archive-2tb: Photos\/alex\n/);
    expect(r.stdout).toMatch(/Next: provision validate -c \S+, provision plan -c \S+ --root \S+/);

    const changes = await roundTrip();
    expect(changes.filter((c) => c.action === 'relocate').map((c) => c.id).sort()).toEqual([
      'alex/mobilesync',
      'alex/music/iTunes',
      'alex/photos/Family.photoslibrary',
      'alex/photos/Photos Library.photoslibrary',
    ]);
  });

  it('no drive mounted: the locations are written commented out, and the file validates and plans to nothing', async () => {
    await setUp();
    await makeHome(sb.root, 'alex');
    await makeDeviceBackup(path.join(macBackupFolder(sb.root, 'alex'), udid(3)), 3, 5);

    const r = await init('--user', 'alex');
    expect(r.exitCode, r.stderr).toBe(0);
    const text = await fs.readFile(file(), 'utf8');
    expect(parse(text)).toEqual({ version: 1, users: { alex: {} }, machines: { imac: { hostname: 'iMac', platform: 'macos', users: ['alex'] } } });
    expect(text).toContain('# mobilesync: { drive: DRIVE, path: MobileSync/alex }');
    expect(text).toMatch(/# found: 1 device backup, /);
    expect(text).toContain('no external drive was mounted');
    expect(r.stdout).toContain('Nothing is declared for alex yet: no external drive was mounted.');

    const changes = await roundTrip();
    expect(changes.filter((c) => c.action !== 'none')).toEqual([]);
  });

  it('a bare home and a drive the Photos rules do not allow: iOS backups declared, photos and music commented out', async () => {
    await setUp();
    // No diskutil answer for this drive: its format is what statfs says, tmpfs.
    await sb.mountDrive('Stick');
    await makeHome(sb.root, 'alex');
    await makePhotosLibrary(path.join(sb.root, 'Users', 'alex', 'Pictures'), 4, { assets: 2 });

    const r = await init('--user', 'alex', '--machine', 'office-mac');
    expect(r.exitCode, r.stderr).toBe(0);
    const text = await fs.readFile(file(), 'utf8');
    expect(parse(text)).toMatchObject({
      drives: { stick: { volume: 'Stick' } },
      users: { alex: { mobilesync: { drive: 'stick', path: 'MobileSync/alex' } } },
      machines: { 'office-mac': { hostname: 'iMac' } },
    });
    expect((parse(text) as { users: { alex: object } }).users.alex).not.toHaveProperty('photos');
    expect(text).toContain('# photos: { drive: stick, path: Photos/alex }');
    expect(text).toContain("Apple's rules keep photo libraries off stick: it is formatted tmpfs, not APFS or Mac OS Extended");
    expect(text).toContain('# music: { drive: stick, path: Music/alex }');

    const changes = await roundTrip();
    expect(changes.filter((c) => c.action !== 'none').map((c) => [c.id, c.action])).toEqual([['alex/mobilesync', 'create']]);
    // And the declaration is one apply can carry out.
    const apply = await sb.cli(['apply', '-c', file(), '--root', sb.root, '--yes']);
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(await fs.readlink(macBackupFolder(sb.root, 'alex'))).toBe('/Volumes/Stick/MobileSync/alex');
  });

  it('the drive Time Machine backs up to is declared, but data goes to another drive, and photo libraries never there', async () => {
    await setUp();
    // First in name order, so only the Time Machine rule keeps data off it.
    await sb.mountDrive('Aardvark TM');
    await sb.mountDrive('Archive 2TB');
    const tm = path.join(sb.root, 'Volumes', 'Aardvark TM');
    await sb.setSimState({
      diskutil: sb.simVolumes({ 'Aardvark TM': 'apfs', 'Archive 2TB': 'apfs' }),
      tmutil: { destinations: [{ ID: '12345678-E876-4242-92A3-41DAF53EFE4E', Name: 'Aardvark TM', Kind: 'Local', MountPoint: tm }] },
    });
    const home = await makeHome(sb.root, 'alex');
    await makePhotosLibrary(path.join(home, 'Pictures'), 6, { assets: 2 });

    const r = await init('--user', 'alex');
    expect(r.exitCode, r.stderr).toBe(0);
    const text = await fs.readFile(file(), 'utf8');
    expect(parse(text)).toMatchObject({
      drives: { 'aardvark-tm': { volume: 'Aardvark TM' }, 'archive-2tb': { volume: 'Archive 2TB' } },
      users: { alex: { mobilesync: { drive: 'archive-2tb' }, photos: { drive: 'archive-2tb', path: 'Photos/alex' } } },
    });
    expect(text).toMatch(/# found: \/Volumes\/Aardvark TM, apfs, .*Time Machine backs up to it\n {2}aardvark-tm:/);
    await roundTrip();

    // With only the Time Machine drive, photo libraries stay undeclared and say why.
    await sb.unmountDrive('Archive 2TB');
    await fs.rm(file());
    const alone = await init('--user', 'alex');
    expect(alone.exitCode, alone.stderr).toBe(0);
    const again = await fs.readFile(file(), 'utf8');
    expect(parse(again)).toMatchObject({ users: { alex: { mobilesync: { drive: 'aardvark-tm' } } } });
    expect(again).toContain("Apple's rules keep photo libraries off aardvark-tm: Time Machine backs up to it");
    await roundTrip();
  });

  it('backups already linked to a drive by hand: that folder is declared, and plan has nothing to do', async () => {
    await setUp();
    const drive = await sb.mountDrive('Archive 2TB');
    await makeHome(sb.root, 'alex');
    await fs.mkdir(path.join(drive, 'iPhone Backups', 'alex'), { recursive: true });
    await makeDeviceBackup(path.join(drive, 'iPhone Backups', 'alex', udid(5)), 5, 4);
    const link = macBackupFolder(sb.root, 'alex');
    await fs.mkdir(path.dirname(link), { recursive: true });
    await fs.symlink('/Volumes/Archive 2TB/iPhone Backups/alex', link);

    const r = await init('--user', 'alex');
    expect(r.exitCode, r.stderr).toBe(0);
    const text = await fs.readFile(file(), 'utf8');
    expect(parse(text)).toMatchObject({ users: { alex: { mobilesync: { drive: 'archive-2tb', path: 'iPhone Backups/alex' } } } });
    expect(text).toContain('# note: already linked to this folder on archive-2tb');
    const changes = await roundTrip();
    // A tmpfs has no volume UUID and provision has not marked it yet: the one change records
    // which drive holds the backups (adopting the link made by hand).
    expect(changes.filter((c) => c.action !== 'none').map((c) => c.reason)).toEqual([expect.stringContaining('is recorded as the drive that holds')]);
  });

  it('never overwrites: an existing backups.yaml (or a link there) is refused, byte for byte untouched, with --add-machine as the way', async () => {
    await setUp();
    await makeHome(sb.root, 'alex');
    const mine = '# mine\nversion: 1\nmachines: { x: { hostname: X, users: [] } }\n';
    await fs.writeFile(file(), mine);
    const r = await init('--user', 'alex');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('already exists');
    expect(r.stderr).toContain('--add-machine');
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(await fs.readFile(file(), 'utf8')).toBe(mine);
    expect((await fs.readdir(out)).sort()).toEqual(['backups.yaml']);

    await fs.rm(file());
    await fs.symlink('/nowhere/backups.yaml', file());
    const dangling = await init('--user', 'alex');
    expect(dangling.exitCode).toBe(1);
    expect(await fs.readlink(file())).toBe('/nowhere/backups.yaml');
    expect((await fs.readdir(out)).sort()).toEqual(['backups.yaml']);
  });

  it('a Windows PC (--platform windows): the drive by its letter, backups from both iTunes folders', async () => {
    await setUp('FAMILY-PC');
    await sb.mountAt('/E');
    const home = path.join(sb.root, 'C', 'Users', 'sam');
    await makeDeviceBackup(path.join(home, 'AppData', 'Roaming', 'Apple Computer', 'MobileSync', 'Backup', udid(6)), 6, 6);
    await fs.mkdir(path.join(home, 'Apple'), { recursive: true });

    const r = await init('--user', 'sam', '--platform', 'windows');
    expect(r.exitCode, r.stderr).toBe(0);
    const text = await fs.readFile(file(), 'utf8');
    expect(parse(text)).toEqual({
      version: 1,
      drives: { 'drive-e': {} },
      users: { sam: { mobilesync: { drive: 'drive-e', path: 'MobileSync/sam' } } },
      machines: { 'family-pc': { hostname: 'FAMILY-PC', platform: 'windows', users: ['sam'], drives: { 'drive-e': 'E:' } } },
    });
    expect(text).toContain("drives: { drive-e: 'E:' }");
    const changes = await roundTrip();
    expect(changes.filter((c) => c.action !== 'none').map((c) => [c.id, c.action])).toEqual([['sam/mobilesync', 'relocate']]);
  });

  it('a Linux machine (--platform linux): its automounted drive by mount point, and no user data to keep', async () => {
    await setUp('nas');
    await sb.mountAt('/media/alex/Backup Disk');
    await fs.mkdir(path.join(sb.root, 'home', 'alex'), { recursive: true });

    const r = await init('--user', 'alex', '--platform', 'linux');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(parse(await fs.readFile(file(), 'utf8'))).toEqual({
      version: 1,
      drives: { 'backup-disk': { mount: '/media/alex/Backup Disk' } },
      users: { alex: {} },
      machines: { nas: { hostname: 'nas', platform: 'linux', users: ['alex'] } },
    });
    await roundTrip();
  });
});

/** A declaration kept by hand: odd alignment, flow lists, comments everywhere. */
const HAND_KEPT = `# yaml-language-server: $schema=./schemas/backups.schema.json
# Our household.   Kept by hand; do not reformat!
version: 1
drives:
  archive:  { volume: Archive 2TB }     # the big one
  old:
    volume: "Old"                       # retired
users:
  alex:
    mobilesync: { drive: archive, path: MobileSync/alex }   # alex's iPhone
    # photos later
  # more people below, some day

# --- the computers ---
machines:
  mini:
    hostname: [Mac mini, mini.local]    # in the study
    users: [alex]
    # end of mini
# trailing words
`;

/** The original's lines, every one unchanged and in order, within the new text; returns the added lines. */
function addedLines(original: string, result: string): string[] {
  const want = original.split('\n');
  const got = result.split('\n');
  const added: string[] = [];
  let i = 0;
  for (const line of got) {
    if (i < want.length && line === want[i]) i++;
    else added.push(line);
  }
  expect(i, `original line ${i + 1} (${JSON.stringify(want[i])}) was lost or changed`).toBe(want.length);
  return added;
}

describe('provision init --add-machine end to end, under --root', () => {
  let sb: Sandbox;
  let dir: string;
  const file = (): string => path.join(dir, 'backups.yaml');

  async function setUp(computerName: string, text = HAND_KEPT): Promise<void> {
    sb = await Sandbox.create(computerName);
    dir = path.join(sb.root, 'dotfiles');
    await fs.mkdir(dir);
    await fs.writeFile(file(), text);
  }
  afterEach(async () => {
    await sb.dispose();
  });

  async function validateAndPlan(): Promise<ReturnType<typeof changesOf>> {
    const validate = await sb.cli(['validate', '-c', file()]);
    expect(validate.exitCode, validate.stderr).toBe(0);
    const plan = await sb.cli(['plan', '-c', file(), '--root', sb.root, '--detailed-exitcode']);
    expect([0, 2], plan.stderr + plan.stdout).toContain(plan.exitCode);
    const json = await sb.cli(['plan', '-c', file(), '--root', sb.root, '--json']);
    expect(json.exitCode, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { blocked: boolean }).blocked).toBe(false);
    return changesOf(json.stdout);
  }

  it('a new computer and a new user: both added, every other byte and comment kept', async () => {
    await setUp('iMac');
    await sb.mountDrive('Archive 2TB');
    await makeHome(sb.root, 'sam');
    await makeDeviceBackup(path.join(macBackupFolder(sb.root, 'sam'), udid(7)), 7, 8);

    const r = await sb.cli(['init', '--add-machine', dir, '--root', sb.root, '--user', 'sam']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Added machine imac and user sam to');
    const text = await fs.readFile(file(), 'utf8');
    const added = addedLines(HAND_KEPT, text);
    expect(added).toContain('  sam:');
    expect(added).toContain('    mobilesync: { drive: archive, path: MobileSync/sam }');
    expect(added).toContain('  imac:');
    expect(added).toContain('    hostname: iMac   # this computer\'s name, as it reports it');
    // The new user goes after alex's own comments, before the blank line and the machines comment;
    // the new machine after mini's last comment, before the comment at the end.
    expect(text).toContain('  # more people below, some day\n  sam:\n    # iPhone and iPad backups');
    expect(text).toMatch(/ {4}# end of mini\n {2}# Added by `provision init --add-machine` for sam\.\n {2}imac:\n/);
    expect(text.endsWith('    users: [sam]\n# trailing words\n')).toBe(true);
    expect(parse(text)).toMatchObject({
      users: { alex: {}, sam: { mobilesync: { drive: 'archive', path: 'MobileSync/sam' } } },
      machines: { mini: {}, imac: { hostname: 'iMac', platform: 'macos', users: ['sam'] } },
    });

    // plan finds this computer by its name, with no --machine.
    const changes = await validateAndPlan();
    expect(changes.filter((c) => c.action !== 'none').map((c) => [c.id, c.action])).toEqual([['sam/mobilesync', 'relocate']]);
  });

  it('a user already declared: only the machine is added, under --machine, and the users section is untouched', async () => {
    await setUp('MacBook Air');
    await sb.mountDrive('Archive 2TB');
    await makeHome(sb.root, 'alex');

    const r = await sb.cli(['init', '--add-machine', '-c', file(), '--root', sb.root, '--user', 'alex', '--machine', 'air']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('alex: already declared');
    const text = await fs.readFile(file(), 'utf8');
    const added = addedLines(HAND_KEPT, text);
    expect(added.filter((l) => !l.trimStart().startsWith('#'))).toEqual(['  air:', "    hostname: MacBook Air   # this computer's name, as it reports it", '    platform: macos', '    users: [alex]']);
    const changes = await validateAndPlan();
    expect(changes.filter((c) => c.action !== 'none').map((c) => [c.id, c.action])).toEqual([['alex/mobilesync', 'create']]);
  });

  it('a file saved on Windows (byte-order mark, CRLF) keeps both, and the new lines use CRLF too', async () => {
    const windowsText = `\uFEFF${HAND_KEPT.replace(/\n/g, '\r\n')}`;
    await setUp('iMac', windowsText);
    await sb.mountDrive('Archive 2TB');
    await makeHome(sb.root, 'alex');
    const r = await sb.cli(['init', '--add-machine', dir, '--root', sb.root, '--user', 'alex']);
    expect(r.exitCode, r.stderr).toBe(0);
    const bytes = await fs.readFile(file());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const text = bytes.toString('utf8').slice(1);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    addedLines(HAND_KEPT, text.replace(/\r\n/g, '\n'));
    await validateAndPlan();
  });

  it('a computer already declared: refused, file byte for byte unchanged', async () => {
    await setUp('mini.local');
    await makeHome(sb.root, 'alex');
    const r = await sb.cli(['init', '--add-machine', dir, '--root', sb.root, '--user', 'alex']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('already declared');
    expect(r.stderr).toMatch(/backups\.yaml:17:\d+: /);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
    expect(await fs.readFile(file(), 'utf8')).toBe(HAND_KEPT);
    expect(await fs.readdir(dir)).toEqual(['backups.yaml']);
  });

  it('an invalid declaration is not extended: the same problems as validate, nothing written', async () => {
    const broken = HAND_KEPT.replace('users: [alex]', 'users: [alex, kim]');
    await setUp('iMac', broken);
    await makeHome(sb.root, 'alex');
    const r = await sb.cli(['init', '--add-machine', dir, '--root', sb.root, '--user', 'alex']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/backups\.yaml:\d+:\d+: .*kim/);
    expect(await fs.readFile(file(), 'utf8')).toBe(broken);
  });
});
