/**
 * What the declaration means for one machine: its users with their locations merged over the
 * machine's overrides, and where each drive appears on it. Pure functions of the declaration,
 * shared by the semantic checks and the desired-state resolver so both read it the same way.
 */

import type { DeclaredConfig, DeclaredLocation, DeclaredMachine, DeclaredPhotosLocation, DeclaredUser, Platform, UserOverride } from './declared.js';
import { ownEntry } from './own-entry.js';
import { driveLetterRoot, isAbsolutePosix, trimTrailingSlashes } from './path-forms.js';
import { quoted } from '../../text/printable.js';

/** The resource kinds a user declares as a location on a drive; a new kind adds its key here. */
export const LOCATION_KINDS = ['mobilesync', 'photos', 'music'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

/**
 * Where each kind exists: iOS backups on Macs and Windows (iTunes, Apple Devices); Photos,
 * iPhoto and the Music app only on Macs. Elsewhere a declared location is left alone.
 */
export function kindAppliesOn(kind: LocationKind, platform: Platform): boolean {
  return kind === 'mobilesync' ? platform !== 'linux' : platform === 'macos';
}

/** One user as set up on one machine. */
export interface EffectiveUser {
  name: string;
  home?: string;
  mobilesync?: DeclaredLocation;
  photos?: DeclaredPhotosLocation;
  music?: DeclaredLocation;
  /** Where in the YAML the user is listed on that machine, for messages. */
  path: (string | number)[];
}

/** A user as listed on a machine, before merging: the entry is the map value (undefined in a list). */
export interface UserListing {
  name: string;
  entry: UserOverride | false | null | undefined;
  path: (string | number)[];
}

export function machinePlatform(machine: DeclaredMachine): Platform {
  return machine.platform ?? 'macos';
}

/** The names a machine or a server answers to, in the order written. */
export function hostnames(machine: { hostname: string | string[] }): string[] {
  return typeof machine.hostname === 'string' ? [machine.hostname] : [...machine.hostname];
}

/** Every user a machine lists, opted out or not, in the order written. */
export function userListings(config: DeclaredConfig, machineName: string): UserListing[] {
  const users = ownEntry(config.machines, machineName)?.users;
  if (users === undefined) return [];
  const base: (string | number)[] = ['machines', machineName, 'users'];
  if (Array.isArray(users)) {
    return users.map((name, i) => ({ name, entry: undefined, path: [...base, i] }));
  }
  return Object.entries(users).map(([name, entry]) => ({ name, entry, path: [...base, name] }));
}

/** The override a listing carries, if any (a list item, `{}`-less `alex:` and `false` carry none). */
export function overrideOf(entry: UserListing['entry']): UserOverride | undefined {
  return entry === null || entry === undefined || entry === false ? undefined : entry;
}

/** The listings of users that are set up on the machine (not opted out with `false`). */
export function activeListings(config: DeclaredConfig, machineName: string): UserListing[] {
  return userListings(config, machineName).filter((l) => l.entry !== false);
}

/**
 * A machine's location for one kind merged over the user's: undefined when neither declares
 * one or the machine sets it to false; otherwise whatever parts the two give together.
 */
export function mergedLocation(
  user: DeclaredUser | undefined,
  entry: UserListing['entry'],
  kind: LocationKind,
): Partial<DeclaredPhotosLocation> | undefined {
  const override = overrideOf(entry)?.[kind];
  if (override === false) return undefined;
  const own = user?.[kind];
  if (own === undefined && override === undefined) return undefined;
  return { ...own, ...override };
}

export function isCompleteLocation<L extends Partial<DeclaredLocation>>(loc: L | undefined): loc is L & DeclaredLocation {
  return loc?.drive !== undefined && loc.path !== undefined;
}

/**
 * The users set up on a machine with their merged settings. Opted-out users and locations set
 * to false are left out; so is a location that stays incomplete after merging (the semantic
 * checks report that, so a validated declaration never has one).
 */
export function machineUsers(config: DeclaredConfig, machineName: string): EffectiveUser[] {
  return activeListings(config, machineName).map((listing) => {
    const user = ownEntry(config.users, listing.name);
    const override = overrideOf(listing.entry);
    const effective: EffectiveUser = { name: listing.name, path: listing.path };
    const home = override?.home ?? user?.home;
    if (home !== undefined) effective.home = home;
    for (const kind of LOCATION_KINDS) {
      const loc = mergedLocation(user, listing.entry, kind);
      if (!isCompleteLocation(loc)) continue;
      if (kind === 'photos') {
        effective.photos = { drive: loc.drive, path: loc.path, ...(loc.libraries === undefined ? {} : { libraries: [...loc.libraries] }) };
      } else {
        effective[kind] = { drive: loc.drive, path: loc.path };
      }
    }
    return effective;
  });
}

export type MountPointResult = { ok: true; mountPoint: string } | { ok: false; reason: string };

/**
 * Where a drive appears on a machine: the machine's `drives:` entry first (a letter on Windows,
 * a mount point elsewhere), then the drive's `mount`, then on a Mac /Volumes/<volume>. Windows
 * has no default place for a drive, and Linux none for a volume name.
 */
export function driveMountPoint(config: DeclaredConfig, machineName: string, driveName: string): MountPointResult {
  const machine = ownEntry(config.machines, machineName);
  if (machine === undefined) return { ok: false, reason: `there is no machine named ${machineName}` };
  const drive = ownEntry(config.drives, driveName);
  if (drive === undefined) return { ok: false, reason: `there is no drive named ${driveName}` };
  const platform = machinePlatform(machine);
  const override = ownEntry(machine.drives, driveName);

  if (platform === 'windows') {
    if (override === undefined) {
      return { ok: false, reason: `Windows gives drive ${driveName} a letter: machine ${machineName} must say which, in its drives: map` };
    }
    const root = driveLetterRoot(override);
    return root === undefined
      ? { ok: false, reason: `${quoted(override)} is not a drive letter such as E:` }
      : { ok: true, mountPoint: root };
  }
  if (override !== undefined) {
    return isAbsolutePosix(override)
      ? { ok: true, mountPoint: trimTrailingSlashes(override) }
      : { ok: false, reason: `${quoted(override)} is not an absolute path` };
  }
  if (drive.mount !== undefined) return { ok: true, mountPoint: trimTrailingSlashes(drive.mount) };
  if (platform === 'macos' && drive.volume !== undefined) return { ok: true, mountPoint: `/Volumes/${drive.volume}` };
  if (platform === 'linux') {
    return { ok: false, reason: `drive ${driveName} has no mount point and machine ${machineName} gives none in its drives: map` };
  }
  return { ok: false, reason: `drive ${driveName} has neither a volume name nor a mount point` };
}
