/**
 * The declaration as the user wrote it (format version 1), after schema validation.
 * schemas/backups.schema.json is the source of truth for this shape; these types mirror it.
 */

export type Platform = 'macos' | 'windows' | 'linux';

export interface DeclaredDrive {
  /** The volume's name: /Volumes/<volume> on a Mac. */
  volume?: string;
  /** An absolute mount point, for drives that do not live under /Volumes (Linux hosts). */
  mount?: string;
  /**
   * Which physical drive(s) this is: a volume UUID or provision's marker id, or several for
   * drives rotated on purpose. A mounted volume that is none of them is refused.
   */
  id?: string | string[];
  /** How the drive is backed up when not by Time Machine: the user's word, trusted by `provision check`. */
  backedUp?: string;
}

/** A folder on a drive. */
export interface DeclaredLocation {
  drive: string;
  path: string;
}

/** Where photo libraries are kept: the folder on the drive that holds the library packages. */
export interface DeclaredPhotosLocation extends DeclaredLocation {
  /** More library packages in ~/Pictures, besides the default names. */
  libraries?: string[];
}

/** What a user wants kept where; each key is one resource kind. */
export interface DeclaredUser {
  /** The user's home folder when not the platform default (/Users/NAME, C:\Users\NAME, /home/NAME). */
  home?: string;
  mobilesync?: DeclaredLocation;
  photos?: DeclaredPhotosLocation;
  music?: DeclaredLocation;
  /** How old this person's device backups may get (provision check). */
  watch?: { deviceBackupDays?: number; devices?: Record<string, number> };
}

/** A machine's override of one user: partial locations merge over the user's; false opts out. */
export interface UserOverride {
  home?: string;
  mobilesync?: Partial<DeclaredLocation> | false;
  photos?: Partial<DeclaredPhotosLocation> | false;
  music?: Partial<DeclaredLocation> | false;
}

/** A Time Machine destination of a Mac: a drive plugged into it, or another machine's share (machine/name). */
export type DeclaredTimeMachineDestination = ({ drive: string; share?: undefined } | { share: string; drive?: undefined }) & {
  /** "800GB", "2TB". */
  quota?: string;
};

/** A folder a machine shares over SMB, optionally as a Time Machine destination. */
export interface DeclaredShare {
  name: string;
  drive: string;
  path: string;
  timemachine?: { quota?: string };
  users: string[];
}

/** A share on a server provision does not manage (servers:), used as a Time Machine destination. */
export interface DeclaredServerShare {
  name: string;
  /** smb when absent. */
  protocol?: 'smb' | 'afp';
  /** Declared users with an account of their own name on the server. */
  users?: string[];
  /** The one account every Mac signs in as. */
  account?: string;
  /** How much the share holds, "3TB": for the quota fit warnings. */
  size?: string;
}

/** A Time Capsule, a NAS, any SMB server: declared once, never changed by provision. */
export interface DeclaredServer {
  hostname: string | string[];
  shares: DeclaredServerShare[];
}

export interface DeclaredMachine {
  hostname: string | string[];
  platform?: Platform;
  users?: string[] | Record<string, UserOverride | false | null>;
  /** Where a drive appears on this machine when not the default: a mount point, or 'E:' on Windows. */
  drives?: Record<string, string>;
  timemachine?: { destinations?: DeclaredTimeMachineDestination[]; exclusive?: boolean };
  shares?: DeclaredShare[];
}

export interface DeclaredConfig {
  version: 1;
  drives?: Record<string, DeclaredDrive>;
  users?: Record<string, DeclaredUser>;
  machines: Record<string, DeclaredMachine>;
  /** Servers provision does not manage, whose shares Macs back up to. */
  servers?: Record<string, DeclaredServer>;
  /** The household's limits for provision check. */
  watch?: { deviceBackupDays?: number; timeMachineDays?: number; driveUnseenDays?: number; driveFullPercent?: number };
}

/** A declaration loaded from a file, with what is needed to point at places in it. */
export interface LoadedConfig {
  file: string;
  config: DeclaredConfig;
  /** SHA-256 of the file's bytes as read (a saved plan records it); absent for text not read from a file. */
  sha256?: string;
  /** Location of the node at a path like ['machines', 'imac', 'users'], for messages. */
  locate(path: readonly (string | number)[]): import('../../errors.js').SourceLocation;
}
