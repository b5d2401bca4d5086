import path from 'node:path';
import type { HostReads } from '../host/host.js';
import type { DesiredDrive } from './types.js';
import { recordedIdentities } from './drive-record.js';
import { compareIdentity, describeIdentity, isKnown, matchesPin, readMarker, volumeUuid, type DriveIdentity } from './identity.js';

/** What is known of the drive a declared name must be: pinned ids, or the identities remembered here. */
export type Expected =
  | { from: 'pinned'; pins: string[] }
  | { from: 'recorded'; ids: DriveIdentity[] }
  | { from: 'nothing' };

export async function expectedIdentity(host: HostReads, drive: DesiredDrive): Promise<Expected> {
  if (drive.pins.length > 0) return { from: 'pinned', pins: drive.pins };
  const ids = drive.records === undefined ? [] : (await recordedIdentities(host, drive.records, drive.name)).filter(isKnown);
  return ids.length > 0 ? { from: 'recorded', ids } : { from: 'nothing' };
}

export type Identified = { ok: true; identity: DriveIdentity } | { ok: false; identity: DriveIdentity; expected: string; from: 'pinned' | 'recorded' };

/**
 * Whether the volume mounted at `mount` is the drive expected. The marker is read first (a file,
 * no process); the volume UUID is asked for only when the marker does not settle it, so a
 * converged plan on the right drive starts no process.
 */
export async function identifyMounted(host: HostReads, mount: string, expected: Expected): Promise<Identified> {
  const marker = await readMarker(host, mount);
  const withMarker: DriveIdentity = marker === undefined ? {} : { marker };
  if (expected.from === 'nothing') return { ok: true, identity: withMarker };
  if (expected.from === 'pinned' && marker !== undefined && expected.pins.includes(marker)) return { ok: true, identity: withMarker };
  if (expected.from === 'recorded' && marker !== undefined && expected.ids.some((r) => r.marker === marker)) return { ok: true, identity: withMarker };
  const uuid = await volumeUuid(host, mount);
  const identity: DriveIdentity = { ...withMarker, ...(uuid === undefined ? {} : { uuid }) };
  if (expected.from === 'pinned') {
    return matchesPin(identity, expected.pins)
      ? { ok: true, identity }
      : { ok: false, identity, from: 'pinned', expected: expected.pins.length === 1 ? `id ${expected.pins[0] ?? ''}` : `one of the ids ${expected.pins.join(', ')}` };
  }
  if (expected.ids.some((r) => compareIdentity(r, identity) === 'same')) return { ok: true, identity };
  return { ok: false, identity, from: 'recorded', expected: expected.ids.map(describeIdentity).join(' or ') };
}

/**
 * Where the expected drive is mounted instead, looking beside the declared mount point (macOS
 * mounts a second volume of the same name at "/Volumes/<name> 1"). Host paths.
 */
export async function findElsewhere(host: HostReads, mount: string, expected: Expected): Promise<string | undefined> {
  if (expected.from === 'nothing') return undefined;
  const parent = path.dirname(mount);
  const parentSt = await host.lstat(parent);
  if (parentSt?.kind !== 'directory') return undefined;
  let names: string[];
  try {
    names = await host.readdir(parent);
  } catch {
    return undefined;
  }
  for (const name of names) {
    const p = path.join(parent, name);
    if (p === mount) continue;
    const st = await host.lstat(p);
    if (st?.kind !== 'directory' || st.dev === parentSt.dev) continue;
    if ((await identifyMounted(host, p, expected)).ok) return p;
  }
  return undefined;
}
