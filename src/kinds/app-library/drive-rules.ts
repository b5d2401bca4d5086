import { NETWORK_FS_TYPES } from '../../assumptions.js';
import type { Blocker } from '../../engine/types.js';
import type { DriveObserved } from '../../drives/types.js';
import type { AppLibraryDesired } from './types.js';

/** The formats Apple supports for a photo library: APFS and Mac OS Extended (diskutil's names). */
const MAC_FORMATS = new Set(['apfs', 'hfs']);

/** diskutil's names of the case-sensitive formats: "Case-sensitive APFS", "Case-sensitive Journaled HFS+". */
const CASE_SENSITIVE = /case-sensitive/i;

/**
 * Apple's rules for where a photo library may live (docs/platform-facts.md, verified): on APFS or
 * Mac OS Extended (Journaled), not a case-sensitive one, not on removable media such as SD cards
 * or USB sticks, not on network storage, not on the drive Time Machine backs up to. Returned as
 * blockers; the caller turns them into notes when nothing is to change.
 */
export function appleDriveProblems(d: AppLibraryDesired, drive: DriveObserved): Blocker[] {
  if (!d.appleDriveRules) return [];
  const problems: Blocker[] = [];
  if (d.onTimeMachineDrive) {
    problems.push({
      code: 'TIME_MACHINE_DRIVE',
      reason: `drive ${d.drive.name} is where this Mac keeps its Time Machine backups, and Apple says a photo library must not be kept there`,
      fix: `declare another drive for ${d.user}'s photos (on this machine: machines.<name>.users.${d.user}.photos.drive)`,
    });
  }
  // The format is known only when something is to change (ResourceKind.refine); a library
  // already in place is not asked about.
  if (drive.kind !== 'mounted' || drive.fsType === undefined) return problems;
  const type = drive.fsType.toLowerCase();
  if (NETWORK_FS_TYPES.includes(type)) {
    problems.push({
      code: 'NETWORK_DRIVE',
      reason: `${d.drive.mountPoint.machine} is a network share (${drive.fsType}), and Apple says a photo library must be on a drive connected to the Mac`,
      fix: 'keep the library on a drive plugged into this Mac (APFS or Mac OS Extended), and declare that drive',
    });
  } else if (!MAC_FORMATS.has(type)) {
    problems.push({
      code: 'NOT_MAC_FORMAT',
      reason: `drive ${d.drive.name} is formatted ${drive.fsType}, and Apple supports photo libraries only on APFS or Mac OS Extended (Journaled)`,
      fix: `use a drive formatted APFS or Mac OS Extended, or reformat ${d.drive.name} in Disk Utility (this erases it: copy its contents elsewhere first)`,
    });
  } else if (drive.fsName !== undefined && CASE_SENSITIVE.test(drive.fsName)) {
    problems.push({
      code: 'CASE_SENSITIVE_FORMAT',
      reason: `drive ${d.drive.name} is formatted ${drive.fsName}, and Apple says a photo library must not be on a case-sensitive format`,
      fix: `use a drive formatted APFS or Mac OS Extended (Journaled) without "Case-sensitive", or reformat ${d.drive.name} in Disk Utility (this erases it: copy its contents elsewhere first)`,
    });
  }
  if (drive.removableMedia === true) {
    problems.push({
      code: 'REMOVABLE_MEDIA',
      reason: `drive ${d.drive.name} is removable media (diskutil says so, as of an SD card or a USB stick), and Apple says a photo library must not be kept on removable media such as SD cards or USB sticks`,
      fix: `keep the library on a hard disk or SSD plugged into this Mac, and declare that drive for ${d.user}'s photos (machines.<name>.users.${d.user}.photos.drive)`,
    });
  }
  return problems;
}
