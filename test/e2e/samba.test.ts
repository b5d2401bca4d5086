import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { writeHousehold } from './household.js';
import { changesOf } from '../helpers/plan-json.js';
import { renderProvisionConf } from '../../src/kinds/shares/samba/render-conf.js';
import { testparmSkipReason } from '../helpers/samba-server.js';

const skip = testparmSkipReason();

const NAS = `version: 1
drives:
  nas-disk: { mount: /srv/backup }
users:
  alex: {}
  sam: {}
machines:
  air:
    hostname: MacBook Air
    timemachine: { destinations: [{ share: nas/Backups }] }
  nas:
    hostname: nas
    platform: linux
    shares:
      - { name: Backups, drive: nas-disk, path: timemachine, timemachine: { quota: 2TB }, users: [alex, sam] }
      - { name: Family, drive: nas-disk, path: shared/family, users: [alex] }
`;

/** A Debian-like smb.conf with a share of the user's own, which provision must not touch. */
const SMB_CONF = `# This is the main Samba configuration file.
[global]
   workgroup = WORKGROUP
   server role = standalone server
   log file = /var/log/samba/log.%m
   map to guest = bad user

[homes]
   comment = Home Directories
   browseable = no
   read only = yes
`;

describe.skipIf(skip !== undefined)(`Samba shares on a Linux machine end to end (real testparm), under --root${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
  let sb: Sandbox;
  let config: string;
  const run = (...args: string[]) => sb.cli([...args, '-c', config, '--root', sb.root, '--machine', 'nas']);
  const smbConf = () => path.join(sb.root, 'etc', 'samba', 'smb.conf');
  const provisionConf = () => path.join(sb.root, 'etc', 'samba', 'provision.conf');

  beforeEach(async () => {
    sb = await Sandbox.create('nas');
    config = await writeHousehold(sb.root, NAS);
    await fs.mkdir(path.dirname(smbConf()), { recursive: true });
    await fs.writeFile(smbConf(), SMB_CONF);
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('writes provision.conf, includes it once from smb.conf (the rest byte for byte), creates the folders; the second apply changes nothing', async () => {
    const disk = await sb.mountAt('/srv/backup');
    const plan = await run('plan');
    expect(plan.exitCode, plan.stderr + plan.stdout).toBe(0);
    expect(plan.stdout).toContain('+ Shared folders (Samba)');
    expect(plan.stdout).toContain('sudo smbpasswd -a NAME');
    const apply = await run('apply', '--yes');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    const written = await fs.readFile(provisionConf(), 'utf8');
    expect(written).toBe(
      renderProvisionConf([
        { name: 'Backups', path: '/srv/backup/timemachine', validUsers: ['alex', 'sam'], timeMachine: true, maxSize: '1862G' },
        { name: 'Family', path: '/srv/backup/shared/family', validUsers: ['alex'], timeMachine: false },
      ]),
    );
    expect(written).toContain('fruit:time machine = yes');
    const smb = await fs.readFile(smbConf(), 'utf8');
    expect(smb.startsWith(SMB_CONF)).toBe(true);
    expect(smb.match(/^include = \/etc\/samba\/provision\.conf$/gm)).toHaveLength(1);
    const st = await fs.stat(path.join(disk, 'timemachine'));
    expect(st.mode & 0o7777).toBe(0o1777);
    expect((await fs.stat(path.join(disk, 'shared', 'family'))).isDirectory()).toBe(true);
    expect((await fs.readdir(path.join(sb.root, 'etc', 'samba'))).sort()).toEqual(['provision.conf', 'smb.conf']);

    const again = await run('plan', '--detailed-exitcode');
    expect(again.exitCode, again.stdout).toBe(0);
    const before = await fs.stat(provisionConf());
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    expect((await fs.stat(provisionConf())).mtimeMs).toBe(before.mtimeMs);
  });

  it('removing a share from the declaration removes it from provision.conf, never the data in it', async () => {
    const disk = await sb.mountAt('/srv/backup');
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    await fs.writeFile(path.join(disk, 'shared', 'family', 'photo.jpg'), 'data');
    await fs.writeFile(config, NAS.replace(/ {6}- \{ name: Family.*\n/, ''));
    const apply = await run('apply', '--yes');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(await fs.readFile(provisionConf(), 'utf8')).not.toContain('[Family]');
    expect(await fs.readFile(path.join(disk, 'shared', 'family', 'photo.jpg'), 'utf8')).toBe('data');
  });

  it('a configuration testparm rejects is never switched in', async () => {
    await sb.mountAt('/srv/backup');
    await fs.writeFile(smbConf(), `${SMB_CONF}\n[broken\n   path = /tmp\n`);
    const apply = await run('apply', '--yes');
    expect(apply.exitCode).toBe(1);
    expect(apply.stderr).toContain('does not pass testparm');
    await expect(fs.lstat(provisionConf())).rejects.toThrow();
    expect(await fs.readFile(smbConf(), 'utf8')).toBe(`${SMB_CONF}\n[broken\n   path = /tmp\n`);
    expect((await fs.readdir(path.join(sb.root, 'etc', 'samba'))).sort()).toEqual(['smb.conf']);
  });

  it('blocks when Samba is not installed or the disk is not mounted', async () => {
    let [c] = changesOf((await run('plan', '--json')).stdout);
    expect(c?.blockers.map((b) => b.code)).toEqual(['DRIVE_NOT_MOUNTED', 'DRIVE_NOT_MOUNTED']);
    await sb.mountAt('/srv/backup');
    await fs.rm(smbConf());
    [c] = changesOf((await run('plan', '--json')).stdout);
    expect(c?.blockers.map((b) => b.code)).toEqual(['SAMBA_MISSING']);
  });
});
