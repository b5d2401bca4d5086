import type { Blocker } from '../../engine/types.js';
import type { DriveObserved, LinkedFolderDesired } from './types.js';

/** Why a drive that is not mounted blocks a change, and what to do about it. */
export function driveBlocker(d: Pick<LinkedFolderDesired, 'drive'>, drive: Exclude<DriveObserved, { kind: 'mounted' }>): Blocker {
  const where = d.drive.mountPoint.machine;
  switch (drive.kind) {
    case 'absent':
      return {
        code: 'DRIVE_NOT_MOUNTED',
        reason: `drive ${d.drive.name} is not mounted: ${where} does not exist`,
        fix: `connect the drive (or check its volume name in the declaration) and plan again`,
      };
    case 'not-mounted':
      return {
        code: 'DRIVE_STALE_FOLDER',
        reason: `${where} is a plain folder on this machine's own disk, not the mounted drive ${d.drive.name}`,
        fix: `connect the drive; if it is connected, eject it, move ${where} aside (it is not the drive), and reconnect`,
      };
    case 'not-a-folder':
      return {
        code: 'DRIVE_NOT_A_FOLDER',
        reason: `${where} is not a folder, so drive ${d.drive.name} cannot be mounted there`,
        fix: `look at ${where}; remove it if it is stale, then connect the drive`,
      };
  }
}
