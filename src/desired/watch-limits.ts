/**
 * The limits `provision check` holds observations against. Each has a default; the declaration's
 * `watch:` section (household-wide) and a user's `watch:` (their own devices) override them.
 */

export interface WatchLimits {
  /** A device backup older than this many days is flagged (per user and device overrides below). */
  deviceBackupDays: number;
  /** A Time Machine destination whose last backup is older than this is flagged. */
  timeMachineDays: number;
  /** A declared drive not seen mounted for this many days is flagged. */
  driveUnseenDays: number;
  /** A drive (or a Time Machine share) fuller than this percentage is flagged. */
  driveFullPercent: number;
}

/**
 * The defaults. 30 days for device backups is what status has always used: Finder backs a device
 * up when it syncs with the Mac, at least monthly for most people. Time Machine backs up hourly
 * while its destination is reachable, so a week without one means it is not. A drive away for
 * two weeks is worth a reminder; a drive more than 90% full will soon refuse a move or a backup.
 */
export const DEFAULT_WATCH_LIMITS: WatchLimits = {
  deviceBackupDays: 30,
  timeMachineDays: 7,
  driveUnseenDays: 14,
  driveFullPercent: 90,
};

/** A user's own limits: their default for device backups, and one per device (by name or UDID). */
export interface UserWatchLimits {
  deviceBackupDays: number;
  devices: ReadonlyMap<string, number>;
}

/** The limit for one device: its own (matched by UDID, then by name), else the user's. */
export function deviceLimitDays(limits: UserWatchLimits, device: { udid: string; name?: string }): number {
  return limits.devices.get(device.udid) ?? (device.name === undefined ? undefined : limits.devices.get(device.name)) ?? limits.deviceBackupDays;
}
