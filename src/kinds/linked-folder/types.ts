import type { DesiredDrive } from '../../drives/types.js';
import type { DualPath } from '../../machine/path-mapper.js';
import type { Platform } from '../../config/model/declared.js';
import type { Owner } from '../../engine/types.js';
import type { DriveObserved } from '../../drives/types.js';
import type { TreeSummaryLite } from './tree-summary-lite.js';
import type { OpenWritersResult } from '../../machine/open-writers.js';

/**
 * A "linked folder": one or more folders in a user's home (MobileSync/Backup today, photo and
 * music libraries later) that must become links to one folder on a drive, their contents moved
 * there first. This module knows nothing about iOS backups; mobilesync/ fills in the paths.
 */
export interface LinkedFolderDesired {
  id: string;
  kind: string;
  title: string;
  user: string;
  platform: Platform;
  home: DualPath;
  /** Folders that must end up as links to target. */
  links: DualPath[];
  linkType: 'symlink' | 'junction';
  drive: DesiredDrive;
  /** The folder on the drive. */
  target: DualPath;
  /** Names of machine folders between the mount point and target, for creating them. */
  targetSegments: string[];
  /** Entries that may exist on both sides without conflict (the drive's copy is kept). */
  ignorableDuplicates: string[];
  /** Word for one top-level entry in messages: "device backup". */
  entryNoun: string;
  /**
   * Whether what is found at the link paths may be merged into a target that holds something
   * already, entry by entry (iOS backups: each device is its own folder). A library is one
   * database: two of them are never merged, and finding both is a blocker.
   */
  merge: boolean;
  /** Word for the whole folder in messages: "photo library". */
  wholeNoun: string;
  /**
   * Process names that always hold the folder's files open (Photos' photolibraryd): reported,
   * not blockers; their writes are caught by comparing fingerprints before the original goes.
   */
  backgroundWriters?: readonly string[];
}

/** What one path is, read with lstat (a link is never followed by the OS). */
export type PathState =
  | { kind: 'absent' }
  | { kind: 'directory'; entries: string[]; summary: TreeSummaryLite }
  | { kind: 'file' }
  | { kind: 'other' }
  | {
      kind: 'symlink';
      raw: string;
      /** The target as the machine resolves it. */
      resolved: DualPath;
      pointsAtTarget: boolean;
      /** What is at the resolved target (links are followed one level only). */
      at: Exclude<PathState, { kind: 'symlink' }> | { kind: 'symlink-chain' } | { kind: 'unreachable'; code: string };
    }
  | { kind: 'unreadable'; code: string };

export interface LinkObserved {
  path: DualPath;
  state: PathState;
  /** Folders above the link that do not exist yet, outermost first. */
  missingParents: DualPath[];
}

export interface TargetObserved {
  kind: 'absent' | 'directory' | 'file' | 'symlink' | 'other' | 'unknown' | 'unreadable';
  /** errno code when the target could not be listed. */
  code?: string;
  /** Top-level entries, without provision's own temporary names. */
  entries: string[];
  /** provision's leftovers (.provision-partial-*) found in the target. */
  leftovers: string[];
  /** A folder on the way from the mount point to the target that is a link (refused). */
  linkOnTheWay?: string;
  /** Folders from the mount point down to the target that do not exist yet, outermost first. */
  missing: DualPath[];
  /** Whether the deepest existing folder on the way can be written. */
  writable: boolean;
  /** The owner (uid) of the target folder when it exists: the person's own folder on the drive. */
  ownerUid?: number;
}

export interface LinkedFolderObserved {
  homeExists: boolean;
  /** Owner to give created folders and links: the home's owner, only when running as root. */
  chownTo?: Owner;
  /** The person's uid on this machine (their home's owner), whoever runs provision. */
  personUid?: number;
  links: LinkObserved[];
  drive: DriveObserved;
  target: TargetObserved;
  /**
   * Who holds a file of the folders to move open for writing (lsof). Left out until a draft
   * plan moves something (ResourceKind.refine), and when nothing is to be copied.
   */
  writers?: OpenWritersResult;
}
