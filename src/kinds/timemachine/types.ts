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
  /** A share on a server provision does not manage: what the plan can check from this Mac. */
  unmanaged?: UnmanagedDestination;
}

/** A share of servers: in backups.yaml, which only this Mac's plan looks at. */
export interface UnmanagedDestination {
  /** The server's declared name ("capsule"). */
  server: string;
  protocol: 'smb' | 'afp';
  /** Every name the server is declared by, tried in order for an answer. */
  hosts: readonly string[];
  /** The protocol's TCP port: 445 for SMB, 548 for AFP. */
  port: number;
  account: string;
  /** As declared (size:), in decimal gigabytes. */
  sizeGB?: number;
  /** Every Mac of the household that backs up there, with its quota. */
  clients: readonly { machine: string; quotaGB?: number }[];
}

/** Whether a server answered on its file-sharing port: the first of its names that did, or what each said. */
export type ServerAnswer = { ok: true; host: string; address: string } | { ok: false; tried: { host: string; reason: string }[] };

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
  /** One per desired destination, for a server's share about to be added (asked only then). */
  answers: (ServerAnswer | undefined)[];
}
