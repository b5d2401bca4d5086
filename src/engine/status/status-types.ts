/**
 * What `provision status` reports: plain, serialisable data, like the plan (docs/design.md, note 2). A
 * kind's status function fills these in; the renderers print them; nothing here does I/O.
 */

import type { RunHeader } from '../types.js';

/**
 * Where a location stands now. The linked-folder kinds use the first nine; a kind without a
 * status of its own gets `ok`, `differs` or `blocked` from its plan; `interrupted` comes from
 * the journal, whatever the kind.
 */
export type StatusState =
  | 'ok' // as declared: links to the declared folder, drive mounted, folder there
  | 'kept-original' // as declared, and the original of a moved photo library is kept until its owner has opened the moved one
  | 'not-set-up' // nothing there yet (apply creates the folder and the link)
  | 'not-moved' // a real folder with data, nothing of it on the drive yet
  | 'link-missing' // nothing at the link path, but the declared folder on the drive holds data
  | 'drive-not-mounted' // the link is in place, the drive is not there
  | 'link-broken' // a link whose target is missing or unreachable
  | 'linked-elsewhere' // a link to another folder that exists (an older drive)
  | 'replaced-by-folder' // a real folder where the link was, while the drive holds the data
  | 'interrupted' // a move or restore recorded in the journal and not finished
  | 'conflict' // something else is in the way (a file, a link to a file, a link chain)
  | 'unreadable' // could not be looked at (permissions, Full Disk Access)
  | 'differs' // generic: the plan would change something
  | 'blocked'; // generic: the plan is blocked

/** How much a state asks of the user: nothing, a look (yellow), or action (red). */
export type Severity = 'ok' | 'warning' | 'error';

/** A place where data of a location is, with its size on disk. */
export interface DataPlace {
  /** As the machine sees it. */
  path: string;
  /** link: at a link path (a real folder); declared: the declared folder on the drive; elsewhere: where a link elsewhere points. */
  where: 'link' | 'declared' | 'elsewhere' | 'kept';
  files: number;
  bytes: number;
  /** Paths below it that could not be read (its size is then a lower bound). */
  unreadable: number;
}

/** One link path of a location and what was found there. */
export interface LinkStatus {
  path: string;
  state: StatusState;
  /** What is there, in words: "a link to /Volumes/Archive/MobileSync/alex". */
  found: string;
}

/** One iOS device backup folder, read from its Info.plist. */
export interface DeviceStatus {
  /** The folder's name: the device's UDID, or `<UDID>-YYYYMMDD-HHMMSS` for an archived copy. */
  folder: string;
  /** The folder as the machine sees it. */
  path: string;
  /** The UDID part of the folder's name. */
  udid: string;
  /** An archived copy (Finder's "Archive"): a snapshot kept apart, never backed up to again. */
  archived: boolean;
  /** Why Info.plist could not be read; undefined when it was. */
  problem?: string;
  deviceName?: string;
  /** Product Name when the backup has one, else Product Type (iPhone14,2). */
  model?: string;
  /** Product Version: the iOS version at the last backup. */
  iosVersion?: string;
  lastBackup?: Date;
  /** Whole days between lastBackup and the time status ran (negative: in the future). */
  ageDays?: number;
  /** Older than the threshold (an archived copy never is). */
  stale: boolean;
  /** The threshold applied, in days: the user's or the device's limit (watch: in the declaration). */
  limitDays?: number;
  /** Manifest.plist's IsEncrypted; undefined when it could not be read. */
  encrypted?: boolean;
  /** Status.plist's SnapshotState is "finished"; undefined when it could not be read. */
  lastBackupFinished?: boolean;
  files: number;
  bytes: number;
}

/** An unfinished move or restore of a location, from the journal. */
export interface InterruptedStatus {
  op: 'relocate' | 'restore';
  phase: string;
  startedAt: string;
}

export interface ResourceStatus {
  /** The resource's id: "alex/mobilesync". */
  id: string;
  kind: string;
  user?: string;
  title: string;
  /** The declared place as the machine sees it (the folder on the drive), or what the plan says it manages. */
  declared: string;
  /** The declared drive, when the place is on one. */
  drive?: string;
  /** The paths that are managed (the link paths); empty for a machine-level resource. */
  paths: string[];
  state: StatusState;
  /** The state in words, for people. */
  words: string;
  severity: Severity;
  /** What to do about it; undefined when nothing needs doing. */
  hint?: string;
  links: LinkStatus[];
  /** Where the data is, each place with its size; empty when there is none or it was not sized. */
  data: DataPlace[];
  /** False when the size could not be told (a generic row, or an unreadable place). */
  sized: boolean;
  devices?: DeviceStatus[];
  interrupted?: InterruptedStatus;
  /** Further things worth knowing (leftover partial copies). */
  notes: string[];
}

/** A declared drive this machine uses. */
export interface DriveStatus {
  name: string;
  /** Where it appears on this machine. */
  mountPoint: string;
  /** The mount-point rule of drives/observe-drive.ts: mounted, absent, or a stale folder. */
  state: 'mounted' | 'absent' | 'not-mounted' | 'not-a-folder' | 'other-drive' | 'network';
  freeBytes?: number;
  totalBytes?: number;
  fsType?: string;
  /** Whether it keeps files' owners apart (per-user folders private); undefined: not known (status on a Mac). */
  owners?: 'honoured' | 'ignored';
  /** Ids of the locations on it. */
  usedBy: string[];
}

export interface StatusReport extends RunHeader {
  generatedAt: Date;
  /** A device backup older than this many days is flagged. */
  staleAfterDays: number;
  locations: ResourceStatus[];
  drives: DriveStatus[];
}

/** Whether anything in the report asks for attention: a location not ok, or a stale or unreadable device backup. */
export function needsAttention(r: StatusReport): boolean {
  return r.locations.some((l) => l.severity !== 'ok' || (l.devices ?? []).some((d) => d.stale || d.problem !== undefined));
}

export function severityOf(state: StatusState): Severity {
  switch (state) {
    case 'ok':
      return 'ok';
    case 'kept-original':
    case 'not-set-up':
    case 'not-moved':
    case 'link-missing':
    case 'drive-not-mounted':
    case 'linked-elsewhere':
    case 'differs':
      return 'warning';
    case 'link-broken':
    case 'replaced-by-folder':
    case 'interrupted':
    case 'conflict':
    case 'unreadable':
    case 'blocked':
      return 'error';
  }
}
