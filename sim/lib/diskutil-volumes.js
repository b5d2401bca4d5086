// The simulated Mac's volumes: the "diskutil" state section, completed with defaults, and the
// lookup `diskutil info` does. A volume is found by its mount point exactly (a path inside a
// volume is not a volume, as with the real tool), or by its device identifier, device node,
// volume UUID (the other forms diskutil(8) accepts) or, failing those, its volume name.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SimulatorFault } from './cli.js';
import { loadState, section } from './state.js';

/** A Mac with defaults has its boot volume and nothing else mounted. */
export const DISKUTIL_DEFAULTS = {
  volumes: {
    '/': {
      VolumeName: 'Macintosh HD',
      FilesystemType: 'apfs',
      Internal: true,
      RemovableMediaOrExternalDevice: false,
      // The boot volume honours ownership.
      GlobalPermissionsEnabled: true,
      // Big Sur and later mount the sealed system volume read-only.
      WritableVolume: false,
    },
  },
};

/** Sizes reported for a volume whose mount point does not exist here and whose state pins none. */
export const FALLBACK_TOTAL_SIZE = 2_000_398_934_016;
export const FALLBACK_FREE_SPACE = 1_000_000_000_000;

const USER_VISIBLE_NAMES = {
  apfs: 'APFS',
  hfs: 'Mac OS Extended (Journaled)',
  msdos: 'MS-DOS (FAT32)',
  exfat: 'ExFAT',
};

/**
 * diskutil's FilesystemName per type (the "File System Personality" of the human layout). A
 * case-sensitive volume has its own name ("Case-sensitive APFS", "Case-sensitive Journaled
 * HFS+"): give FilesystemName in the state for one.
 */
const FILESYSTEM_NAMES = {
  apfs: 'APFS',
  hfs: 'Journaled HFS+',
  msdos: 'MS-DOS FAT32',
  exfat: 'ExFAT',
};

/** Drops trailing slashes so "/Volumes/X/" and "/Volumes/X" name the same mount point. */
export function normalizeMountPoint(p) {
  const trimmed = p.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** A stable UUID-shaped id derived from the mount point, so output does not change between runs. */
function derivedUuid(mountPoint) {
  const h = crypto.createHash('sha1').update(`provision-sim:${mountPoint}`).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Bytes from statfs of the real folder, or undefined when it is not there. */
function statfsSizes(mountPoint) {
  try {
    const s = fs.statfsSync(mountPoint);
    return { total: s.blocks * s.bsize, free: s.bavail * s.bsize };
  } catch {
    return undefined;
  }
}

function pick(entry, key, type, fallback) {
  const v = entry[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== type) throw new SimulatorFault(`diskutil volume field ${key} must be a ${type}`);
  return v;
}

/**
 * One volume with every reported field filled in.
 * @param {string} mountPoint
 * @param {Record<string, unknown>} entry as written in the state file
 * @param {number} index its position, for a default device identifier
 */
export function completeVolume(mountPoint, entry, index) {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new SimulatorFault(`diskutil volume ${mountPoint} must be a JSON object`);
  }
  const type = pick(entry, 'FilesystemType', 'string', 'apfs');
  const pinnedTotal = pick(entry, 'TotalSize', 'number', undefined);
  const pinnedFree = pick(entry, 'FreeSpace', 'number', undefined);
  const measured = pinnedTotal === undefined || pinnedFree === undefined ? statfsSizes(mountPoint) : undefined;
  const deviceIdentifier = pick(entry, 'DeviceIdentifier', 'string', `disk${4 + index}s1`);
  const internal = pick(entry, 'Internal', 'boolean', false);
  return {
    DeviceIdentifier: deviceIdentifier,
    DeviceNode: `/dev/${deviceIdentifier}`,
    VolumeName: pick(entry, 'VolumeName', 'string', path.basename(mountPoint) || 'Macintosh HD'),
    VolumeUUID: pick(entry, 'VolumeUUID', 'string', derivedUuid(mountPoint)),
    MountPoint: mountPoint,
    FilesystemType: type,
    FilesystemName: pick(entry, 'FilesystemName', 'string', FILESYSTEM_NAMES[type] ?? type.toUpperCase()),
    FilesystemUserVisibleName: pick(entry, 'FilesystemUserVisibleName', 'string', USER_VISIBLE_NAMES[type] ?? type.toUpperCase()),
    Internal: internal,
    // The medium itself comes out (an SD card, some USB sticks); an external hard disk is fixed.
    RemovableMedia: pick(entry, 'RemovableMedia', 'boolean', false),
    RemovableMediaOrExternalDevice: pick(entry, 'RemovableMediaOrExternalDevice', 'boolean', true),
    // "Ignore ownership on this volume": ticked (false here) by default on external volumes.
    GlobalPermissionsEnabled: pick(entry, 'GlobalPermissionsEnabled', 'boolean', internal),
    WritableVolume: pick(entry, 'WritableVolume', 'boolean', true),
    TotalSize: pinnedTotal ?? measured?.total ?? FALLBACK_TOTAL_SIZE,
    FreeSpace: pinnedFree ?? measured?.free ?? FALLBACK_FREE_SPACE,
  };
}

/** Every simulated volume, completed, keyed by normalized mount point. */
export function loadVolumes() {
  const disk = section(loadState(), 'diskutil', DISKUTIL_DEFAULTS);
  const volumes = disk.volumes ?? {};
  if (volumes === null || typeof volumes !== 'object' || Array.isArray(volumes)) {
    throw new SimulatorFault('diskutil.volumes must be a JSON object keyed by mount point');
  }
  return Object.entries(volumes).map(([mp, entry], i) => completeVolume(normalizeMountPoint(mp), entry, i));
}

/**
 * The volume `diskutil info <target>` describes, or undefined ("Could not find disk").
 * @param {string} target
 */
export function findVolume(target) {
  const volumes = loadVolumes();
  if (target.startsWith('/') && !target.startsWith('/dev/')) {
    const mp = normalizeMountPoint(target);
    return volumes.find((v) => v.MountPoint === mp);
  }
  const id = target.replace(/^\/dev\//, '');
  return (
    volumes.find((v) => v.DeviceIdentifier === id || v.VolumeUUID.toUpperCase() === target.toUpperCase()) ??
    volumes.find((v) => v.VolumeName === target)
  );
}
