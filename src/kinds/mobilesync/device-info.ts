import type { PlistValue } from 'plist';
import type { DeviceStatus } from '../../engine/status/status-types.js';

/**
 * A device backup older than this is flagged by status. Finder and iTunes back up a device
 * each time it syncs with the Mac, which for most people is at least monthly; a month without
 * one is worth a look, while a week away would only add noise.
 */
export const STALE_BACKUP_DAYS = 30;

/** An archived copy: Finder's "Archive" renames a copy of the backup `<UDID>-YYYYMMDD-HHMMSS` (docs/platform-facts.md). */
const ARCHIVED = /^(.+)-(\d{8})-(\d{6})$/;

export function parseDeviceFolderName(name: string): { udid: string; archived: boolean } {
  const m = ARCHIVED.exec(name);
  return m === null ? { udid: name, archived: false } : { udid: m[1] ?? name, archived: true };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from then to now; negative when then is in the future (a wrong clock). */
export function ageInDays(then: Date, now: Date): number {
  return Math.floor((now.getTime() - then.getTime()) / DAY_MS);
}

type InfoFields = Pick<DeviceStatus, 'problem' | 'deviceName' | 'model' | 'iosVersion' | 'lastBackup' | 'ageDays' | 'stale'>;

/**
 * Pure: what status shows of a device from its parsed Info.plist. Keys that are missing or of
 * the wrong type are left out rather than failing the device; an archived copy is never stale,
 * since it is never backed up to again.
 */
export function deviceFromInfo(info: PlistValue, archived: boolean, now: Date, staleAfterDays = STALE_BACKUP_DAYS): InfoFields {
  if (typeof info !== 'object' || info === null || info instanceof Date || Buffer.isBuffer(info) || Array.isArray(info)) {
    return { problem: 'Info.plist does not hold a dictionary', stale: false };
  }
  const dict = info as Readonly<Record<string, PlistValue>>;
  const text = (key: string): string | undefined => {
    const v = dict[key];
    return typeof v === 'string' && v.trim() !== '' ? v : undefined;
  };
  const out: InfoFields = { stale: false };
  const name = text('Device Name') ?? text('Display Name');
  if (name !== undefined) out.deviceName = name;
  const model = text('Product Name') ?? text('Product Type');
  if (model !== undefined) out.model = model;
  const ios = text('Product Version');
  if (ios !== undefined) out.iosVersion = ios;
  const last = dict['Last Backup Date'];
  if (last instanceof Date && !Number.isNaN(last.getTime())) {
    out.lastBackup = last;
    out.ageDays = ageInDays(last, now);
    out.stale = !archived && out.ageDays > staleAfterDays;
  } else {
    out.problem = 'Info.plist has no Last Backup Date';
  }
  return out;
}
