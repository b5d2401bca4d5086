import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { writeHousehold } from './household.js';
import { changesOf } from '../helpers/plan-json.js';

const HOUSEHOLD = `version: 1
drives:
  archive: { volume: Archive 2TB }
users:
  alex: {}
  sam: {}
machines:
  imac:
    hostname: iMac
    users: [alex, sam]
    shares:
      - { name: TimeMachine, drive: archive, path: TimeMachine, timemachine: { quota: 1TB }, users: [sam] }
      - { name: Family, drive: archive, path: Shared/Family, users: [alex, sam] }
`;

interface SharingState {
  shares: { name: string; path: string; shared: boolean; guest: boolean; attributes?: Record<string, string> }[];
}

describe('shared folders on a Mac host end to end (sharing and dscl simulators), under --root', () => {
  let sb: Sandbox;
  let config: string;
  const run = (...args: string[]) => sb.cli([...args, '-c', config, '--root', sb.root, '--machine', 'imac']);
  const sharing = async (): Promise<SharingState> =>
    (JSON.parse(await fs.readFile(sb.simState, 'utf8')) as { sharing?: SharingState }).sharing ?? { shares: [] };

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root, HOUSEHOLD);
    for (const u of ['alex', 'sam']) await fs.mkdir(path.join(sb.root, 'Users', u), { recursive: true });
    await sb.setSimState({ diskutil: sb.simVolumes({ 'Archive 2TB': 'apfs' }), sharing: { shares: [] } });
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('creates the folders, shares them over SMB without guests, offers one to Time Machine with its quota; the second apply changes nothing', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const plan = await run('plan', '--detailed-exitcode');
    expect(plan.exitCode, plan.stderr + plan.stdout).toBe(2);
    expect(plan.stdout).toContain('+ Shared folders (File Sharing)');
    const apply = await run('apply', '--yes');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    const vol = path.join(sb.root, 'Volumes', 'Archive 2TB');
    const state = await sharing();
    expect(state.shares.map((s) => [s.name, s.path, s.shared, s.guest])).toEqual([
      ['TimeMachine', path.join(vol, 'TimeMachine'), true, false],
      ['Family', path.join(vol, 'Shared', 'Family'), true, false],
    ]);
    expect(state.shares[0]?.attributes).toMatchObject({ 'dsAttrTypeNative:timeMachineBackup': '1', 'dsAttrTypeNative:backupQuotaSize': '1000000000000' });
    // One user's share is that user's folder; a share for several is sticky and open to each.
    // (owned by sam's home's owner: root in this sandbox, where other uids are not mapped)
    expect((await fs.stat(path.join(drive, 'TimeMachine'))).mode & 0o7777).toBe(0o700);
    expect((await fs.stat(path.join(drive, 'Shared', 'Family'))).mode & 0o7777).toBe(0o1777);
    const again = await run('plan', '--detailed-exitcode');
    expect(again.exitCode, again.stdout).toBe(0);
  });

  it('a share name already used for another folder is refused, nothing touched', async () => {
    await sb.mountDrive('Archive 2TB');
    await fs.mkdir(path.join(sb.root, 'Elsewhere'));
    await sb.setSimState({ sharing: { shares: [{ name: 'TimeMachine', path: path.join(sb.root, 'Elsewhere'), shared: true, guest: false, readOnly: false }] } });
    const [c] = changesOf((await run('plan', '--json')).stdout);
    expect(c?.blockers.map((b) => b.code)).toEqual(['SHARE_NAME_TAKEN']);
    expect((await run('apply', '--yes')).exitCode).toBe(1);
    expect((await sharing()).shares).toHaveLength(1);
  });

  it('a share turned to guests or off SMB is put back with sharing -e', async () => {
    await sb.mountDrive('Archive 2TB');
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    const state = await sharing();
    if (state.shares[1] !== undefined) state.shares[1].guest = true;
    await sb.setSimState({ sharing: state });
    const [c] = changesOf((await run('plan', '--json')).stdout);
    expect(c?.steps.map((s) => s.op)).toEqual(['mac-share-edit']);
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    expect((await sharing()).shares[1]?.guest).toBe(false);
    expect((await run('apply', '--yes')).stdout).toContain('No changes.');
  });

  it('a shared folder whose Time Machine flag went missing gets it back', async () => {
    await sb.mountDrive('Archive 2TB');
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    const state = await sharing();
    delete state.shares[0]?.attributes?.['dsAttrTypeNative:timeMachineBackup'];
    await sb.setSimState({ sharing: state });
    const [c] = changesOf((await run('plan', '--json')).stdout);
    expect(c?.steps).toEqual([{ op: 'mac-share-timemachine', name: 'TimeMachine', quotaBytes: 1e12 }]);
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    expect((await sharing()).shares[0]?.attributes?.['dsAttrTypeNative:timeMachineBackup']).toBe('1');
  });
});
