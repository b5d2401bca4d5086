import { describe, expect, it } from 'vitest';
import { fsTypeName } from '../../../src/host/fs/fs-type-names.js';

describe('fsTypeName', () => {
  it('names the file systems a backup drive or share may have', () => {
    expect(fsTypeName(0xef53)).toBe('ext4');
    expect(fsTypeName(0x01021994)).toBe('tmpfs');
    expect(fsTypeName(0x9123683e)).toBe('btrfs');
    expect(fsTypeName(0x58465342)).toBe('xfs');
    expect(fsTypeName(0x4d44)).toBe('msdos');
    expect(fsTypeName(0x2011bab0)).toBe('exfat');
    expect(fsTypeName(0x5346544e)).toBe('ntfs');
    expect(fsTypeName(0x7366746e)).toBe('ntfs');
    expect(fsTypeName(0x65735546)).toBe('fuse');
    expect(fsTypeName(0x482b)).toBe('hfs');
    expect(fsTypeName(0x4244)).toBe('hfs');
    expect(fsTypeName(0xff534d42)).toBe('smbfs');
    expect(fsTypeName(0xfe534d42)).toBe('smbfs');
    expect(fsTypeName(0x517b)).toBe('smbfs');
    expect(fsTypeName(0x6969)).toBe('nfs');
    expect(fsTypeName(0x794c7630)).toBe('overlay');
    expect(fsTypeName(0x2fc12fc1)).toBe('zfs');
  });

  it('accepts the sign-extended form some ABIs give and says unknown for the rest', () => {
    expect(fsTypeName(-0xacb2be)).toBe('smbfs'); // 0xff534d42 as a signed 32-bit value
    expect(fsTypeName(0xffffffffff534d42n)).toBe('smbfs');
    expect(fsTypeName(0x12345678)).toBe('unknown');
    expect(fsTypeName(0)).toBe('unknown');
  });
});
