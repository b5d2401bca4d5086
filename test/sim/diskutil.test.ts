import fs from 'node:fs';
import plist from 'plist';
import type { PlistObject } from 'plist';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimSandbox, type SimSandbox } from './run-sim.js';

const PINNED = {
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

const KEYS = [
  'VolumeName',
  'VolumeUUID',
  'MountPoint',
  'FilesystemType',
  'FilesystemUserVisibleName',
  'Internal',
  'RemovableMediaOrExternalDevice',
  'WritableVolume',
  'TotalSize',
  'FreeSpace',
];

function parseDict(xml: string): PlistObject {
  return plist.parse(xml) as PlistObject;
}

describe('sim diskutil', () => {
  let sb: SimSandbox;
  beforeEach(async () => {
    sb = await createSimSandbox();
  });
  afterEach(async () => {
    await sb.remove();
  });

  it('prints a plist with every documented key for a known volume', async () => {
    await sb.writeState({ diskutil: { volumes: { '/Volumes/Backup': PINNED } } });
    const r = await sb.run('diskutil', ['info', '-plist', '/Volumes/Backup']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC')).toBe(true);
    expect(r.stdout.endsWith('</dict>\n</plist>\n')).toBe(true);
    const d = parseDict(r.stdout);
    for (const k of KEYS) expect(d).toHaveProperty(k);
    expect(d).toMatchObject({ ...PINNED, MountPoint: '/Volumes/Backup' });
    // Integers stay integers in the XML, as diskutil prints them.
    expect(r.stdout).toContain('<key>TotalSize</key>\n\t<integer>2000398934016</integer>');
  });

  it('escapes XML special characters in names', async () => {
    await sb.writeState({ diskutil: { volumes: { '/Volumes/A&B': { VolumeName: 'Tom & Jerry <2>' } } } });
    const r = await sb.run('diskutil', ['info', '-plist', '/Volumes/A&B']);
    expect(r.stdout).toContain('<string>Tom &amp; Jerry &lt;2&gt;</string>');
    expect(parseDict(r.stdout)).toMatchObject({ VolumeName: 'Tom & Jerry <2>', MountPoint: '/Volumes/A&B' });
  });

  it('accepts a trailing slash on the mount point', async () => {
    await sb.writeState({ diskutil: { volumes: { '/Volumes/Backup': PINNED } } });
    const r = await sb.run('diskutil', ['info', '-plist', '/Volumes/Backup/']);
    expect(r.exitCode).toBe(0);
    expect(parseDict(r.stdout).MountPoint).toBe('/Volumes/Backup');
  });

  it('fills defaults for fields the state leaves out', async () => {
    await sb.writeState({ diskutil: { volumes: { '/Volumes/Stick': { FilesystemType: 'exfat' } } } });
    const d = parseDict((await sb.run('diskutil', ['info', '-plist', '/Volumes/Stick'])).stdout);
    expect(d).toMatchObject({
      VolumeName: 'Stick',
      MountPoint: '/Volumes/Stick',
      FilesystemType: 'exfat',
      FilesystemUserVisibleName: 'ExFAT',
      Internal: false,
      RemovableMediaOrExternalDevice: true,
      WritableVolume: true,
    });
    expect(d.VolumeUUID).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
    expect(typeof d.TotalSize).toBe('number');
  });

  it('measures sizes with statfs when the mount point exists and the state pins none', async () => {
    await sb.writeState({ diskutil: { volumes: { [sb.dir]: { VolumeName: 'Temp' } } } });
    const d = parseDict((await sb.run('diskutil', ['info', '-plist', sb.dir])).stdout);
    const s = fs.statfsSync(sb.dir);
    expect(d.TotalSize).toBe(s.blocks * s.bsize);
    expect(typeof d.FreeSpace).toBe('number');
    // Free space moves as other processes write; it only has to be in the right range.
    expect(d.FreeSpace as number).toBeGreaterThan(0);
    expect(d.FreeSpace as number).toBeLessThanOrEqual(d.TotalSize as number);
  });

  it('keeps pinned sizes even when the mount point exists', async () => {
    await sb.writeState({ diskutil: { volumes: { [sb.dir]: { TotalSize: 1000, FreeSpace: 10 } } } });
    const d = parseDict((await sb.run('diskutil', ['info', '-plist', sb.dir])).stdout);
    expect(d).toMatchObject({ TotalSize: 1000, FreeSpace: 10 });
  });

  it('answers an unknown path with the error plist and exit 1', async () => {
    await sb.writeState({ diskutil: { volumes: { '/Volumes/Backup': PINNED } } });
    const r = await sb.run('diskutil', ['info', '-plist', '/Volumes/Nope']);
    expect(r.exitCode).toBe(1);
    expect(parseDict(r.stdout)).toMatchObject({ Error: true, ErrorMessage: 'Could not find disk: /Volumes/Nope' });
  });

  it('does not treat a path inside a volume as the volume', async () => {
    await sb.writeState({ diskutil: { volumes: { '/Volumes/Backup': PINNED } } });
    const r = await sb.run('diskutil', ['info', '-plist', '/Volumes/Backup/MobileSync']);
    expect(r.exitCode).toBe(1);
    expect(parseDict(r.stdout).ErrorMessage).toBe('Could not find disk: /Volumes/Backup/MobileSync');
  });

  it('finds a volume by device identifier, device node, UUID and volume name', async () => {
    await sb.writeState({ diskutil: { volumes: { '/Volumes/Backup': { ...PINNED, DeviceIdentifier: 'disk7s2' } } } });
    for (const target of ['disk7s2', '/dev/disk7s2', PINNED.VolumeUUID.toLowerCase(), 'Backup']) {
      const r = await sb.run('diskutil', ['info', '-plist', target]);
      expect(r.exitCode, target).toBe(0);
      expect(parseDict(r.stdout).MountPoint).toBe('/Volumes/Backup');
    }
  });

  it('has the boot volume and nothing else by default', async () => {
    const boot = await sb.run('diskutil', ['info', '-plist', '/']);
    expect(boot.exitCode).toBe(0);
    expect(parseDict(boot.stdout)).toMatchObject({ VolumeName: 'Macintosh HD', MountPoint: '/', Internal: true, WritableVolume: false });
    expect((await sb.run('diskutil', ['info', '-plist', '/Volumes/Backup'])).exitCode).toBe(1);
  });

  it('an empty volumes section means nothing is mounted, not even /', async () => {
    await sb.writeState({ diskutil: { volumes: {} } });
    expect((await sb.run('diskutil', ['info', '-plist', '/'])).exitCode).toBe(1);
  });

  it('prints the human layout without -plist', async () => {
    await sb.writeState({ diskutil: { volumes: { '/Volumes/Backup': { ...PINNED, DeviceIdentifier: 'disk4s1' } } } });
    const r = await sb.run('diskutil', ['info', '/Volumes/Backup']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        '   Device Identifier:         disk4s1',
        '   Device Node:               /dev/disk4s1',
        '   Whole:                     No',
        '   Part of Whole:             disk4',
        '',
        '   Volume Name:               Backup',
        '   Mounted:                   Yes',
        '   Mount Point:               /Volumes/Backup',
        '',
        '   File System Personality:   APFS',
        '   Type (Bundle):             apfs',
        '   Name (User Visible):       APFS',
        '   Owners:                    Disabled',
        '',
        '   Volume UUID:               12345678-E876-4242-92A3-41DAF53EFE4E',
        '',
        '   Volume Total Space:        2.0 TB (2000398934016 Bytes) (exactly 3907029168 512-Byte-Units)',
        '   Volume Free Space:         1.5 TB (1500000000000 Bytes) (exactly 2929687500 512-Byte-Units)',
        '',
        '   Volume Read-Only:          No',
        '',
        '   Device Location:           External',
        '   Removable Media:           Fixed',
        '',
      ].join('\n'),
    );
  });

  it('names HFS+ and FAT volumes as diskutil does', async () => {
    await sb.writeState({
      diskutil: { volumes: { '/Volumes/Old': { FilesystemType: 'hfs' }, '/Volumes/Cam': { FilesystemType: 'msdos' } } },
    });
    const old = await sb.run('diskutil', ['info', '/Volumes/Old']);
    expect(old.stdout).toContain('   File System Personality:   Journaled HFS+\n');
    expect(old.stdout).toContain('   Name (User Visible):       Mac OS Extended (Journaled)\n');
    const cam = await sb.run('diskutil', ['info', '/Volumes/Cam']);
    expect(cam.stdout).toContain('   File System Personality:   MS-DOS FAT32\n');
    expect(cam.stdout).toContain('   Name (User Visible):       MS-DOS (FAT32)\n');
  });

  it('an SD card, a USB stick, a case-sensitive APFS volume: RemovableMedia, FilesystemName and GlobalPermissionsEnabled as diskutil prints them', async () => {
    await sb.writeState({
      diskutil: {
        volumes: {
          '/Volumes/CARD': { FilesystemType: 'msdos', RemovableMedia: true },
          '/Volumes/Stick': { FilesystemType: 'exfat', RemovableMedia: true },
          '/Volumes/Dev': { FilesystemName: 'Case-sensitive APFS', GlobalPermissionsEnabled: true },
        },
      },
    });
    const card = parseDict((await sb.run('diskutil', ['info', '-plist', '/Volumes/CARD'])).stdout);
    expect(card).toMatchObject({ RemovableMedia: true, RemovableMediaOrExternalDevice: true, FilesystemName: 'MS-DOS FAT32', GlobalPermissionsEnabled: false });
    expect(parseDict((await sb.run('diskutil', ['info', '-plist', '/Volumes/Stick'])).stdout)).toMatchObject({ RemovableMedia: true, FilesystemName: 'ExFAT' });
    const dev = await sb.run('diskutil', ['info', '/Volumes/Dev']);
    expect(dev.stdout).toContain('   File System Personality:   Case-sensitive APFS\n');
    expect(dev.stdout).toContain('   Owners:                    Enabled\n');
    expect(dev.stdout).toContain('   Removable Media:           Fixed\n');
    expect((await sb.run('diskutil', ['info', '/Volumes/Stick'])).stdout).toContain('   Removable Media:           Removable\n');
    // The default boot volume: internal, fixed, ownership honoured.
    await sb.writeState({});
    expect(parseDict((await sb.run('diskutil', ['info', '-plist', '/'])).stdout)).toMatchObject({ RemovableMedia: false, GlobalPermissionsEnabled: true });
  });

  it('reports an unknown path in the human form on stderr with exit 1', async () => {
    const r = await sb.run('diskutil', ['info', '/Volumes/Nope']);
    expect(r).toEqual({ exitCode: 1, stdout: '', stderr: 'Could not find disk: /Volumes/Nope\n' });
  });

  it.each([[[]], [['list']], [['eraseDisk', 'APFS', 'X', 'disk4']], [['info']], [['info', '-plist']], [['info', '-plist', '/', 'extra']]])(
    'prints usage on stderr and exits 1 for %j',
    async (args) => {
      const r = await sb.run('diskutil', args);
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^usage: diskutil/);
    },
  );

  it('exits 70 (simulator fault) on a malformed volume entry', async () => {
    await sb.writeState({ diskutil: { volumes: { '/Volumes/X': { TotalSize: 'big' } } } });
    const r = await sb.run('diskutil', ['info', '-plist', '/Volumes/X']);
    expect(r.exitCode).toBe(70);
  });
});
