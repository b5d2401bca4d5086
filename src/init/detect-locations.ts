/**
 * What the user already has of each kind provision manages, and how big it is: the MobileSync
 * Backup folder(s) with their device backups, the photo libraries in ~/Pictures, the music
 * media folders. Reads only; links are resolved through the path mapper, never by the OS, so
 * this works under --root as plan does. A place that is already a link into a mounted drive (the
 * recipe done by hand) is reported with the folder it points at, so init can declare exactly
 * that folder and the first plan has nothing to move.
 */

import { MUSIC_MEDIA_FOLDERS } from '../assumptions.js';
import { kindAppliesOn } from '../config/model/effective.js';
import { PROPOSED_KINDS, type ProposedKind } from './proposed-kinds.js';
import { errnoCode } from '../errors.js';
import type { HostReads } from '../host/host.js';
import { mobileSyncFolders } from '../kinds/mobilesync/index.js';
import { DEFAULT_PHOTO_LIBRARY_NAMES } from '../kinds/photos/index.js';
import type { DetectedDrive } from './detect-drives.js';
import type { DetectedMachine } from './detect-machine.js';

export type PlaceState =
  | { kind: 'absent' }
  | { kind: 'folder'; entries: number; files: number; bytes: number }
  | { kind: 'link'; target: string; at: Exclude<PlaceState, { kind: 'link' }> }
  | { kind: 'unreadable'; code: string }
  | { kind: 'other' };

export interface FoundPlace {
  /** The place in the home, as the machine sees it. */
  path: string;
  /** Its last name: a library package, iTunes, Media, Backup. */
  name: string;
  state: PlaceState;
  /** For a link into a detected drive: that drive, and the declared location it amounts to. */
  onDrive?: { drive: DetectedDrive; path: string };
}

export interface KindFindings {
  kind: ProposedKind;
  /** Places that exist; for MobileSync every place the apps use, absent ones too. */
  places: FoundPlace[];
  /** Photo libraries in ~/Pictures besides the default names, for `libraries:`. */
  extraLibraries: string[];
}

const LIBRARY_PACKAGE = /\.(photoslibrary|photolibrary)$/i;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export async function detectLocations(reads: HostReads, m: DetectedMachine, drives: readonly DetectedDrive[]): Promise<KindFindings[]> {
  const found: KindFindings[] = [];
  for (const kind of PROPOSED_KINDS) {
    if (!kindAppliesOn(kind, m.platform)) continue;
    found.push(await detectKind(reads, m, drives, kind));
  }
  return found;
}

async function detectKind(reads: HostReads, m: DetectedMachine, drives: readonly DetectedDrive[], kind: ProposedKind): Promise<KindFindings> {
  const join = (...s: string[]): string => m.paths.machine.join(m.home.machine, ...s);
  switch (kind) {
    case 'mobilesync': {
      // The location is the Backup folder itself: the link's target is the declared folder.
      const places = await Promise.all(mobileSyncFolders(m.platform).map((f) => observePlace(reads, m, drives, join(...f), false)));
      return { kind, places, extraLibraries: [] };
    }
    case 'photos': {
      const names = await libraryNames(reads, m);
      const places = await Promise.all(names.map((n) => observePlace(reads, m, drives, join('Pictures', n), true)));
      const defaults = new Set(DEFAULT_PHOTO_LIBRARY_NAMES.map((n) => n.toLowerCase()));
      return { kind, places: places.filter(exists), extraLibraries: names.filter((n) => !defaults.has(n.toLowerCase())) };
    }
    case 'music': {
      const places = await Promise.all(MUSIC_MEDIA_FOLDERS.map((f) => observePlace(reads, m, drives, join(...f.segments), true)));
      return { kind, places: places.filter(exists), extraLibraries: [] };
    }
  }
}

function exists(p: FoundPlace): boolean {
  return p.state.kind !== 'absent';
}

/** The default library names present in ~/Pictures, then any other library package there. */
async function libraryNames(reads: HostReads, m: DetectedMachine): Promise<string[]> {
  let entries: string[];
  try {
    entries = await reads.readdir(m.paths.toHost(m.paths.machine.join(m.home.machine, 'Pictures')));
  } catch {
    return [];
  }
  const present = (name: string): string | undefined => entries.find((e) => e.toLowerCase() === name.toLowerCase());
  const defaults = DEFAULT_PHOTO_LIBRARY_NAMES.map(present).filter((n): n is string => n !== undefined);
  const others = entries
    .filter((e) => LIBRARY_PACKAGE.test(e) && !e.startsWith('.') && !CONTROL.test(e) && !defaults.includes(e))
    .sort((a, b) => a.localeCompare(b));
  return [...defaults, ...others];
}

/**
 * One place in the home. `whole` is for a place that moves whole into the declared folder under
 * its own name (a library, iTunes): a link to it then names `<location>/<name>` on the drive.
 */
async function observePlace(reads: HostReads, m: DetectedMachine, drives: readonly DetectedDrive[], machinePath: string, whole: boolean): Promise<FoundPlace> {
  const name = m.paths.machine.basename(machinePath);
  const hostPath = m.paths.toHost(machinePath);
  let st;
  try {
    st = await reads.lstat(hostPath);
  } catch (e) {
    return { path: machinePath, name, state: { kind: 'unreadable', code: errnoCode(e) ?? 'EIO' } };
  }
  if (st === undefined) return { path: machinePath, name, state: { kind: 'absent' } };
  if (st.kind !== 'symlink') return { path: machinePath, name, state: await observeTarget(reads, hostPath, st.kind) };
  const raw = await reads.readlink(hostPath);
  const target = m.paths.resolveLinkTarget(machinePath, raw);
  let at: Exclude<PlaceState, { kind: 'link' }>;
  try {
    const tst = await reads.lstat(m.paths.toHost(target));
    at = tst === undefined ? { kind: 'absent' } : await observeTarget(reads, m.paths.toHost(target), tst.kind);
  } catch (e) {
    at = { kind: 'unreadable', code: errnoCode(e) ?? 'EIO' };
  }
  const place: FoundPlace = { path: machinePath, name, state: { kind: 'link', target, at } };
  const onDrive = locationOnDrive(m, drives, target, whole ? name : undefined);
  return onDrive === undefined ? place : { ...place, onDrive };
}

async function observeTarget(reads: HostReads, hostPath: string, kind: string): Promise<Exclude<PlaceState, { kind: 'link' | 'absent' }>> {
  if (kind !== 'directory') return { kind: 'other' };
  try {
    const entries = (await reads.readdir(hostPath)).filter((n) => !n.startsWith('.'));
    const s = await reads.summarize(hostPath);
    return { kind: 'folder', entries: entries.length, files: s.files + s.symlinks, bytes: s.bytes };
  } catch (e) {
    // On a Mac without Full Disk Access even root gets EPERM listing MobileSync.
    return { kind: 'unreadable', code: errnoCode(e) ?? 'EIO' };
  }
}

/**
 * The declared location a link's target amounts to, when it is inside a detected drive: the
 * folder itself (MobileSync), or the folder holding `<name>` (a library moves in whole under its
 * own name, so only a target ending in that name fits).
 */
function locationOnDrive(m: DetectedMachine, drives: readonly DetectedDrive[], target: string, name: string | undefined): FoundPlace['onDrive'] {
  const pm = m.paths.machine;
  for (const drive of drives) {
    const rel = pm.relative(drive.mountPoint.machine, target);
    if (rel === '' || rel.startsWith('..') || pm.isAbsolute(rel)) continue;
    const segments = rel.split(pm.sep).filter((s) => s !== '');
    if (name !== undefined) {
      const last = segments.pop();
      if (last === undefined || last.toLowerCase() !== name.toLowerCase()) return undefined;
    }
    if (segments.length === 0 || segments.some((s) => CONTROL.test(s))) return undefined;
    return { drive, path: segments.join('/') };
  }
  return undefined;
}
