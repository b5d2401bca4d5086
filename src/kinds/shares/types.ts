import type { DesiredDrive } from '../../drives/types.js';
import type { DualPath } from '../../machine/path-mapper.js';
import type { DriveObserved } from '../../drives/types.js';

export interface ShareDesired {
  name: string;
  drive: DesiredDrive;
  /** The shared folder on the drive. */
  folder: DualPath;
  /** Folders from the mount point down to the shared folder, for creating the missing ones. */
  folders: DualPath[];
  users: string[];
  timeMachine: boolean;
  /** The Time Machine quota, in decimal gigabytes as declared. */
  quotaGB?: number;
  /** The household's Macs that declare it as a Time Machine destination, with their own quota. */
  clients: { machine: string; quotaGB?: number }[];
}

/** A Linux machine's shares, served by Samba from a file provision owns, included from smb.conf. */
export interface SambaDesired {
  id: string;
  machine: string;
  smbConf: DualPath;
  provisionConf: DualPath;
  shares: ShareDesired[];
  /** Reload a running smbd after a change: not when working on another machine's disk (--root). */
  reload: boolean;
}

export interface SambaObserved {
  /** smb.conf's text, or undefined when it does not exist (Samba not installed). */
  smbConf: string | undefined;
  provisionConf: string | undefined;
  drives: DriveObserved[];
  /** Per share: which of its folders exist (the rest are created). */
  existing: boolean[][];
  /** Whether Avahi will announce the Time Machine shares (samba/announce.ts); absent when none is offered. */
  announce?: AnnounceObserved;
}

/**
 * A share several users back up to is one folder owned by root with mode 1777: every user may
 * create their own backup bundle in it, and the sticky bit keeps each from deleting another's.
 * `valid users` (Samba) or the folder itself (File Sharing) decides who may connect at all.
 */
export const SHARE_FOLDER_MODE = 0o1777;

/** Whether Avahi will announce a Samba machine's Time Machine shares (samba/announce.ts). */
export type AnnounceObserved =
  | { kind: 'not-checked' }
  | {
      kind: 'checked';
      /** From `smbd -b`; undefined when smbd cannot be asked (Samba missing is its own blocker). */
      smbdWithAvahi: boolean | undefined;
      daemonInstalled: boolean;
      daemonRunning: boolean;
      /** smb.conf's [global] sets `multicast dns register` off. */
      registerOff: boolean;
    };
