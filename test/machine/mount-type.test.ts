import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProvisionError } from '../../src/errors.js';
import type { HostReads, RunResult } from '../../src/host/host.js';
import { macMountType, parseMountLine } from '../../src/macos/mount-type.js';
import { createSimSandbox, type SimSandbox } from '../sim/run-sim.js';
import { createExecHost } from './exec-host.js';
import { simEnv } from './sim-env.js';

// Lines of the shape macOS's mount(8) prints (docs/platform-facts.md cites the published samples).
const LISTING = [
  '/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)',
  'devfs on /dev (devfs, local, nobrowse)',
  '/dev/disk4s2 on /Volumes/My Disk (hfs, local, nodev, nosuid, read-only)',
  '//anna@nas._smb._tcp.local/Photos on /Volumes/Photos (smbfs, nodev, nosuid, mounted by anna)',
  '//inglor@vault.lan/volatile on /Users/inglor/Mountpoints/volatile (vault.lan) (smbfs, nodev, nosuid, mounted by inglor)',
  'nas:/export/backups on /Volumes/backups (nfs, nodev, nosuid)',
  'map auto_home on /System/Volumes/Data/home (autofs, automounted, nobrowse)',
  '',
].join('\n');

function cannedHost(result: RunResult | Error): HostReads {
  return {
    hasCommand: async () => true,
    query: async (command: string, args: readonly string[]) => {
      expect([command, ...args]).toEqual(['mount']);
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as HostReads;
}

describe('parseMountLine', () => {
  it('splits device, mount point (spaces and parentheses kept), type and options', () => {
    expect(parseMountLine('//anna@nas._smb._tcp.local/Photos on /Volumes/Photos (smbfs, nodev, nosuid, mounted by anna)')).toEqual({
      device: '//anna@nas._smb._tcp.local/Photos',
      mountPoint: '/Volumes/Photos',
      type: 'smbfs',
      options: ['nodev', 'nosuid', 'mounted by anna'],
    });
    expect(parseMountLine('/dev/disk4s2 on /Volumes/My Disk (hfs, local)')?.mountPoint).toBe('/Volumes/My Disk');
    expect(parseMountLine('//i@v/x on /Users/i/volatile (vault.lan) (smbfs, nodev)')?.mountPoint).toBe('/Users/i/volatile (vault.lan)');
    expect(parseMountLine('/dev/x on / (apfs)')).toMatchObject({ type: 'apfs', options: [] });
  });

  it('ignores lines that are not mounts', () => {
    for (const line of ['', 'garbage', 'x on y', 'x on /y ()', '/dev/sda1 on /mnt type ext4 (rw,relatime)'.replace(' (', '(')]) {
      expect(parseMountLine(line), line).toBeUndefined();
    }
  });
});

describe('macMountType', () => {
  it('names the type of exactly that mount point (a trailing slash ignored)', async () => {
    const host = cannedHost({ exitCode: 0, stdout: LISTING, stderr: '' });
    expect(await macMountType(host, '/Volumes/Photos')).toBe('smbfs');
    expect(await macMountType(host, '/Volumes/backups/')).toBe('nfs');
    expect(await macMountType(host, '/Volumes/My Disk')).toBe('hfs');
    expect(await macMountType(host, '/Volumes/Photos/inside')).toBeUndefined();
    expect(await macMountType(host, '/Volumes/Nothing')).toBeUndefined();
  });

  it('a failing mount is COMMAND_FAILED, not a crash', async () => {
    for (const r of [{ exitCode: 1, stdout: '', stderr: 'mount: boom' }, new Error('spawn EACCES')]) {
      const e = await macMountType(cannedHost(r), '/x').catch((x: unknown) => x);
      expect(isProvisionError(e) ? e.code : e).toBe('COMMAND_FAILED');
    }
  });

  describe('against the mount simulator', () => {
    let sb: SimSandbox;
    beforeEach(async () => {
      sb = await createSimSandbox();
    });
    afterEach(async () => {
      await sb.remove();
    });

    it('lists the diskutil volumes and the network mounts of the state', async () => {
      await sb.writeState({
        diskutil: { volumes: { '/Volumes/Archive': { FilesystemType: 'apfs' } } },
        mount: { mounts: [{ device: '//anna@nas._smb._tcp.local/Photos', mountPoint: '/Volumes/Photos', type: 'smbfs', options: ['nodev', 'nosuid', 'mounted by anna'] }] },
      });
      const host = createExecHost(simEnv(sb.statePath));
      expect(await macMountType(host, '/Volumes/Photos')).toBe('smbfs');
      expect(await macMountType(host, '/Volumes/Archive')).toBe('apfs');
      expect(await macMountType(host, '/')).toBeUndefined();
    });
  });
});
