import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimSandbox, type SimSandbox } from './run-sim.js';

describe('sim mount', () => {
  let sb: SimSandbox;
  beforeEach(async () => {
    sb = await createSimSandbox();
  });
  afterEach(async () => {
    await sb.remove();
  });

  it('lists the boot volume by default, as mount(8) prints it', async () => {
    const r = await sb.run('mount', []);
    expect(r).toEqual({ exitCode: 0, stdout: '/dev/disk4s1 on / (apfs, local, read-only)\n', stderr: '' });
  });

  it('lists diskutil volumes (noowners when ownership is ignored), then the network mounts', async () => {
    await sb.writeState({
      diskutil: {
        volumes: {
          '/Volumes/Archive 2TB': { DeviceIdentifier: 'disk5s1' },
          '/Volumes/Dev': { DeviceIdentifier: 'disk6s1', GlobalPermissionsEnabled: true },
        },
      },
      mount: { mounts: [{ device: '//anna@nas/Photos', mountPoint: '/Volumes/Photos/', type: 'smbfs', options: ['nodev', 'nosuid', 'mounted by anna'] }] },
    });
    const r = await sb.run('mount', []);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      [
        '/dev/disk5s1 on /Volumes/Archive 2TB (apfs, local, nodev, nosuid, noowners)',
        '/dev/disk6s1 on /Volumes/Dev (apfs, local, nodev, nosuid)',
        '//anna@nas/Photos on /Volumes/Photos (smbfs, nodev, nosuid, mounted by anna)',
        '',
      ].join('\n'),
    );
  });

  it('mounts nothing: any argument is a usage error (exit 1)', async () => {
    const r = await sb.run('mount', ['-t', 'tmpfs', 'tmpfs', '/x']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^usage: mount/);
  });

  it('exits 70 (simulator fault) on a malformed entry', async () => {
    await sb.writeState({ mount: { mounts: [{ device: 'x', type: 'smbfs' }] } });
    expect((await sb.run('mount', [])).exitCode).toBe(70);
  });
});
