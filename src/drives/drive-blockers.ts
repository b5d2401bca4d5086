import type { Blocker } from '../errors.js';
import type { DesiredDrive, DriveObserved } from './types.js';
import { describeIdentity } from './identity.js';

/** Why a drive that is not mounted blocks a change, and what to do about it. */
export function driveBlocker(d: { drive: DesiredDrive }, drive: Exclude<DriveObserved, { kind: 'mounted' }>): Blocker {
  const where = d.drive.mountPoint.machine;
  switch (drive.kind) {
    case 'absent':
      return {
        code: 'DRIVE_NOT_MOUNTED',
        reason: `drive ${d.drive.name} is not mounted: ${where} does not exist${drive.elsewhere === undefined ? '' : `; it is mounted at ${drive.elsewhere} instead`}`,
        fix:
          drive.elsewhere === undefined
            ? `connect the drive (or check its volume name in the declaration) and plan again`
            : `eject ${drive.elsewhere} and connect it again so that it mounts at ${where} (or rename it back in Finder), then plan again`,
      };
    case 'not-mounted':
      return {
        code: 'DRIVE_STALE_FOLDER',
        reason: `${where} is a plain folder on this machine's own disk, not the mounted drive ${d.drive.name}${drive.elsewhere === undefined ? '' : `, which is mounted at ${drive.elsewhere} instead`}`,
        fix: `connect the drive; if it is connected, eject it, move ${where} aside (it is not the drive), and reconnect`,
      };
    case 'other-drive':
      return {
        code: 'DRIVE_MISMATCH',
        reason:
          `the volume mounted at ${where} is not drive ${d.drive.name}: it has ${describeIdentity(drive.found)}, and ${d.drive.name} ` +
          `${drive.from === 'pinned' ? 'is declared with' : 'was recorded on this machine with'} ${drive.expected}` +
          (drive.elsewhere === undefined ? '' : `; ${d.drive.name} itself is mounted at ${drive.elsewhere}`),
        fix:
          drive.elsewhere !== undefined
            ? `eject both, then connect only ${d.drive.name} so that it mounts at ${where}, and plan again. Nothing was touched`
            : drive.from === 'pinned'
              ? `connect the declared drive instead; if this volume is the one you want now, add its id (${drive.found.uuid ?? drive.found.marker ?? 'none'}) to "id:" of drive ${d.drive.name} in the declaration`
              : `connect the drive provision used before. If you replaced it on purpose and this is the new one, declare it: "id: ${drive.found.uuid ?? drive.found.marker ?? '…'}" under drive ${d.drive.name}` +
                (drive.found.uuid === undefined && drive.found.marker === undefined ? ` (this volume has no id; remove ${d.drive.name} from drives/known.json in provision's state folder to adopt it)` : ''),
      };
    case 'network':
      return {
        code: 'DRIVE_IS_NETWORK',
        // Microsoft: a junction links directories on local volumes; libuv refuses a UNC target.
        reason: `${where} is a network drive (${drive.share}), not a drive plugged into this PC: a junction can only point to a local drive, so iTunes and the Apple Devices app could not follow it`,
        fix: `declare the letter of a drive plugged into this PC for ${d.drive.name} (machines: drives: in backups.yaml), or, to keep the backups on that server, let the server back up its own disk`,
      };
    case 'not-a-folder':
      return {
        code: 'DRIVE_NOT_A_FOLDER',
        reason: `${where} is not a folder, so drive ${d.drive.name} cannot be mounted there`,
        fix: `look at ${where}; remove it if it is stale, then connect the drive`,
      };
  }
}
