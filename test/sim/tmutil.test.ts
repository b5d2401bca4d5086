import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import plist from 'plist';
import type { PlistObject } from 'plist';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimSandbox, type SimResult, type SimSandbox } from './run-sim.js';

const ROOT = { PROVISION_SIM_UID: '0' };
const USER = { PROVISION_SIM_UID: '501' };

const COULD_NOT_SET = 'The backup destination could not be set.\n';
const FDA_SETDESTINATION =
  'tmutil: setdestination requires Full Disk Access privileges.\n' +
  'To allow this operation, select Full Disk Access in the Privacy tab of the Security & Privacy preference pane, and add Terminal to the list of applications which are allowed Full Disk Access.\n';

/** The IDs the simulator derives (documented in sim/README.md), recomputed here. */
function simId(key: string): string {
  const h = crypto.createHash('sha1').update(`provision-sim-tmutil:${key}`).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const LOCAL = {
  ID: '12345678-E876-4242-92A3-41DAF53EFE4E',
  Name: 'Backup_Drive',
  Kind: 'Local',
  MountPoint: '/Volumes/Backup_Drive',
};
const NETWORK = {
  ID: '530BA50F-A553-46C3-A625-70DBABC72C9E',
  Name: 'timemachine',
  Kind: 'Network',
  URL: 'smb://smbuser@tm._smb._tcp.local./timemachine',
  QuotaGB: 380,
};

/** platform-facts.md's destinationinfo sample, byte for byte. */
const FACTS_SAMPLE = [
  '====================================================',
  'Name          : Backup_Drive',
  'Kind          : Local',
  'Mount Point   : /Volumes/Backup_Drive',
  'ID            : 12345678-E876-4242-92A3-41DAF53EFE4E',
  '====================================================',
  'Name          : timemachine',
  'Kind          : Network',
  'URL           : smb://smbuser@tm._smb._tcp.local./timemachine',
  'ID            : 530BA50F-A553-46C3-A625-70DBABC72C9E',
  'Quota         : 380 GB',
  '',
].join('\n');

const VOLUMES = {
  '/Volumes/Backup_Drive': { VolumeName: 'Backup_Drive', FilesystemType: 'apfs' },
  '/Volumes/Old HFS': { VolumeName: 'Old HFS', FilesystemType: 'hfs' },
  '/Volumes/STICK': { VolumeName: 'STICK', FilesystemType: 'msdos' },
  '/Volumes/Locked': { VolumeName: 'Locked', FilesystemType: 'apfs', WritableVolume: false },
};

function parseDestinations(xml: string): PlistObject[] {
  const top = plist.parse(xml) as PlistObject;
  expect(Object.keys(top)).toEqual(['Destinations']);
  return top.Destinations as PlistObject[];
}

describe('sim tmutil', () => {
  let sb: SimSandbox;
  beforeEach(async () => {
    sb = await createSimSandbox();
  });
  afterEach(async () => {
    await sb.remove();
  });

  async function world(tmutil: Record<string, unknown>, volumes: Record<string, unknown> = VOLUMES): Promise<void> {
    await sb.writeState({ diskutil: { volumes }, tmutil });
  }

  async function destinations(): Promise<unknown> {
    return ((await sb.readState()) as { tmutil: { destinations: unknown } }).tmutil.destinations;
  }

  const info = (): Promise<SimResult> => sb.run('tmutil', ['destinationinfo']);

  describe('destinationinfo', () => {
    it('reproduces the facts sample byte for byte', async () => {
      await world({ destinations: [LOCAL, NETWORK] });
      expect(await info()).toEqual({ exitCode: 0, stdout: FACTS_SAMPLE, stderr: '' });
    });

    it('prints the same destinations as a plist with -X', async () => {
      await world({ destinations: [LOCAL, NETWORK] });
      const r = await sb.run('tmutil', ['destinationinfo', '-X']);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC')).toBe(true);
      expect(parseDestinations(r.stdout)).toEqual([
        { ID: LOCAL.ID, Kind: 'Local', Name: 'Backup_Drive', MountPoint: '/Volumes/Backup_Drive', LastDestination: 1 },
        { ID: NETWORK.ID, Kind: 'Network', Name: 'timemachine', URL: NETWORK.URL },
      ]);
    });

    it('shows a local mount point only while diskutil knows the volume', async () => {
      await world({ destinations: [LOCAL, NETWORK] }, {});
      const r = await info();
      expect(r.stdout).not.toContain('Mount Point');
      expect(r.stdout).toBe(FACTS_SAMPLE.replace('Mount Point   : /Volumes/Backup_Drive\n', ''));
      const x = parseDestinations((await sb.run('tmutil', ['destinationinfo', '-X'])).stdout);
      expect(x[0]).not.toHaveProperty('MountPoint');
    });

    it('shows a network destination mount point when the state gives one', async () => {
      const mounted = { ...NETWORK, MountPoint: '/Volumes/.timemachine/tm/530BA50F/timemachine' };
      await world({ destinations: [mounted] }, {});
      expect((await info()).stdout).toContain('Mount Point   : /Volumes/.timemachine/tm/530BA50F/timemachine\nID');
      const [d] = parseDestinations((await sb.run('tmutil', ['destinationinfo', '-X'])).stdout);
      expect(d?.MountPoint).toBe(mounted.MountPoint);
    });

    it('says none are configured (no state file, or an empty list), exit 0', async () => {
      expect(await info()).toEqual({ exitCode: 0, stdout: 'tmutil: No destinations configured.\n', stderr: '' });
      await world({ destinations: [] });
      expect(await info()).toEqual({ exitCode: 0, stdout: 'tmutil: No destinations configured.\n', stderr: '' });
      const x = await sb.run('tmutil', ['destinationinfo', '-X']);
      expect(x.exitCode).toBe(0);
      expect(x.stdout).toContain('<array/>');
      expect(parseDestinations(x.stdout)).toEqual([]);
    });

    it('needs neither root nor Full Disk Access', async () => {
      await world({ destinations: [LOCAL], fullDiskAccess: false });
      const r = await sb.run('tmutil', ['destinationinfo'], { env: USER });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('Name          : Backup_Drive');
    });
  });

  describe('setdestination', () => {
    it('sets an APFS volume as the only destination', async () => {
      await world({ destinations: [NETWORK] });
      const r = await sb.run('tmutil', ['setdestination', '/Volumes/Backup_Drive/'], { env: ROOT });
      expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      const id = simId('/Volumes/Backup_Drive');
      expect(await destinations()).toEqual([{ ID: id, Name: 'Backup_Drive', Kind: 'Local', MountPoint: '/Volumes/Backup_Drive' }]);
      expect((await info()).stdout).toBe(
        [
          '='.repeat(52),
          'Name          : Backup_Drive',
          'Kind          : Local',
          'Mount Point   : /Volumes/Backup_Drive',
          `ID            : ${id}`,
          '',
        ].join('\n'),
      );
    });

    it('accepts a Journaled HFS+ volume and names it by its volume name', async () => {
      await world({ destinations: [] });
      expect((await sb.run('tmutil', ['setdestination', '/Volumes/Old HFS'], { env: ROOT })).exitCode).toBe(0);
      expect(await destinations()).toEqual([{ ID: simId('/Volumes/Old HFS'), Name: 'Old HFS', Kind: 'Local', MountPoint: '/Volumes/Old HFS' }]);
    });

    it('refuses an MS-DOS volume with the verified text, exit 1, nothing changed', async () => {
      await world({ destinations: [LOCAL] });
      const before = await fs.readFile(sb.statePath, 'utf8');
      const r = await sb.run('tmutil', ['setdestination', '/Volumes/STICK'], { env: ROOT });
      expect(r).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `/Volumes/STICK: Incompatible file system type: msdos (error 45)\n${COULD_NOT_SET}`,
      });
      expect(await fs.readFile(sb.statePath, 'utf8')).toBe(before);
    });

    it('refuses a path diskutil does not know, and a read-only volume', async () => {
      await world({ destinations: [] });
      const missing = await sb.run('tmutil', ['setdestination', '/Volumes/Nowhere'], { env: ROOT });
      expect(missing.exitCode).toBe(1);
      expect(missing.stderr).toBe(`/Volumes/Nowhere: No mounted volume at this path.\n${COULD_NOT_SET}`);
      const inside = await sb.run('tmutil', ['setdestination', '/Volumes/Backup_Drive/sub'], { env: ROOT });
      expect(inside.exitCode).toBe(1);
      const locked = await sb.run('tmutil', ['setdestination', '/Volumes/Locked'], { env: ROOT });
      expect(locked).toEqual({ exitCode: 1, stdout: '', stderr: `/Volumes/Locked: The volume is read-only.\n${COULD_NOT_SET}` });
      expect(await destinations()).toEqual([]);
    });

    it('sets a network share with -p, reading the password from stdin', async () => {
      await world({ destinations: [] });
      const r = await sb.run('tmutil', ['setdestination', '-p', 'smb://alex@nas.local/Time%20Machine'], {
        env: ROOT,
        input: 'hunter2-secret\n',
      });
      expect(r).toEqual({ exitCode: 0, stdout: '', stderr: 'Destination password: \n' });
      const url = 'smb://alex@nas.local/Time%20Machine';
      expect(await destinations()).toEqual([{ ID: simId(url), Name: 'Time Machine', Kind: 'Network', URL: url }]);
      expect((await info()).stdout).toBe(
        [
          '='.repeat(52),
          'Name          : Time Machine',
          'Kind          : Network',
          `URL           : ${url}`,
          `ID            : ${simId(url)}`,
          '',
        ].join('\n'),
      );
    });

    it('fails -p when stdin gives no password', async () => {
      await world({ destinations: [] });
      for (const input of ['', '\n']) {
        const r = await sb.run('tmutil', ['setdestination', '-p', 'smb://alex@nas.local/tm'], { env: ROOT, input });
        expect(r.exitCode).toBe(1);
        expect(r.stderr).toBe(`Destination password: \n${COULD_NOT_SET}`);
      }
      const closed = await sb.run('tmutil', ['setdestination', '-p', 'smb://alex@nas.local/tm'], { env: ROOT });
      expect(closed.exitCode).toBe(1);
      expect(await destinations()).toEqual([]);
    });

    it('accepts a URL without password when the keychain holds one for user@host', async () => {
      await world({ destinations: [], keychain: ['smbuser@tm._smb._tcp.local.'] });
      const r = await sb.run('tmutil', ['setdestination', NETWORK.URL], { env: ROOT });
      expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect(await destinations()).toEqual([{ ID: simId(NETWORK.URL), Name: 'timemachine', Kind: 'Network', URL: NETWORK.URL }]);
    });

    it('refuses a URL without password, -p or keychain entry', async () => {
      await world({ destinations: [LOCAL], keychain: ['other@tm._smb._tcp.local.'] });
      const before = await fs.readFile(sb.statePath, 'utf8');
      const r = await sb.run('tmutil', ['setdestination', NETWORK.URL], { env: ROOT });
      expect(r).toEqual({ exitCode: 1, stdout: '', stderr: COULD_NOT_SET });
      expect(await fs.readFile(sb.statePath, 'utf8')).toBe(before);
    });

    it('accepts a password in the URL, stores the URL without it and remembers user@host', async () => {
      await world({ destinations: [] });
      const r = await sb.run('tmutil', ['setdestination', 'smb://alex:pa55word@nas.local/tm'], { env: ROOT });
      expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      const state = (await sb.readState()) as { tmutil: { destinations: unknown; keychain: unknown } };
      expect(state.tmutil.destinations).toEqual([{ ID: simId('smb://alex@nas.local/tm'), Name: 'tm', Kind: 'Network', URL: 'smb://alex@nas.local/tm' }]);
      expect(state.tmutil.keychain).toEqual(['alex@nas.local']);
      // The remembered account now lets the same share be set again without a password.
      expect((await sb.run('tmutil', ['setdestination', 'smb://alex@nas.local/tm'], { env: ROOT })).exitCode).toBe(0);
    });

    it('accepts an AFP share (a Time Capsule) and lists it with its afp:// URL', async () => {
      await world({ destinations: [] });
      const r = await sb.run('tmutil', ['setdestination', 'afp://alex:pw@Time-Capsule.local/Data'], { env: ROOT });
      expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      const state = (await sb.readState()) as { tmutil: { destinations: unknown } };
      expect(state.tmutil.destinations).toEqual([{ ID: simId('afp://alex@Time-Capsule.local/Data'), Name: 'Data', Kind: 'Network', URL: 'afp://alex@Time-Capsule.local/Data' }]);
      expect((await sb.run('tmutil', ['destinationinfo'], { env: ROOT })).stdout).toContain('URL           : afp://alex@Time-Capsule.local/Data');
    });

    it.each(['ftp://alex@nas.local/tm', 'smb://nas.local/tm', 'smb://alex@nas.local', 'smb://alex@nas.local/a/b', 'Backup_Drive'])(
      'refuses a destination that is neither a mount point nor an smb:// or afp:// user@host/share: %s',
      async (arg) => {
        await world({ destinations: [], keychain: ['alex@nas.local'] });
        expect(await sb.run('tmutil', ['setdestination', arg], { env: ROOT })).toEqual({ exitCode: 1, stdout: '', stderr: COULD_NOT_SET });
      },
    );

    it('appends with -a and replaces without it', async () => {
      await world({ destinations: [NETWORK], keychain: ['alex@nas.local'] });
      expect((await sb.run('tmutil', ['setdestination', '-a', '/Volumes/Backup_Drive'], { env: ROOT })).exitCode).toBe(0);
      const local = { ID: simId('/Volumes/Backup_Drive'), Name: 'Backup_Drive', Kind: 'Local', MountPoint: '/Volumes/Backup_Drive' };
      expect(await destinations()).toEqual([NETWORK, local]);
      // -a and -p may be clustered.
      const r = await sb.run('tmutil', ['setdestination', '-ap', 'smb://alex@nas.local/tm'], { env: ROOT, input: 'pw\n' });
      expect(r.exitCode).toBe(0);
      const share = { ID: simId('smb://alex@nas.local/tm'), Name: 'tm', Kind: 'Network', URL: 'smb://alex@nas.local/tm' };
      expect(await destinations()).toEqual([NETWORK, local, share]);
      expect((await sb.run('tmutil', ['setdestination', '/Volumes/Old HFS'], { env: ROOT })).exitCode).toBe(0);
      expect(await destinations()).toEqual([{ ID: simId('/Volumes/Old HFS'), Name: 'Old HFS', Kind: 'Local', MountPoint: '/Volumes/Old HFS' }]);
    });

    it('does not add a destination twice; it keeps its entry (ID, quota)', async () => {
      await world({ destinations: [LOCAL, NETWORK], keychain: ['smbuser@tm._smb._tcp.local.'] });
      expect((await sb.run('tmutil', ['setdestination', '-a', NETWORK.URL], { env: ROOT })).exitCode).toBe(0);
      expect((await sb.run('tmutil', ['setdestination', '-a', '/Volumes/Backup_Drive'], { env: ROOT })).exitCode).toBe(0);
      expect(await destinations()).toEqual([LOCAL, NETWORK]);
      expect((await sb.run('tmutil', ['setdestination', NETWORK.URL], { env: ROOT })).exitCode).toBe(0);
      expect(await destinations()).toEqual([NETWORK]);
    });

    it('refuses a non-root caller, exit 1, nothing saved', async () => {
      const r = await sb.run('tmutil', ['setdestination', '/Volumes/Backup_Drive'], { env: USER });
      expect(r).toEqual({ exitCode: 1, stdout: '', stderr: 'tmutil: setdestination requires root privileges.\n' });
      await expect(fs.access(sb.statePath)).rejects.toThrow();
    });

    it('refuses without Full Disk Access with the verified text, exit 1', async () => {
      await world({ destinations: [], fullDiskAccess: false });
      const before = await fs.readFile(sb.statePath, 'utf8');
      const r = await sb.run('tmutil', ['setdestination', '/Volumes/Backup_Drive'], { env: ROOT });
      expect(r).toEqual({ exitCode: 1, stdout: '', stderr: FDA_SETDESTINATION });
      expect(await fs.readFile(sb.statePath, 'utf8')).toBe(before);
    });

    it('can fail silently: prints the failure, exits 0 and changes nothing', async () => {
      await world({ destinations: [NETWORK], setdestinationFailsSilently: true });
      const before = await fs.readFile(sb.statePath, 'utf8');
      const r = await sb.run('tmutil', ['setdestination', '/Volumes/Backup_Drive'], { env: ROOT });
      expect(r).toEqual({ exitCode: 0, stdout: '', stderr: COULD_NOT_SET });
      expect(await fs.readFile(sb.statePath, 'utf8')).toBe(before);
      // Only reading destinationinfo again shows it did not happen.
      expect((await info()).stdout).not.toContain('Backup_Drive');
      // Real refusals still exit 1 with the flag set.
      expect((await sb.run('tmutil', ['setdestination', '/Volumes/STICK'], { env: ROOT })).exitCode).toBe(1);
    });

    it('creates the state file from defaults on the first change', async () => {
      const r = await sb.run('tmutil', ['setdestination', 'smb://alex:pw@nas.local/tm'], { env: ROOT });
      expect(r.exitCode).toBe(0);
      expect(await sb.readState()).toEqual({
        tmutil: {
          destinations: [{ ID: simId('smb://alex@nas.local/tm'), Name: 'tm', Kind: 'Network', URL: 'smb://alex@nas.local/tm' }],
          keychain: ['alex@nas.local'],
        },
      });
      expect(await fs.readdir(sb.dir)).toEqual(['state.json']);
    });
  });

  it('never shows or stores a password', async () => {
    const secrets = ['Pw-In-Url-7781', 'Pw-Typed-6620', 'Pw-Refused-5512'];
    await world({ destinations: [] });
    const outputs: SimResult[] = [];
    outputs.push(await sb.run('tmutil', ['setdestination', `smb://alex:${secrets[0]}@nas.local/tm`], { env: ROOT }));
    outputs.push(await sb.run('tmutil', ['setdestination', '-a', '-p', 'smb://bob@nas.local/bob'], { env: ROOT, input: `${secrets[1]}\n` }));
    outputs.push(await sb.run('tmutil', ['setdestination', '-a', `ftp://carol:${secrets[2]}@nas.local/c`], { env: ROOT }));
    outputs.push(await sb.run('tmutil', ['setdestination', '-a', `smb://carol:${secrets[2]}@nas.local/c/d`], { env: ROOT }));
    outputs.push(await info());
    outputs.push(await sb.run('tmutil', ['destinationinfo', '-X']));
    expect(outputs.map((o) => o.exitCode)).toEqual([0, 0, 1, 1, 0, 0]);
    const text = (await fs.readFile(sb.statePath, 'utf8')) + outputs.map((o) => o.stdout + o.stderr).join('');
    for (const s of secrets) expect(text).not.toContain(s);
    expect(text).toContain('smb://alex@nas.local/tm');
    expect(text).toContain('smb://bob@nas.local/bob');
  });

  describe('removedestination', () => {
    it('removes a destination by ID, in any letter case', async () => {
      await world({ destinations: [LOCAL, NETWORK] });
      const r = await sb.run('tmutil', ['removedestination', NETWORK.ID.toLowerCase()], { env: ROOT });
      expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect(await destinations()).toEqual([LOCAL]);
      expect((await sb.run('tmutil', ['removedestination', LOCAL.ID], { env: ROOT })).exitCode).toBe(0);
      expect(await info()).toEqual({ exitCode: 0, stdout: 'tmutil: No destinations configured.\n', stderr: '' });
    });

    it('refuses an unknown ID, exit 1', async () => {
      await world({ destinations: [LOCAL] });
      const r = await sb.run('tmutil', ['removedestination', 'AAAAAAAA-0000-0000-0000-000000000000'], { env: ROOT });
      expect(r).toEqual({ exitCode: 1, stdout: '', stderr: 'tmutil: No destination found with ID AAAAAAAA-0000-0000-0000-000000000000.\n' });
      expect(await destinations()).toEqual([LOCAL]);
    });

    it('needs root and Full Disk Access', async () => {
      await world({ destinations: [LOCAL] });
      const user = await sb.run('tmutil', ['removedestination', LOCAL.ID], { env: USER });
      expect(user).toEqual({ exitCode: 1, stdout: '', stderr: 'tmutil: removedestination requires root privileges.\n' });
      await world({ destinations: [LOCAL], fullDiskAccess: false });
      const fda = await sb.run('tmutil', ['removedestination', LOCAL.ID], { env: ROOT });
      expect(fda.exitCode).toBe(1);
      expect(fda.stderr).toMatch(/^tmutil: removedestination requires Full Disk Access privileges\.\n/);
      expect(await destinations()).toEqual([LOCAL]);
    });
  });

  describe('setquota', () => {
    it('sets a quota in GB, shown as "Quota : <n> GB"', async () => {
      await world({ destinations: [LOCAL, NETWORK] });
      expect(await sb.run('tmutil', ['setquota', LOCAL.ID, '500'], { env: ROOT })).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect(await sb.run('tmutil', ['setquota', NETWORK.ID, '1024'], { env: ROOT })).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect(await destinations()).toEqual([
        { ...LOCAL, QuotaGB: 500 },
        { ...NETWORK, QuotaGB: 1024 },
      ]);
      const out = (await info()).stdout;
      expect(out).toContain(`ID            : ${LOCAL.ID}\nQuota         : 500 GB\n====`);
      expect(out.endsWith('Quota         : 1024 GB\n')).toBe(true);
    });

    it('does not know the verb before macOS 14 (usage, exit 1)', async () => {
      await world({ destinations: [LOCAL], macosVersion: '13.6.1' });
      const r = await sb.run('tmutil', ['setquota', LOCAL.ID, '500'], { env: ROOT });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/^Usage: tmutil/);
      expect(await destinations()).toEqual([LOCAL]);
      await world({ destinations: [LOCAL], macosVersion: '14.0' });
      expect((await sb.run('tmutil', ['setquota', LOCAL.ID, '500'], { env: ROOT })).exitCode).toBe(0);
    });

    it('refuses an unknown ID, a non-root caller and a missing Full Disk Access', async () => {
      await world({ destinations: [LOCAL] });
      const unknown = await sb.run('tmutil', ['setquota', 'AAAAAAAA-0000-0000-0000-000000000000', '5'], { env: ROOT });
      expect(unknown).toEqual({ exitCode: 1, stdout: '', stderr: 'tmutil: No destination found with ID AAAAAAAA-0000-0000-0000-000000000000.\n' });
      const user = await sb.run('tmutil', ['setquota', LOCAL.ID, '5'], { env: USER });
      expect(user).toEqual({ exitCode: 1, stdout: '', stderr: 'tmutil: setquota requires root privileges.\n' });
      await world({ destinations: [LOCAL], fullDiskAccess: false });
      expect((await sb.run('tmutil', ['setquota', LOCAL.ID, '5'], { env: ROOT })).stderr).toMatch(/^tmutil: setquota requires Full Disk Access privileges\./);
      expect(await destinations()).toEqual([LOCAL]);
    });
  });

  it.each([
    [[]],
    [['help']],
    [['status']],
    [['destinationinfo', '-x']],
    [['destinationinfo', '-X', 'extra']],
    [['setdestination']],
    [['setdestination', '-z', '/Volumes/Backup_Drive']],
    [['setdestination', '/Volumes/Backup_Drive', '/Volumes/Old HFS']],
    [['setdestination', '']],
    [['removedestination']],
    [['removedestination', 'a', 'b']],
    [['setquota', LOCAL.ID]],
    [['setquota', LOCAL.ID, '1.5']],
    [['setquota', LOCAL.ID, '0']],
    [['setquota', LOCAL.ID, '-3']],
  ])('prints usage on stderr and exits 1 for %j', async (args) => {
    await world({ destinations: [LOCAL] });
    const r = await sb.run('tmutil', args, { env: ROOT });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: tmutil <verb> <options>\n/);
    expect(await destinations()).toEqual([LOCAL]);
  });

  describe('simulator faults (exit 70)', () => {
    it.each([
      ['a corrupt state file', '{ not json'],
      ['destinations not an array', JSON.stringify({ tmutil: { destinations: {} } })],
      ['a destination without an ID', JSON.stringify({ tmutil: { destinations: [{ Name: 'x', Kind: 'Local' }] } })],
      ['a bad Kind', JSON.stringify({ tmutil: { destinations: [{ ...LOCAL, Kind: 'Cloud' }] } })],
      ['a fractional quota', JSON.stringify({ tmutil: { destinations: [{ ...NETWORK, QuotaGB: 1.5 }] } })],
      ['a password in a stored URL', JSON.stringify({ tmutil: { destinations: [{ ...NETWORK, URL: 'smb://u:p@h/s' }] } })],
      ['fullDiskAccess not a boolean', JSON.stringify({ tmutil: { destinations: [], fullDiskAccess: 'yes' } })],
      ['keychain not strings', JSON.stringify({ tmutil: { destinations: [], keychain: [1] } })],
      ['a bad macosVersion', JSON.stringify({ tmutil: { destinations: [], macosVersion: 'Sequoia' } })],
    ])('%s', async (_name, text) => {
      await fs.writeFile(sb.statePath, text);
      const r = await sb.run('tmutil', ['destinationinfo']);
      expect(r.exitCode).toBe(70);
      expect(r.stderr).toMatch(/^tmutil \(simulator fault\): /);
    });

    it('a change with no state file', async () => {
      const r = await sb.run('tmutil', ['setdestination', '/'], { env: { ...ROOT, PROVISION_SIM_STATE: '' } });
      // "/" is the default boot volume, read-only: refused before any save is attempted.
      expect(r.exitCode).toBe(1);
      const save = await sb.run('tmutil', ['setdestination', 'smb://a:pw@h/s'], { env: { ...ROOT, PROVISION_SIM_STATE: '' } });
      expect(save.exitCode).toBe(70);
    });

    it('a bad PROVISION_SIM_UID', async () => {
      const r = await sb.run('tmutil', ['setdestination', '/Volumes/Backup_Drive'], { env: { PROVISION_SIM_UID: 'root' } });
      expect(r.exitCode).toBe(70);
    });
  });
  describe('isexcluded', () => {
    it('reports an external volume as excluded until the user includes it, and the startup disk as included', async () => {
      await world({ destinations: [] });
      const r = await sb.run('tmutil', ['isexcluded', '/Volumes/Archive 2TB', '/Users/alex'], { env: USER });
      expect(r).toEqual({ exitCode: 0, stdout: '[Excluded]    /Volumes/Archive 2TB\n[Included]    /Users/alex\n', stderr: '' });
      await world({ destinations: [], includedVolumes: ['/Volumes/Archive 2TB'] });
      expect((await sb.run('tmutil', ['isexcluded', '/Volumes/Archive 2TB/Photos'], { env: USER })).stdout).toBe('[Included]    /Volumes/Archive 2TB/Photos\n');
    });

    it('always excludes a local destination volume, even one the user included', async () => {
      await world({ destinations: [LOCAL], includedVolumes: ['/Volumes/Backup_Drive'] });
      expect((await sb.run('tmutil', ['isexcluded', '/Volumes/Backup_Drive'], { env: USER })).stdout).toBe('[Excluded]    /Volumes/Backup_Drive\n');
    });

    it('refuses no item with the usage, and a bad includedVolumes as a fault', async () => {
      expect((await sb.run('tmutil', ['isexcluded'])).exitCode).toBe(1);
      await world({ includedVolumes: 'x' });
      expect((await sb.run('tmutil', ['isexcluded', '/'])).exitCode).toBe(70);
    });
  });
});
