import type { PlistValue } from 'plist';
import { ProvisionError, isProvisionError } from '../errors.js';
import type { HostReads, RunResult } from '../host/host.js';
import { parsePlistXml, preparePlistParser } from './plist.js';

/** What `diskutil info -plist <mount point>` says about a mounted volume. */
export interface DiskInfo {
  volumeName: string;
  /** Absent on some file systems and disk images. */
  volumeUuid: string | undefined;
  mountPoint: string;
  /** Short type: apfs, hfs, msdos, exfat, ... */
  filesystemType: string;
  /** "APFS", "Mac OS Extended (Journaled)", ...; the short type when diskutil omits it. */
  filesystemUserVisibleName: string;
  /** The personality: "APFS", "Case-sensitive APFS", "Journaled HFS+", ...; undefined when diskutil omits it. */
  filesystemName: string | undefined;
  internal: boolean;
  /** True for every external device: not what "removable media" means to Apple's photo rules. */
  removableOrExternal: boolean;
  /** The medium itself comes out (an SD card, some USB sticks); undefined when diskutil omits the key. */
  removableMedia: boolean | undefined;
  /** Ownership honoured (false: "Ignore ownership on this volume" is ticked); undefined when omitted. */
  globalPermissionsEnabled: boolean | undefined;
  writable: boolean;
  totalBytes: number;
  /** diskutil's FreeSpace; on APFS it may not count purgeable space, so statfs is the safer measure. */
  freeBytes: number;
}

const NOT_FOUND = 'Could not find disk';

type PlistDict = { readonly [key: string]: PlistValue };

function isDict(v: PlistValue): v is PlistDict {
  return typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !Buffer.isBuffer(v);
}

function unexpected(mountPoint: string, what: string, result: RunResult, cause?: unknown): ProvisionError {
  const detail = result.stderr.trim();
  return new ProvisionError(
    'COMMAND_FAILED',
    `diskutil info ${mountPoint}: ${what} (exit ${result.exitCode})${detail === '' ? '' : `: ${detail}`}`,
    {
      hint: `Run "diskutil info -plist ${mountPoint}" yourself to see what it says.`,
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

/** Reads the diskutil plist dict into DiskInfo; a key missing or of the wrong type is reported by name. */
function toDiskInfo(d: PlistDict): DiskInfo | string {
  const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const num = (k: string) => (typeof d[k] === 'number' ? (d[k] as number) : undefined);
  const bool = (k: string) => (typeof d[k] === 'boolean' ? (d[k] as boolean) : undefined);
  const volumeName = str('VolumeName');
  const mountPoint = str('MountPoint');
  const filesystemType = str('FilesystemType');
  const internal = bool('Internal');
  const removableOrExternal = bool('RemovableMediaOrExternalDevice');
  const writable = bool('WritableVolume');
  const totalBytes = num('TotalSize');
  const freeBytes = num('FreeSpace');
  if (volumeName === undefined) return 'VolumeName';
  if (mountPoint === undefined) return 'MountPoint';
  if (filesystemType === undefined) return 'FilesystemType';
  if (internal === undefined) return 'Internal';
  if (removableOrExternal === undefined) return 'RemovableMediaOrExternalDevice';
  if (writable === undefined) return 'WritableVolume';
  if (totalBytes === undefined) return 'TotalSize';
  if (freeBytes === undefined) return 'FreeSpace';
  return {
    volumeName,
    volumeUuid: str('VolumeUUID'),
    mountPoint,
    filesystemType,
    filesystemUserVisibleName: str('FilesystemUserVisibleName') ?? filesystemType,
    filesystemName: str('FilesystemName'),
    internal,
    removableOrExternal,
    removableMedia: bool('RemovableMedia'),
    globalPermissionsEnabled: bool('GlobalPermissionsEnabled'),
    writable,
    totalBytes,
    freeBytes,
  };
}

/**
 * Asks diskutil about the volume mounted at mountPoint. Undefined when diskutil is not on PATH
 * (not a Mac) or says "Could not find disk" (nothing is mounted there: the path is an ordinary
 * folder, a path inside a volume, or an SMB mount). Output it cannot read is a ProvisionError
 * with code COMMAND_FAILED, never a crash. The error plist is trusted over the exit status
 * because some macOS versions print it and still exit 0.
 */
export async function diskutilInfo(host: HostReads, mountPoint: string): Promise<DiskInfo | undefined> {
  if (!(await host.hasCommand('diskutil'))) return undefined;
  let result: RunResult;
  try {
    result = await host.query('diskutil', ['info', '-plist', mountPoint], { describesVolume: mountPoint, onSpawned: preparePlistParser });
  } catch (e) {
    if (isProvisionError(e)) throw e;
    throw new ProvisionError('COMMAND_FAILED', `diskutil info ${mountPoint} could not be run`, { cause: e });
  }
  if (result.stdout.trim() === '') {
    if (result.exitCode !== 0 && result.stderr.includes(NOT_FOUND)) return undefined;
    throw unexpected(mountPoint, 'printed nothing', result);
  }
  let parsed: PlistValue;
  try {
    parsed = await parsePlistXml(result.stdout);
  } catch (e) {
    throw unexpected(mountPoint, 'printed something that is not a property list', result, e);
  }
  if (!isDict(parsed)) throw unexpected(mountPoint, 'printed a property list that is not a dictionary', result);
  if (parsed['Error'] === true) {
    const message = typeof parsed['ErrorMessage'] === 'string' ? parsed['ErrorMessage'] : 'unknown error';
    if (message.startsWith(NOT_FOUND)) return undefined;
    throw unexpected(mountPoint, message, result);
  }
  if (result.exitCode !== 0) throw unexpected(mountPoint, 'failed', result);
  const info = toDiskInfo(parsed);
  if (typeof info === 'string') throw unexpected(mountPoint, `gave no usable ${info}`, result);
  return info;
}
