import type { DualPath } from '../machine/path-mapper.js';
import type { DriveRecordPlaces } from './drive-record.js';
import type { DriveIdentity } from './identity.js';

/** A declared drive as this machine places it. */
export interface DesiredDrive {
  name: string;
  mountPoint: DualPath;
  /** Ids the declaration pins the drive to (volume UUIDs or provision marker ids); empty: none. */
  pins: string[];
  /** How the declaration says the drive is backed up (drives.<name>.backedUp), when it says so. */
  backedUp?: string;
  /** Where its identity is remembered once provision has written to it. */
  records?: DriveRecordPlaces;
  /** Windows: the letter declared for it ("E:\\"), when Windows gave the drive another one this time (mountPoint). */
  declaredAt?: string;
}

/** What is at a declared drive's mount point now. */
export type DriveObserved =
  | {
      kind: 'mounted';
      freeBytes: number;
      /** 0 when the file system does not report its size (fusefat does not): free space is then unknown. */
      totalBytes?: number;
      /** The allocation unit each file and folder takes whole units of (statfs f_bsize). */
      blockSize?: number;
      /**
       * The drive's format as diskutil (or else statfs) names it. Left out until a draft plan
       * changes something (ResourceKind.refine): asking diskutil starts a process, and a
       * format matters only to what is about to be written.
       */
      fsType?: string;
      /** diskutil's name of the format when it gives one ("Case-sensitive APFS"); filled in with fsType. */
      fsName?: string;
      /** The medium itself comes out (diskutil's RemovableMedia: an SD card, a USB stick); filled in with fsType on a Mac. */
      removableMedia?: boolean;
      /**
       * Whether the file system keeps files' owners apart (filled in with fsType): on a Mac from
       * diskutil ("Ignore ownership on this volume"), elsewhere from the format
       * (assumptions.ts OWNERSHIP_IGNORED_FS_TYPES). Undefined: not known.
       */
      ownership?: 'honoured' | 'ignored';
      /** What identifies the volume mounted there (what was read of it; see drives/identity.ts). */
      identity?: DriveIdentity;
      /** How it was recognised: by a pinned id, by the identity recorded here, or not at all yet (first use). */
      recognisedBy?: 'pinned' | 'recorded' | 'nothing';
      /** Whether provision can give it an identity now: a marker is there, or its top folder can take one. */
      markable?: boolean;
    }
  | {
      /** A volume is mounted there, but it is not the declared (or remembered) drive. */
      kind: 'other-drive';
      found: DriveIdentity;
      /** What it should have been, in words: "volume UUID …" or "one of …". */
      expected: string;
      /** Whether the expectation comes from the declaration (pinned) or from the machine's record. */
      from: 'pinned' | 'recorded';
      /** Where the right drive is mounted instead, when it is (macOS: "/Volumes/Archive 1"). */
      elsewhere?: string;
    }
  | { kind: 'absent'; elsewhere?: string }
  | { kind: 'not-mounted'; elsewhere?: string }
  | { kind: 'not-a-folder' }
  /** A Windows letter that is a mapped network drive (its \\server\share): a junction cannot point there. */
  | { kind: 'network'; share: string };

/** A folder on a declared drive, as this machine places it. */
export interface DriveFolder {
  drive: DesiredDrive;
  /** The declared folder on the drive. */
  folder: DualPath;
  /** Its names below the mount point. */
  segments: string[];
}
