/**
 * Where init declares each kind of the user's data: a pure function of what was found and the
 * drives at hand. A location init cannot vouch for is still written, commented out, with the
 * reason, so the file validates and plans cleanly as written and says what to add later.
 *
 * The rules, in order:
 * 1. a place already linked into a mounted drive keeps that folder (nothing moves);
 * 2. with no home folder, or no drive, nothing is declared;
 * 3. photo libraries and music are declared only when the user has some; iOS backups always
 *    (the folder on the drive and the link are made before the first backup);
 * 4. the first of the drives in order (writable local drives that are not Time Machine's
 *    first), and for photo libraries the first that Apple allows them on (APFS or Mac OS
 *    Extended, not a network share, not the Time Machine drive).
 */

import type { ProposedKind } from './proposed-kinds.js';
import { holdsPhotoLibraries, whyNoPhotoLibraries, type DetectedDrive } from './detect-drives.js';
import type { KindFindings } from './detect-locations.js';

/** A drive init may put data on, under the key the declaration gives it. */
export interface KeyedDrive {
  key: string;
  drive: DetectedDrive;
}

export interface LocationChoice {
  kind: ProposedKind;
  /** False: written commented out, for the reason given. */
  active: boolean;
  /** The drive key; undefined only when there is no drive at all. */
  drive: string | undefined;
  path: string;
  libraries: string[];
  /** Why it is commented out, or a caveat about an active one; for comments and the report. */
  note?: string;
  /** Bytes and files that a first apply would move onto the drive. */
  moves: { bytes: number; files: number };
}

export interface ChooseInput {
  user: string;
  homeExists: boolean;
  home: string;
  findings: readonly KindFindings[];
  /** In the order they are preferred. */
  drives: readonly KeyedDrive[];
}

const FOLDER: Record<ProposedKind, string> = { mobilesync: 'MobileSync', photos: 'Photos', music: 'Music' };

/** Space a move needs besides the bytes: block rounding, as the plan's space check counts it. */
const PER_FILE_OVERHEAD = 4096;

export function chooseLocations(input: ChooseInput): LocationChoice[] {
  const choices = input.findings.map((f) => chooseOne(input, f));
  // A drive can be too small for everything that would move onto it together.
  for (const { key, drive } of input.drives) {
    const onIt = choices.filter((c) => c.active && c.drive === key);
    const need = onIt.reduce((n, c) => n + c.moves.bytes + c.moves.files * PER_FILE_OVERHEAD, 0);
    if (need > drive.freeBytes) {
      for (const c of onIt) if (c.moves.bytes > 0) c.note ??= `not enough free space on ${key} for everything declared on it: plan will block until there is`;
    }
  }
  return choices;
}

function chooseOne(input: ChooseInput, f: KindFindings): LocationChoice {
  const base = { kind: f.kind, path: `${FOLDER[f.kind]}/${input.user}`, libraries: f.kind === 'photos' ? [...f.extraLibraries] : [] };
  const nothing = { bytes: 0, files: 0 };
  const first = input.drives[0]?.key;

  const linked = f.places.map((p) => p.onDrive).find((d) => d !== undefined);
  if (linked !== undefined) {
    const key = input.drives.find((d) => d.drive === linked.drive)?.key;
    if (key !== undefined) return { ...base, active: true, drive: key, path: linked.path, note: `already linked to this folder on ${key}`, moves: movesOf(f) };
  }
  if (!input.homeExists) return { ...base, active: false, drive: first, note: `the home folder ${input.home} was not found`, moves: nothing };
  if (first === undefined) return { ...base, active: false, drive: undefined, note: 'no external drive was mounted', moves: nothing };
  if (f.kind !== 'mobilesync' && f.places.length === 0) {
    return { ...base, active: false, drive: first, note: f.kind === 'photos' ? 'no photo library was found in ~/Pictures' : 'no music media folder was found in ~/Music', moves: nothing };
  }
  if (f.kind === 'photos') {
    const fit = input.drives.find((d) => holdsPhotoLibraries(d.drive));
    if (fit === undefined) {
      const d = input.drives[0]?.drive;
      const why = d === undefined ? undefined : whyNoPhotoLibraries(d);
      return { ...base, active: false, drive: first, note: `Apple's rules keep photo libraries off ${first}: ${why ?? 'it does not qualify'}`, moves: nothing };
    }
    return { ...base, active: true, drive: fit.key, moves: movesOf(f) };
  }
  return { ...base, active: true, drive: first, moves: movesOf(f) };
}

/** What a first apply moves: every real folder found (a link's data is already elsewhere). */
function movesOf(f: KindFindings): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const p of f.places) {
    if (p.state.kind === 'folder') {
      bytes += p.state.bytes;
      files += p.state.files;
    }
  }
  return { bytes, files };
}
