/**
 * Short file system names from the Linux statfs magic number (f_type). The names follow what
 * macOS's diskutil says where the two overlap (msdos, hfs, smbfs), so the rest of provision can
 * compare one vocabulary on every platform.
 */

const NAMES: ReadonlyMap<number, string> = new Map([
  // ext2, ext3 and ext4 share one magic number; ext4 is by far the most common today.
  [0xef53, 'ext4'],
  [0x01021994, 'tmpfs'],
  [0x858458f6, 'ramfs'],
  [0x9123683e, 'btrfs'],
  [0x58465342, 'xfs'],
  [0x2fc12fc1, 'zfs'],
  [0xf2f52010, 'f2fs'],
  [0xca451a4e, 'bcachefs'],
  [0x3434, 'nilfs'],
  [0x52654973, 'reiserfs'],
  [0x3153464a, 'jfs'],
  // FAT12/16/32 (vfat and msdos drivers); diskutil calls these msdos too.
  [0x4d44, 'msdos'],
  [0x2011bab0, 'exfat'],
  // The old ntfs driver and the newer ntfs3 driver use different numbers.
  [0x5346544e, 'ntfs'],
  [0x7366746e, 'ntfs'],
  // HFS and HFS+ (Mac OS Extended): diskutil reports both as hfs.
  [0x4244, 'hfs'],
  [0x482b, 'hfs'],
  // SMB1, CIFS and SMB2/3 mounts.
  [0x517b, 'smbfs'],
  [0xff534d42, 'smbfs'],
  [0xfe534d42, 'smbfs'],
  [0x6969, 'nfs'],
  [0x00c36400, 'ceph'],
  [0x01021997, '9p'],
  // Every FUSE file system (ntfs-3g's fuseblk, exfat-fuse, sshfs, virtiofs): the kernel cannot tell them apart.
  [0x65735546, 'fuse'],
  [0x794c7630, 'overlay'],
  [0x73717368, 'squashfs'],
  [0xe0f5e1e2, 'erofs'],
  [0x9660, 'iso9660'],
  [0x15013346, 'udf'],
  [0xf15f, 'ecryptfs'],
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x63677270, 'cgroup2'],
]);

/** The short name of a Linux file system magic number, or 'unknown'. */
export function fsTypeName(magic: number | bigint): string {
  // f_type is a signed long in some ABIs: normalise to the unsigned 32-bit value.
  const key = Number(BigInt.asUintN(32, BigInt(magic)));
  return NAMES.get(key) ?? 'unknown';
}
