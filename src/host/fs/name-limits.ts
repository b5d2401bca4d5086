/**
 * What names a drive can hold, so that the plan, not the copy, finds a name the drive refuses.
 *
 * Limits per component (sources: the file systems' specifications as summed up in Wikipedia's
 * "Comparison of file systems" table; Microsoft's "Naming Files, Paths, and Namespaces" for
 * the characters):
 * - APFS, ext4, tmpfs, Btrfs, XFS and most Unix file systems: 255 bytes of UTF-8.
 * - FAT long names (VFAT), exFAT, HFS+ and NTFS: 255 UTF-16 code units.
 * - FAT and exFAT refuse the characters " * / : < > ? \ | and the control characters 0-31
 *   (fusefat refuses ':' with EPERM: seen in test/e2e/other-drives.test.ts).
 * Node's fs.statfs does not give f_namelen, and Node has no pathconf, so the limit comes from
 * the file system's type.
 */

import type { AwkwardName } from '../host.js';

export const NAME_MAX = 255;

/** FAT and exFAT's forbidden characters (see above). */
// eslint-disable-next-line no-control-regex
const FAT_FORBIDDEN = /["*/:<>?\\|\u0000-\u001f]/;

/** File system types whose names are counted in UTF-16 units (FAT, exFAT, HFS+, NTFS). */
const UTF16_LIMITED = new Set(['msdos', 'vfat', 'fat', 'fat32', 'exfat', 'hfs', 'ntfs']);
/** File system types that refuse FAT's characters. */
const FAT_NAMED = new Set(['msdos', 'vfat', 'fat', 'fat32', 'exfat']);

/** The name's measures when some drive could refuse it, else undefined. */
export function awkwardName(path: string, name: string): AwkwardName | undefined {
  const bytes = Buffer.byteLength(name, 'utf8');
  const units = name.length;
  const fatUnsafe = FAT_FORBIDDEN.test(name);
  if (bytes <= NAME_MAX && units <= NAME_MAX && !fatUnsafe) return undefined;
  return { path, bytes, units, fatUnsafe };
}

/** Why a drive of this type cannot hold the name, or undefined when it can. */
export function nameRefusedBy(fsType: string | undefined, n: AwkwardName): string | undefined {
  const type = (fsType ?? '').toLowerCase();
  if (UTF16_LIMITED.has(type)) {
    if (n.units > NAME_MAX) return `its name is ${n.units} characters long, and ${fsType ?? ''} allows ${NAME_MAX}`;
  } else if (n.bytes > NAME_MAX) {
    return `its name is ${n.bytes} bytes long, more than the ${NAME_MAX} a drive allows`;
  }
  if (FAT_NAMED.has(type) && n.fatUnsafe) return `its name holds a character ${fsType ?? ''} refuses (" * : < > ? \\ |)`;
  return undefined;
}

/** Whether a drive of this type cannot hold links (FAT and exFAT have none). */
export function refusesLinks(fsType: string | undefined): boolean {
  return FAT_NAMED.has((fsType ?? '').toLowerCase());
}
