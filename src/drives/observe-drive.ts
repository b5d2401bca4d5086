import path from 'node:path';
import type { HostReads } from '../host/host.js';
import type { DesiredDrive } from './types.js';
import type { DriveObserved } from './types.js';
import { diskutilInfo } from '../macos/diskutil-info.js';
import { expectedIdentity, findElsewhere, identifyMounted } from './identify-drive.js';
import { isKnown } from './identity.js';
import { isMountPoint } from './is-mount-point.js';

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
  if (st === undefined) return withElsewhere(host, drive, { kind: 'absent' });
  if (st.kind !== 'directory') return { kind: 'not-a-folder' };
  if (!(await isMountPoint(host, mount))) return withElsewhere(host, drive, { kind: 'not-mounted' });
  // A drive is an identity, not a path: a twin of the same name mounts at the same place.
  const expected = await expectedIdentity(host, drive);
  const id = await identifyMounted(host, mount, expected);
  if (!id.ok) {
    const elsewhere = await findElsewhere(host, mount, expected);
    return {
      kind: 'other-drive',
      found: id.identity,
      expected: id.expected,
      from: id.from,
      ...(elsewhere === undefined ? {} : { elsewhere: machineSibling(drive, elsewhere) }),
    };
  }
  const space = await host.statfs(mount);
  const markable = id.identity.marker !== undefined || (await host.canWrite(mount));
  return {
    kind: 'mounted',
    freeBytes: space.freeBytes,
    totalBytes: space.totalBytes,
    blockSize: space.blockSize,
    ...(isKnown(id.identity) ? { identity: id.identity } : {}),
    recognisedBy: expected.from,
    markable,
  };
}

/** An absent or stale drive folder, with where the drive is mounted instead when it is known and found. */
async function withElsewhere<T extends { kind: 'absent' | 'not-mounted' }>(host: HostReads, drive: DesiredDrive, observed: T): Promise<T> {
  const expected = await expectedIdentity(host, drive);
  const elsewhere = await findElsewhere(host, drive.mountPoint.host, expected);
  return elsewhere === undefined ? observed : { ...observed, elsewhere: machineSibling(drive, elsewhere) };
}

/** A sibling of the declared mount point, as the machine names it. */
function machineSibling(drive: DesiredDrive, hostPath: string): string {
  const m = drive.mountPoint.machine;
  const sep = m.includes('\\') && !m.includes('/') ? '\\' : '/';
  const cut = m.lastIndexOf(sep);
  return `${cut <= 0 ? '' : m.slice(0, cut)}${sep}${path.basename(hostPath)}`;
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
