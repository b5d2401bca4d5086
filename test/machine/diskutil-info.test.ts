import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diskutilInfo } from '../../src/macos/diskutil-info.js';
import { isProvisionError } from '../../src/errors.js';
import type { HostReads, RunResult } from '../../src/host/host.js';
import { createSimSandbox, type SimSandbox } from '../sim/run-sim.js';
import { createExecHost } from './exec-host.js';
import { bareEnv, simEnv } from './sim-env.js';

const BACKUP = {
  VolumeName: 'Backup',
  VolumeUUID: '12345678-E876-4242-92A3-41DAF53EFE4E',
  FilesystemType: 'apfs',
  FilesystemUserVisibleName: 'APFS',
  Internal: false,
  RemovableMediaOrExternalDevice: true,
  WritableVolume: true,
  TotalSize: 2_000_398_934_016,
  FreeSpace: 1_500_000_000_000,
};

describe('diskutilInfo against the diskutil simulator', () => {
  let sb: SimSandbox;
  beforeEach(async () => {
    sb = await createSimSandbox();
  });
  afterEach(async () => {
    await sb.remove();
  });

  it('reads a known volume into camelCase fields', async () => {
    await sb.writeState({ diskutil: { volumes: { '/Volumes/Backup': BACKUP } } });
    const info = await diskutilInfo(createExecHost(simEnv(sb.statePath)), '/Volumes/Backup');
    expect(info).toEqual({
      volumeName: 'Backup',
      volumeUuid: '12345678-E876-4242-92A3-41DAF53EFE4E',
      mountPoint: '/Volumes/Backup',
      filesystemType: 'apfs',
      filesystemUserVisibleName: 'APFS',
      filesystemName: 'APFS',
      internal: false,
      removableOrExternal: true,
      removableMedia: false,
      globalPermissionsEnabled: false,
      writable: true,
      totalBytes: 2_000_398_934_016,
      freeBytes: 1_500_000_000_000,
    });
  });

  it('reads removable media, a case-sensitive format and ownership as the simulator (and diskutil) print them', async () => {
    await sb.writeState({
      diskutil: {
        volumes: {
          '/Volumes/SD': { FilesystemType: 'msdos', RemovableMedia: true },
          '/Volumes/Dev': { FilesystemType: 'apfs', FilesystemName: 'Case-sensitive APFS', GlobalPermissionsEnabled: true },
        },
      },
    });
    const host = createExecHost(simEnv(sb.statePath));
    expect(await diskutilInfo(host, '/Volumes/SD')).toMatchObject({ removableMedia: true, removableOrExternal: true, filesystemName: 'MS-DOS FAT32', globalPermissionsEnabled: false });
    expect(await diskutilInfo(host, '/Volumes/Dev')).toMatchObject({ removableMedia: false, filesystemName: 'Case-sensitive APFS', globalPermissionsEnabled: true });
  });

  it('is undefined for a path that is not a mounted volume', async () => {
    await sb.writeState({ diskutil: { volumes: { '/Volumes/Backup': BACKUP } } });
    const host = createExecHost(simEnv(sb.statePath));
    expect(await diskutilInfo(host, '/Volumes/Other')).toBeUndefined();
    expect(await diskutilInfo(host, '/Volumes/Backup/inside')).toBeUndefined();
  });

  it('is undefined when diskutil is not on PATH', async () => {
    expect(await diskutilInfo(createExecHost(bareEnv(sb.dir)), '/Volumes/Backup')).toBeUndefined();
  });
});

/** A host whose diskutil prints exactly the given result. */
function cannedHost(result: RunResult | Error): HostReads {
  return {
    hasCommand: async () => true,
    query: async () => {
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as HostReads;
}

async function errorCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return isProvisionError(e) ? e.code : `not a ProvisionError: ${String(e)}`;
  }
}

const plistOf = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>${body}</dict>\n</plist>\n`;

describe('diskutilInfo on unusual output', () => {
  it('trusts the error plist even when the exit status is 0', async () => {
    const out = plistOf('<key>Error</key><true/><key>ErrorMessage</key><string>Could not find disk: /x</string>');
    expect(await diskutilInfo(cannedHost({ exitCode: 0, stdout: out, stderr: '' }), '/x')).toBeUndefined();
  });

  it('is undefined for the human "Could not find disk" on stderr', async () => {
    const r = { exitCode: 1, stdout: '', stderr: 'Could not find disk: /x\n' };
    expect(await diskutilInfo(cannedHost(r), '/x')).toBeUndefined();
  });

  it.each([
    ['not a plist', { exitCode: 0, stdout: 'garbage <<<', stderr: '' }],
    ['a plist array', { exitCode: 0, stdout: '<plist version="1.0"><array/></plist>', stderr: '' }],
    ['a missing key', { exitCode: 0, stdout: plistOf('<key>VolumeName</key><string>X</string>'), stderr: '' }],
    ['another error', { exitCode: 1, stdout: plistOf('<key>Error</key><true/><key>ErrorMessage</key><string>Busy</string>'), stderr: '' }],
    ['empty output', { exitCode: 1, stdout: '', stderr: 'diskutil: internal error\n' }],
  ])('reports %s as COMMAND_FAILED', async (_what, result) => {
    expect(await errorCode(diskutilInfo(cannedHost(result), '/x'))).toBe('COMMAND_FAILED');
  });

  it('leaves the optional keys undefined when an older diskutil omits them', async () => {
    const keys =
      '<key>VolumeName</key><string>X</string><key>MountPoint</key><string>/x</string><key>FilesystemType</key><string>hfs</string>' +
      '<key>Internal</key><false/><key>RemovableMediaOrExternalDevice</key><true/><key>WritableVolume</key><true/>' +
      '<key>TotalSize</key><integer>10</integer><key>FreeSpace</key><integer>5</integer>';
    const info = await diskutilInfo(cannedHost({ exitCode: 0, stdout: plistOf(keys), stderr: '' }), '/x');
    expect(info).toMatchObject({ filesystemName: undefined, removableMedia: undefined, globalPermissionsEnabled: undefined });
  });

  it('wraps a failure to run diskutil as COMMAND_FAILED', async () => {
    expect(await errorCode(diskutilInfo(cannedHost(new Error('spawn EACCES')), '/x'))).toBe('COMMAND_FAILED');
  });
});

describe('parsePlistXml', () => {
  it('rejects malformed XML without printing parser noise', async () => {
    const { parsePlistXml } = await import('../../src/macos/plist.js');
    const seen: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => seen.push(args);
    try {
      await expect(parsePlistXml('<plist version="1.0"><dict><key>A</key><string>x</dict></plist>')).rejects.toThrow();
      await expect(parsePlistXml('Could not find disk: /x')).rejects.toThrow();
    } finally {
      console.error = original;
    }
    expect(seen).toEqual([]);
  });

  it('parses a well-formed plist', async () => {
    const { parsePlistXml } = await import('../../src/macos/plist.js');
    expect(await parsePlistXml(plistOf('<key>A</key><integer>3</integer>'))).toEqual({ A: 3 });
  });
});
