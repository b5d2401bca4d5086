import path from 'node:path';
import type { HostReads } from '../host/host.js';
import { diskutilInfo } from '../macos/diskutil-info.js';

/**
 * What a drive is, as opposed to where it is mounted (a twin drive of the same name mounts at
 * the same place). Two parts, either of which may be missing:
 * - uuid: the volume's own identity from the platform: `VolumeUUID` of `diskutil info -plist` on
 *   a Mac, the file system UUID (`findmnt -no UUID`) on Linux. A tmpfs, a network share and some
 *   disk images have none; on Windows the volume GUID (`mountvol E:\\ /L`).
 * - marker: the id in provision's own marker file at the drive's top (MARKER_FILE), written the
 *   first time provision writes to the drive. It identifies drives without a uuid (tmpfs drives
 *   in tests, shares), and it is read without starting a process, so a converged plan stays
 *   cheap. A marker can be copied with the drive's files (a clone made with Finder or rsync),
 *   which is why the uuid, when both sides have one, decides.
 */
export interface DriveIdentity {
  uuid?: string;
  marker?: string;
}

export const MARKER_FILE = '.provision-drive.json';

/** Whether two identities are one drive: 'unknown' when neither part can be compared. */
export function compareIdentity(expected: DriveIdentity, live: DriveIdentity): 'same' | 'different' | 'unknown' {
  if (expected.uuid !== undefined && live.uuid !== undefined) return sameUuid(expected.uuid, live.uuid) ? 'same' : 'different';
  if (expected.marker !== undefined) {
    // provision's marker stays on the drive it was written to: a drive without it is another one.
    return live.marker === expected.marker ? 'same' : 'different';
  }
  return 'unknown';
}

/** Whether a drive matches one of the ids pinned in the declaration (marker ids or volume UUIDs). */
export function matchesPin(live: DriveIdentity, pins: readonly string[]): boolean {
  return pins.some((p) => p === live.marker || (live.uuid !== undefined && sameUuid(p, live.uuid)));
}

/** Whether an identity has anything to compare. */
export function isKnown(id: DriveIdentity | undefined): id is DriveIdentity {
  return id !== undefined && (id.uuid !== undefined || id.marker !== undefined);
}

/** Short text for messages: the uuid, else the marker id, else "no identity". */
export function describeIdentity(id: DriveIdentity | undefined): string {
  if (id?.uuid !== undefined) return `volume UUID ${id.uuid}`;
  if (id?.marker !== undefined) return `provision id ${id.marker}`;
  return 'no identity provision can read';
}

function sameUuid(a: string, b: string): boolean {
  // A Windows volume GUID may be written with or without its braces.
  const bare = (s: string): string => s.replace(/^\{|\}$/g, '').toUpperCase();
  return bare(a) === bare(b);
}

/** The marker's id at the drive's top, or undefined when there is none (or it is not provision's). */
export async function readMarker(host: HostReads, mount: string): Promise<string | undefined> {
  const file = path.join(mount, MARKER_FILE);
  const st = await host.lstat(file).catch(() => undefined);
  if (st?.kind !== 'file' || st.size > 4096) return undefined;
  try {
    const v = JSON.parse((await host.readFile(file)).toString('utf8')) as { provision?: unknown; id?: unknown };
    return v.provision === 'drive' && typeof v.id === 'string' && /^[A-Za-z0-9-]{8,64}$/.test(v.id) ? v.id : undefined;
  } catch {
    // Unreadable or not JSON: not a marker provision can vouch for.
    return undefined;
  }
}

/** The marker file's content for a new id. */
export function markerContent(id: string, name: string): string {
  return `${JSON.stringify({ provision: 'drive', id, name, note: 'Written by provision to recognise this drive. Keep it.' }, null, 2)}\n`;
}

/**
 * The volume's own UUID, asking the platform's tool (a process). undefined when the volume has
 * none or the tool cannot tell. Each platform has its own tool, and only it: diskutil on a Mac,
 * mountvol on Windows, findmnt on Linux.
 */
export async function volumeUuid(host: HostReads, mount: string): Promise<string | undefined> {
  if (await host.hasCommand('diskutil')) {
    const info = await diskutilInfo(host, mount).catch(() => undefined);
    if (info?.volumeUuid !== undefined && info.volumeUuid !== '') return info.volumeUuid;
  }
  if (await host.hasCommand('mountvol')) {
    const guid = await mountvolGuid(host, mount);
    if (guid !== undefined) return guid;
  }
  if (await host.hasCommand('findmnt')) {
    const r = await host.query('findmnt', ['--noheadings', '--output', 'UUID', '--mountpoint', mount]);
    const uuid = r.exitCode === 0 ? r.stdout.trim() : '';
    return uuid === '' ? undefined : uuid;
  }
  return undefined;
}

/** Both parts of the identity of the volume mounted at mount. */
export async function readIdentity(host: HostReads, mount: string): Promise<DriveIdentity> {
  const [marker, uuid] = await Promise.all([readMarker(host, mount), volumeUuid(host, mount)]);
  return { ...(uuid === undefined ? {} : { uuid }), ...(marker === undefined ? {} : { marker }) };
}

/**
 * The GUID of the volume mounted at a Windows letter or folder: `mountvol PATH /L` lists its
 * volume name, \\?\Volume{GUID}\ (Microsoft Learn, "mountvol"). Only that form is looked for in
 * what it prints (MOUNTVOL_LISTS_VOLUME_NAME); none (a plain folder, a network letter, a
 * refusal) is no GUID.
 */
async function mountvolGuid(host: HostReads, mount: string): Promise<string | undefined> {
  const r = await host.query('mountvol', [mount, '/L']).catch(() => undefined);
  if (r === undefined || r.exitCode !== 0) return undefined;
  const m = /\\\\\?\\Volume(\{[0-9A-Fa-f-]{36}\})\\/.exec(r.stdout);
  return m?.[1]?.toUpperCase();
}
