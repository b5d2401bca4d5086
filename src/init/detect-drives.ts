/**
 * The external drives mounted on the machine right now, with their free space. Reads only.
 * A drive counts only if its folder is a mount point (the rule of drives/observe-drive.ts, the
 * same one plan applies), so a stale folder left in /Volumes is never offered, and the boot
 * volume, which /Volumes lists as a link to /, is skipped as not a folder.
 *
 * Where each platform mounts drives:
 * - macOS: /Volumes/<name>;
 * - Windows: the drive letters D: to Z: (C: is the system; A: and B: were floppies);
 * - Linux: what desktops automount (/media/<user>/<label>, /run/media/<user>/<label>, or
 *   /media/<label> on older systems), and /mnt/<name>.
 */

import { NETWORK_FS_TYPES } from '../assumptions.js';
import type { DualPath } from '../machine/path-mapper.js';
import { observeDrive, withDriveFormat } from '../drives/observe-drive.js';
import { readIdentity, type DriveIdentity } from '../drives/identity.js';
import type { HostReads } from '../host/host.js';
import { readDestinations } from '../kinds/timemachine/index.js';
import type { DetectedMachine } from './detect-machine.js';

export interface DetectedDrive {
  /** What a person calls it: the volume's folder name, the mount folder's name, or the letter (E:). */
  label: string;
  /** What its key in the declaration is made from: the label, or drive-e for Windows' E:. */
  keyBase: string;
  mountPoint: DualPath;
  freeBytes: number;
  totalBytes: number;
  /** diskutil's short name where diskutil is on PATH (apfs, hfs, exfat...), else statfs's. */
  fsType: string;
  writable: boolean;
  network: boolean;
  /** A Mac backs up to it with Time Machine (tmutil destinationinfo): data goes there last, photo libraries never. */
  timeMachine: boolean;
  /** What identifies it (volume UUID, provision's marker), pinned as "id:" in the declaration. */
  identity: DriveIdentity;
}

/** Names in /Volumes that are macOS's own, not a drive someone plugged in. */
const MAC_SYSTEM_VOLUMES = new Set(['com.apple.timemachine.localsnapshots']);

async function childFolders(reads: HostReads, m: DetectedMachine, machineDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await reads.readdir(m.paths.toHost(machineDir));
  } catch {
    // No such folder here (no /media on this Linux, no /Volumes under this --root): no drives there.
    return [];
  }
  return names
    .filter((n) => !n.startsWith('.'))
    .sort((a, b) => a.localeCompare(b))
    .map((n) => m.paths.machine.join(machineDir, n));
}

/** Places where a drive may be mounted, in the order they are offered. */
async function candidates(reads: HostReads, m: DetectedMachine): Promise<string[]> {
  switch (m.platform) {
    case 'macos':
      return (await childFolders(reads, m, '/Volumes')).filter((p) => !MAC_SYSTEM_VOLUMES.has(m.paths.machine.basename(p).toLowerCase()));
    case 'windows':
      return 'DEFGHIJKLMNOPQRSTUVWXYZ'.split('').map((l) => `${l}:\\`);
    case 'linux': {
      const media = await childFolders(reads, m, '/media');
      // /media/<user> holds a desktop's automounted drives; any other entry is a drive itself.
      const perUser = media.filter((p) => m.paths.machine.basename(p) === m.user);
      const under = [...perUser, `/run/media/${m.user}`];
      const nested = (await Promise.all(under.map((p) => childFolders(reads, m, p)))).flat();
      const direct = media.filter((p) => !perUser.includes(p));
      return [...nested, ...direct, ...(await childFolders(reads, m, '/mnt'))];
    }
  }
}

function labelOf(m: DetectedMachine, mountPoint: string): string {
  return m.platform === 'windows' ? mountPoint.slice(0, 2) : m.paths.machine.basename(mountPoint);
}

/**
 * The mount points a Mac backs up to with Time Machine, as this process sees them (tmutil,
 * like the timemachine resource, reports them that way). Empty when tmutil is not there or
 * cannot be asked (no Full Disk Access): the drives are then offered without that caveat.
 */
async function timeMachineMounts(reads: HostReads, m: DetectedMachine): Promise<string[]> {
  if (m.platform !== 'macos' || !(await reads.hasCommand('tmutil'))) return [];
  try {
    return (await readDestinations(reads)).flatMap((d) => (d.mountPoint === undefined ? [] : [d.mountPoint.replace(/\/+$/, '')]));
  } catch {
    return [];
  }
}

export async function detectDrives(reads: HostReads, m: DetectedMachine): Promise<DetectedDrive[]> {
  const found: DetectedDrive[] = [];
  const backedUpTo = await timeMachineMounts(reads, m);
  for (const machinePath of await candidates(reads, m)) {
    const mountPoint = { machine: machinePath, host: m.paths.toHost(machinePath) };
    const drive = { name: labelOf(m, machinePath), mountPoint, pins: [] };
    let observed;
    try {
      observed = await observeDrive(reads, drive);
    } catch {
      // A drive that cannot even be looked at (an empty card reader, a hung share) is not offered.
      continue;
    }
    if (observed.kind !== 'mounted') continue;
    const space = await reads.statfs(mountPoint.host);
    const typed = await withDriveFormat(reads, drive, observed);
    const fsType = (typed.kind === 'mounted' ? typed.fsType : undefined) ?? space.fsType;
    found.push({
      label: drive.name,
      keyBase: m.platform === 'windows' ? `drive-${drive.name.slice(0, 1).toLowerCase()}` : drive.name,
      mountPoint,
      freeBytes: observed.freeBytes,
      totalBytes: space.totalBytes,
      fsType,
      writable: await reads.canWrite(mountPoint.host),
      network: NETWORK_FS_TYPES.includes(fsType.toLowerCase()),
      timeMachine: backedUpTo.includes(mountPoint.host),
      identity: await readIdentity(reads, mountPoint.host),
    });
  }
  return found;
}

/** Drives in the order init prefers them for data: writable local drives that are not Time Machine's first. */
export function preferredOrder<D extends { drive: DetectedDrive }>(drives: readonly D[]): D[] {
  const rank = (d: DetectedDrive): number => (d.writable ? 0 : 4) + (d.timeMachine ? 2 : 0) + (d.network ? 1 : 0);
  return [...drives].sort((a, b) => rank(a.drive) - rank(b.drive));
}

/** The formats Apple supports for a photo library (app-library/drive-rules.ts applies the same rule when planning). */
export function holdsPhotoLibraries(d: DetectedDrive): boolean {
  return !d.network && !d.timeMachine && ['apfs', 'hfs'].includes(d.fsType.toLowerCase());
}

/** Why photo libraries may not go on a drive, in words; undefined when they may. */
export function whyNoPhotoLibraries(d: DetectedDrive): string | undefined {
  if (d.network) return 'it is a network share';
  if (d.timeMachine) return 'Time Machine backs up to it';
  if (!['apfs', 'hfs'].includes(d.fsType.toLowerCase())) return `it is formatted ${d.fsType}, not APFS or Mac OS Extended`;
  return undefined;
}
