import path from 'node:path';
import type { HostReads } from '../host/host.js';
import type { DesiredDrive } from '../desired/machine-context.js';
import type { DriveObserved } from '../resources/linked-folder/types.js';
import { diskutilInfo } from './diskutil-info.js';

/**
 * Whether a drive is really there, and its free space; not its format (see withDriveFormat).
 * Its folder must be a mount point: a device number different from its parent's (or the same
 * inode as its parent, for "/"). A folder under /Volumes that is not a mount point is a stale
 * folder on the boot disk, and writing there would fill the small internal disk instead of the
 * drive.
 */
export async function observeDrive(host: HostReads, drive: DesiredDrive): Promise<DriveObserved> {
  const mount = drive.mountPoint.host;
  const st = await host.lstat(mount);
  if (st === undefined) return { kind: 'absent' };
  if (st.kind !== 'directory') return { kind: 'not-a-folder' };
  const parent = await host.lstat(path.dirname(mount));
  const isMountPoint = parent === undefined || parent.dev !== st.dev || parent.ino === st.ino;
  if (!isMountPoint) return { kind: 'not-mounted' };
  const space = await host.statfs(mount);
  return { kind: 'mounted', freeBytes: space.freeBytes, totalBytes: space.totalBytes, blockSize: space.blockSize };
}

/**
 * The observed drive with its format filled in, for a plan that is about to write to it: what
 * diskutil calls it where diskutil is on PATH, else the name statfs gives.
 */
export async function withDriveFormat(host: HostReads, drive: DesiredDrive, observed: DriveObserved): Promise<DriveObserved> {
  if (observed.kind !== 'mounted' || observed.fsType !== undefined) return observed;
  const mount = drive.mountPoint.host;
  const named = await diskutilType(host, mount);
  return { ...observed, fsType: named ?? (await host.statfs(mount)).fsType };
}

/**
 * What diskutil calls the file system at a mount point, asked once per host and mount point: a
 * plan observes the same drive for every resource on it (20 calls for 5 users' folders), and
 * a mounted volume's format does not change while one host is in use. Free space is not cached.
 */
const typeCache = new WeakMap<HostReads, Map<string, Promise<string | undefined>>>();

function diskutilType(host: HostReads, mount: string): Promise<string | undefined> {
  let byMount = typeCache.get(host);
  if (byMount === undefined) {
    byMount = new Map();
    typeCache.set(host, byMount);
  }
  let known = byMount.get(mount);
  if (known === undefined) {
    known = askDiskutil(host, mount);
    byMount.set(mount, known);
  }
  return known;
}

/**
 * diskutil knows Mac file systems (apfs, hfs) that statfs cannot name; where it is on PATH (a
 * Mac, or the simulator in tests) it is asked about the mount point as this process sees it.
 */
async function askDiskutil(host: HostReads, mount: string): Promise<string | undefined> {
  if (!(await host.hasCommand('diskutil'))) return undefined;
  try {
    return (await diskutilInfo(host, mount))?.filesystemType;
  } catch {
    // An unreadable diskutil answer only costs us the file system's name; statfs's stands.
    return undefined;
  }
}
