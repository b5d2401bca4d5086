import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { writeHousehold } from './household.js';
import { changesOf } from '../helpers/plan-json.js';

const HOUSEHOLD = `version: 1
drives:
  archive:  { volume: Archive 2TB }
  stick:    { volume: Stick }
  nas-disk: { mount: /srv/backup }
users:
  alex: {}
  sam: {}
machines:
  imac:
    hostname: iMac
    users: [alex, sam]
    timemachine:
      destinations:
        - drive: archive
          quota: 800GB
    shares:
      - { name: TimeMachine, drive: archive, path: TimeMachine, timemachine: { quota: 1TB }, users: [sam] }
  air:
    hostname: MacBook Air
    timemachine:
      destinations:
        - share: imac/TimeMachine
        - share: nas/Backups
  mini:
    hostname: Mac mini
    timemachine:
      exclusive: true
      destinations: [{ drive: stick }]
  nas:
    hostname: nas
    platform: linux
    shares:
      - { name: Backups, drive: nas-disk, path: timemachine, timemachine: { quota: 2TB }, users: [alex, sam] }
`;

interface TmState {
  destinations: { ID: string; Name: string; Kind: string; URL?: string; MountPoint?: string; QuotaGB?: number }[];
}

describe('Time Machine on Mac clients end to end (tmutil simulator), under --root', () => {
  let sb: Sandbox;
  let config: string;
  const run = (machine: string, ...args: string[]) => sb.cli([...args, '-c', config, '--root', sb.root, '--machine', machine]);
  const tmState = async (): Promise<TmState> => {
    const state = JSON.parse(await fs.readFile(sb.simState, 'utf8')) as { tmutil?: TmState };
    return state.tmutil ?? { destinations: [] };
  };

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root, HOUSEHOLD);
    await sb.setSimState({
      diskutil: sb.simVolumes({ 'Archive 2TB': 'apfs', Stick: 'exfat' }),
      tmutil: { destinations: [], keychain: ['sam@iMac.local', 'alex@nas.local'] },
    });
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('a local drive with a quota: added, quota set, both confirmed; the second apply changes nothing', async () => {
    await sb.mountDrive('Archive 2TB');
    const plan = await run('imac', 'plan', '--detailed-exitcode');
    expect(plan.exitCode, plan.stderr + plan.stdout).toBe(2);
    expect(plan.stdout).toContain('+ Time Machine destinations');
    const apply = await run('imac', 'apply', '--yes');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    const tm = await tmState();
    expect(tm.destinations.map((d) => [d.Kind, d.MountPoint, d.QuotaGB])).toEqual([['Local', path.join(sb.root, 'Volumes', 'Archive 2TB'), 800]]);
    const again = await run('imac', 'plan', '--detailed-exitcode');
    expect(again.exitCode, again.stdout).toBe(0);
    expect((await run('imac', 'apply', '--yes')).stdout).toContain('No changes.');
  });

  it('two network destinations: smb URLs with the account and the host from the declaration, no password anywhere', async () => {
    const plan = await run('air', 'plan', '--json');
    const [c] = changesOf(plan.stdout);
    expect(c?.steps).toEqual([
      { op: 'tm-add-destination', target: 'smb://sam@iMac.local/TimeMachine', label: 'share imac/TimeMachine', append: false, prompt: false, match: { user: 'sam', host: 'iMac.local', share: 'TimeMachine', hosts: ['iMac'] } },
      { op: 'tm-add-destination', target: 'smb://alex@nas.local/Backups', label: 'share nas/Backups', append: true, prompt: false, match: { user: 'alex', host: 'nas.local', share: 'Backups', hosts: ['nas'] } },
    ]);
    expect(c?.warnings.map((w) => w.code)).toEqual(['TM_PASSWORD_FROM_KEYCHAIN']);
    // Where root finds it: the System keychain, with the command that asks for it (never on the command line).
    expect(c?.warnings[0]?.message).toContain("sudo security add-internet-password -a sam / alex -s HOST -r 'smb ' /Library/Keychains/System.keychain -w");
    const apply = await run('air', 'apply', '--yes');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect((await tmState()).destinations.map((d) => [d.Kind, d.URL])).toEqual([
      ['Network', 'smb://sam@iMac.local/TimeMachine'],
      ['Network', 'smb://alex@nas.local/Backups'],
    ]);
    expect((await run('air', 'plan', '--detailed-exitcode')).exitCode).toBe(0);
  });

  it('destinations not declared are left alone, and appended to (-a)', async () => {
    await sb.setSimState({
      tmutil: {
        destinations: [{ ID: '12345678-E876-4242-92A3-41DAF53EFE4E', Name: 'Old', Kind: 'Network', URL: 'smb://x@old.local/Old' }],
        keychain: ['sam@iMac.local', 'alex@nas.local', 'x@old.local'],
      },
    });
    expect((await run('air', 'apply', '--yes')).exitCode).toBe(0);
    expect((await tmState()).destinations.map((d) => d.Name)).toEqual(['Old', 'TimeMachine', 'Backups']);
  });

  it('exclusive: true removes the undeclared ones; a drive that is not APFS or Mac OS Extended is refused', async () => {
    await sb.mountDrive('Stick');
    await sb.setSimState({
      tmutil: { destinations: [{ ID: '12345678-E876-4242-92A3-41DAF53EFE4E', Name: 'Old', Kind: 'Network', URL: 'smb://x@old.local/Old' }] },
    });
    let [c] = changesOf((await run('mini', 'plan', '--json')).stdout);
    expect(c?.blockers.map((b) => b.code)).toEqual(['TM_DRIVE_FORMAT']);
    await sb.setSimState({ diskutil: sb.simVolumes({ Stick: 'hfs' }) });
    [c] = changesOf((await run('mini', 'plan', '--json')).stdout);
    expect(c?.steps.map((s) => s.op)).toEqual(['tm-remove-destination', 'tm-add-destination']);
    expect(c?.steps[1]).toMatchObject({ append: false });
    const apply = await run('mini', 'apply', '--yes');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect((await tmState()).destinations.map((d) => d.Name)).toEqual(['Stick']);
  });

  it('a share added in System Settings (stored under the Bonjour service name) is the declared one: nothing added twice, exclusive keeps it', async () => {
    // The iMac's ComputerName is "Anna’s iMac"; declared by its LocalHostName.
    config = await writeHousehold(
      sb.root,
      HOUSEHOLD.replace('    hostname: iMac\n', '    hostname: [Annas-iMac]\n').replace('        - share: imac/TimeMachine\n        - share: nas/Backups\n', '        - share: imac/TimeMachine\n      exclusive: true\n'),
    );
    const stored = { ID: '22345678-E876-4242-92A3-41DAF53EFE4E', Name: 'TimeMachine', Kind: 'Network', URL: 'smb://sam@Anna%E2%80%99s%20iMac._smb._tcp.local/TimeMachine' };
    await sb.setSimState({ tmutil: { destinations: [stored] } });
    const plan = await run('air', 'plan', '--detailed-exitcode');
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
    expect((await run('air', 'apply', '--yes')).exitCode).toBe(0);
    expect((await tmState()).destinations).toEqual([stored]);
  });

  it('setdestination failing with exit 0 is caught by reading destinationinfo again', async () => {
    await sb.mountDrive('Archive 2TB');
    await sb.setSimState({ tmutil: { destinations: [], setdestinationFailsSilently: true } });
    const apply = await run('imac', 'apply', '--yes');
    expect(apply.exitCode).toBe(1);
    expect(apply.stderr).toContain('reported success, but Time Machine does not show the change');
    expect((await tmState()).destinations).toEqual([]);
  });

  it('no Full Disk Access: recognised and explained', async () => {
    await sb.mountDrive('Archive 2TB');
    await sb.setSimState({ tmutil: { destinations: [], fullDiskAccess: false } });
    const apply = await run('imac', 'apply', '--yes');
    expect(apply.exitCode).toBe(1);
    expect(apply.stderr).toContain('tmutil needs Full Disk Access');
    expect(apply.stderr).toContain('Privacy & Security > Full Disk Access');
  });

  it('a share without a saved password: tmutil refuses, apply says what to do', async () => {
    await sb.setSimState({ tmutil: { destinations: [], keychain: [] } });
    const apply = await run('air', 'apply', '--yes');
    expect(apply.exitCode).toBe(1);
    expect(apply.stderr).toContain('The backup destination could not be set.');
    expect(apply.stderr + apply.stdout).not.toMatch(/smb:\/\/[^@\s]*:[^@\s]*@/);
  });
});
