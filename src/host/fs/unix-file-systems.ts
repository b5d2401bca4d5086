/**
 * Which file systems hold Unix metadata (modes, owners, extended attributes, hard links), by
 * the short names of fs-type-names.ts (Linux) and diskutil (macOS). The copier is chosen by it
 * (copy-files.ts) and verification checks metadata by it (compare-metadata.ts).
 */

/** Hold modes, owners, xattrs and hard links. */
export const UNIX_FILE_SYSTEMS: ReadonlySet<string> = new Set(['ext4', 'tmpfs', 'ramfs', 'btrfs', 'xfs', 'zfs', 'f2fs', 'bcachefs', 'nilfs', 'reiserfs', 'jfs', 'overlay', 'apfs', 'hfs']);

/** Hold none of them: FAT12/16/32 and exFAT. */
export const NO_UNIX_METADATA: ReadonlySet<string> = new Set(['msdos', 'vfat', 'fat', 'fat32', 'exfat']);
