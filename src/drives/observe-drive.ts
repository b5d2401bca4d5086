import path from 'node:path';
import type { HostReads } from '../host/host.js';
import type { DesiredDrive } from './types.js';
import type { DriveObserved } from './types.js';
import { OWNERSHIP_HONOURED_FS_TYPES, OWNERSHIP_IGNORED_FS_TYPES } from '../assumptions.js';
import { diskutilInfo } from '../macos/diskutil-info.js';
import { macMountType } from '../macos/mount-type.js';
import { expectedIdentity, findElsewhere, identifyMounted } from './identify-drive.js';
import { isKnown } from './identity.js';
import { isMountPoint } from './is-mount-point.js';
import { isLetterRoot, networkShare } from './windows-letters.js';

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
  if (isLetterRoot(drive.mountPoint.machine)) {
    // A junction cannot point to a network location: a mapped letter is never the drive.
    const share = await networkShare(host, mount);
    if (share !== undefined) return { kind: 'network', share };
  }
  if (!(await isMountPoint(host, mount))) return withElsewhere(host, drive, { kind: 'not-mounted' });
  // A drive is an identity, not a path: a twin of the same name mounts at the same place.
  const expected = await expectedIdentity(host, drive);
  const id = await identifyMounted(host, mount, expected);
  if (!id.ok) {
    const elsewhere = isLetterRoot(drive.mountPoint.machine) ? undefined : await findElsewhere(host, mount, expected);
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
  // Windows letters are not siblings in a folder: a drive under another letter is placed there
  // before planning (windows-letters.ts), so one still missing is nowhere provision can see.
  if (isLetterRoot(drive.mountPoint.machine)) return observed;
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
 * diskutil says where diskutil is on PATH (a Mac), else what statfs names. A Mac's network share
 * is unknown to diskutil, so its type comes from the mount listing (macos/mount-type.ts).
 */
export async function withDriveFormat(host: HostReads, drive: DesiredDrive, observed: DriveObserved): Promise<DriveObserved> {
  if (observed.kind !== 'mounted' || observed.fsType !== undefined) return observed;
  const mount = drive.mountPoint.host;
  const format = (await macFormat(host, mount)) ?? { fsType: (await host.statfs(mount)).fsType };
  const ownership = format.ownership ?? ownershipOfType(format.fsType);
  return { ...observed, ...format, ...(ownership === undefined ? {} : { ownership }) };
}

/** What a Mac says of a volume's format; undefined off a Mac or when neither tool can tell. */
interface MacFormat {
  fsType: string;
  fsName?: string;
  removableMedia?: boolean;
  ownership?: 'honoured' | 'ignored';
}

/**
 * Whether a format keeps owners apart, decided from its type where nothing better is known
 * (assumptions.ts OWNERSHIP_IGNORED_FS_TYPES); undefined for a type we cannot tell of.
 */
export function ownershipOfType(fsType: string): 'honoured' | 'ignored' | undefined {
  const type = fsType.toLowerCase();
  if (OWNERSHIP_IGNORED_FS_TYPES.includes(type)) return 'ignored';
  if (OWNERSHIP_HONOURED_FS_TYPES.includes(type)) return 'honoured';
  return undefined;
}

/**
 * What diskutil (or mount) says of the file system at a mount point, asked once per host and
 * mount point: a plan observes the same drive for every resource on it (20 calls for 5 users'
 * folders), and a mounted volume's format does not change while one host is in use. Free space
 * is not cached.
 */
const formatCache = new WeakMap<HostReads, Map<string, Promise<MacFormat | undefined>>>();

function macFormat(host: HostReads, mount: string): Promise<MacFormat | undefined> {
  let byMount = formatCache.get(host);
  if (byMount === undefined) {
    byMount = new Map();
    formatCache.set(host, byMount);
  }
  let known = byMount.get(mount);
  if (known === undefined) {
    known = askMac(host, mount);
    byMount.set(mount, known);
  }
  return known;
}

/**
 * diskutil knows Mac file systems (apfs, hfs) that statfs cannot name, and whether the medium is
 * removable and ownership honoured; where it is on PATH (a Mac, or the simulator in tests) it is
 * asked about the mount point as this process sees it. When it does not know the mount point
 * (a network share), the mount listing names its type.
 */
async function askMac(host: HostReads, mount: string): Promise<MacFormat | undefined> {
  if (!(await host.hasCommand('diskutil'))) return undefined;
  try {
    const info = await diskutilInfo(host, mount);
    if (info === undefined) {
      const type = await macMountType(host, mount);
      return type === undefined ? undefined : { fsType: type };
    }
    return {
      fsType: info.filesystemType,
      ...(info.filesystemName === undefined ? {} : { fsName: info.filesystemName }),
      ...(info.removableMedia === undefined ? {} : { removableMedia: info.removableMedia }),
      ...(info.globalPermissionsEnabled === undefined ? {} : { ownership: info.globalPermissionsEnabled ? 'honoured' : 'ignored' }),
    };
  } catch {
    // An unreadable diskutil or mount answer only costs us the file system's name; statfs's stands.
    return undefined;
  }
}
