import path from 'node:path';
import { ProvisionError, errnoCode, isProvisionError } from '../../errors.js';
import type { HostReads } from '../../host/host.js';
import { compareIdentity, describeIdentity, isKnown, readIdentity, readMarker, type DriveIdentity } from '../../drives/identity.js';
import { isMountPoint } from '../../drives/is-mount-point.js';
import type { JournaledDrive } from '../journal/journal.js';

/**
 * The drive a move is about to write to, as it is now: the step's declared drive, or for an
 * entry journaled before drives had an identity, the volume holding `onDrive` (adopted: its
 * identity is recorded from what is mounted). undefined when no mounted volume holds it.
 */
export async function driveNow(
  host: HostReads,
  declared: { name: string; mount: string } | undefined,
  onDrive: string,
): Promise<JournaledDrive | undefined> {
  const mount = declared?.mount ?? (await volumeHolding(host, onDrive));
  if (mount === undefined || !(await isMountPoint(host, mount))) return undefined;
  const dev = (await host.lstat(mount))?.dev;
  const drive: JournaledDrive = { name: declared?.name ?? path.basename(mount), mount, identity: await identityNow(host, mount, dev) };
  // Just read in full: the gates of this run recognise it by marker and device number.
  if (dev !== undefined && drive.identity.marker !== undefined) provenThisRun.set(drive, { dev, marker: drive.identity.marker });
  return drive;
}

/**
 * Volumes whose identity was read in full a moment ago in this run (remembering a drive reads
 * its UUID right before the move begins on it), by mount point, with the device number and
 * marker seen then.
 */
const readThisRun = new Map<string, { dev: number; identity: DriveIdentity }>();

/** Notes a volume's identity just read in full (its UUID asked of the system), for identityNow. */
export function noteIdentityRead(mount: string, dev: number, identity: DriveIdentity): void {
  if (identity.marker !== undefined) readThisRun.set(mount, { dev, identity });
}

/**
 * The identity of the volume at mount: the one read in full earlier in this run when the same
 * volume is still there (same device number, same marker: a swap changes one of them, as in
 * requireSameDrive), otherwise read in full now (diskutil on a Mac).
 */
async function identityNow(host: HostReads, mount: string, dev: number | undefined): Promise<DriveIdentity> {
  const seen = readThisRun.get(mount);
  if (seen !== undefined && dev === seen.dev && seen.identity.marker !== undefined && (await readMarker(host, mount)) === seen.identity.marker) return seen.identity;
  return readIdentity(host, mount);
}

/** The mount point of the volume holding p: the nearest folder above it whose device differs from its parent's. */
async function volumeHolding(host: HostReads, p: string): Promise<string | undefined> {
  let d = p;
  while ((await host.lstat(d)) === undefined) {
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
  for (;;) {
    if (await isMountPoint(host, d)) return d;
    const up = path.dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** Drives proven in full during this run (by the journaled drive object), with what was seen then. */
const provenThisRun = new WeakMap<JournaledDrive, { dev: number; marker?: string }>();

/**
 * Right before a destructive step: the drive at the journaled mount point must be mounted and be
 * the drive the move began with. A drive journaled without any identity (none readable) is
 * judged by the data alone (the caller compares it).
 */
export async function requireSameDrive(host: HostReads, drive: JournaledDrive | undefined, keeps: string): Promise<void> {
  if (drive === undefined) return;
  try {
    if (!(await isMountPoint(host, drive.mount))) {
      throw new ProvisionError('DRIVE_GONE', `drive ${drive.name} is no longer mounted at ${drive.mount}. ${keeps}`, {
        hint: `connect drive ${drive.name} and run provision apply again: it is finished from where it stopped`,
      });
    }
    if (!isKnown(drive.identity)) return;
    // Within one run, a drive proven by its UUID is known again by its marker and device number
    // (a swap makes the marker differ, or the device number): asking diskutil at every phase
    // costs a process each time.
    const dev = (await host.lstat(drive.mount))?.dev;
    const proven = provenThisRun.get(drive);
    if (proven !== undefined && dev === proven.dev && proven.marker !== undefined && (await readMarker(host, drive.mount)) === proven.marker) return;
    const live = await readIdentity(host, drive.mount);
    if (compareIdentity(drive.identity, live) === 'same' && dev !== undefined) provenThisRun.set(drive, { dev, ...(live.marker === undefined ? {} : { marker: live.marker }) });
    if (compareIdentity(drive.identity, live) !== 'same') {
      throw new ProvisionError(
        'DRIVE_MISMATCH',
        `the volume mounted at ${drive.mount} is not the drive this move began on: it has ${describeIdentity(live)}, the move's drive has ${describeIdentity(drive.identity)}. ${keeps}`,
        { hint: `eject it, connect drive ${drive.name} (the one the move began on), and run provision apply again` },
      );
    }
  } catch (e) {
    if (isProvisionError(e)) throw e;
    throw new ProvisionError('DRIVE_GONE', `drive ${drive.name} at ${drive.mount} cannot be read (${errnoCode(e) ?? 'error'}). ${keeps}`, {
      hint: `check that drive ${drive.name} is connected and run provision apply again`,
      cause: e,
    });
  }
}
