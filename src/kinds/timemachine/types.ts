import type { DesiredDrive } from '../../drives/types.js';
import type { DriveObserved } from '../../drives/types.js';
import type { TmDestination } from './destination-info.js';
import type { TmMatch } from './match.js';

export interface TmDestinationDesired {
  /** For people: "drive archive", "share nas/Backups". */
  label: string;
  /** What setdestination is given: the mount point as this process sees it, or smb://user@host/share. */
  target: string;
  match: TmMatch;
  /** A local destination's drive, which must be mounted and APFS or Mac OS Extended. */
  drive?: DesiredDrive;
  quotaGB?: number;
}

export interface TimeMachineDesired {
  id: string;
  machine: string;
  destinations: TmDestinationDesired[];
  /** Remove destinations that are not declared. */
  exclusive: boolean;
}

export interface TimeMachineObserved {
  /** tmutil's changes need root (and Full Disk Access). */
  root: boolean;
  /** A terminal to type a share's password into (tmutil setdestination -p); otherwise the keychain's. */
  interactive: boolean;
  info: { ok: true; destinations: TmDestination[] } | { ok: false; message: string; hint: string };
  /** One per desired destination, for local ones. */
  drives: (DriveObserved | undefined)[];
}
