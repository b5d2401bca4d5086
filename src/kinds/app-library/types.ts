import type { KeptRecordRead } from '../../engine/kept/kept-record.js';
import type { LibraryLayout } from './library-layout.js';
import type { LinkedFolderDesired, LinkedFolderObserved } from '../linked-folder/types.js';
import type { LinkedFolderRestoreObserved } from '../linked-folder/plan-restore.js';

/**
 * A library an app keeps in the user's home (a Photos or iPhoto library, the Music media
 * folder): a linked folder that is moved whole, never merged, and only while its app is not
 * running. Photo libraries also follow Apple's rules for the drive; iPhoto is pointed at the
 * moved library through its preference; Photos needs the user to choose it once.
 */
export interface AppLibraryDesired extends LinkedFolderDesired {
  /** photos: a Photos library; iphoto: an iPhoto library; music: the iTunes / Music media folder. */
  family: 'photos' | 'iphoto' | 'music';
  /** Process names that must not be running for the user while the library changes. */
  apps: readonly string[];
  /** Named in the declaration's `libraries:`: that it is nowhere to be found is worth a note. */
  declared: boolean;
  /** Photo libraries: APFS or Mac OS Extended, not a network share, not the Time Machine drive. */
  appleDriveRules: boolean;
  /** Whether this machine's declared Time Machine destinations include this drive. */
  onTimeMachineDrive: boolean;
  /** The preference that tells the app where the library is (iPhoto), read and written with defaults. */
  preference?: { domain: string; key: string; asUser?: string };
  /** Files compared byte for byte whatever --verify says (RelocateStep.databases). */
  databases: readonly string[];
  /**
   * Photo libraries: the original is kept beside the link after the move and removed only once
   * its owner has opened the moved library (Apple's order, HT201517). Holds the preference that
   * shows the moved library was made the System Photo Library, when there is one to read.
   */
  keepOriginal?: { opened?: { domain: string; key: string; asUser?: string } };
}

/** A preference as read, or why it could not be. */
export type PreferenceObserved = { ok: true; value: string | undefined } | { ok: false; message: string; hint: string };

/** Which of the library's apps are running for the user, or why that cannot be told. */
export type AppsObserved = { ok: true; running: string[] } | { ok: false; message: string; hint: string };

export interface AppLibraryObserved {
  folder: LinkedFolderObserved;
  /** The layout of a real library at the home path: a new, almost empty one is told apart. */
  homeLayout?: LibraryLayout;
  preference?: PreferenceObserved;
  /** Looked at only when something would change (pgrep is not free on every plan). */
  apps?: AppsObserved;
  /** Old libraries Photos migrated from iPhoto or Aperture beside this one (`*.migratedphotolibrary`), by name. */
  migrated?: string[];
  /** The Mac's version (sw_vers), read for an iPhoto library: iPhoto cannot run on 10.15 and later. */
  macosVersion?: string;
  /** Originals kept beside the link after a move, waiting for their owner (keepOriginal). */
  kept?: KeptObserved[];
  /** The preference that shows the moved library was opened (keepOriginal.opened), as read now. */
  opened?: PreferenceObserved;
  /** The run was started by the scheduled job: a kept original is never removed by it. */
  scheduled?: boolean;
}

/** An original kept beside the link (its host path) and its record. */
export interface KeptObserved {
  path: string;
  record: KeptRecordRead;
}

export interface AppLibraryRestoreObserved {
  folder: LinkedFolderRestoreObserved;
  preference?: PreferenceObserved;
  apps?: AppsObserved;
}
