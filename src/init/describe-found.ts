/**
 * What init found, in words, for the comments it writes and for its report: "2 device backups,
 * 1.4 GiB", "Photos Library.photoslibrary, 3.2 GiB", "a link to /Volumes/Archive/... (empty)".
 */

import type { ProposedKind } from './proposed-kinds.js';
import { tildePath } from '../text/tilde-path.js';
import { formatBytes, plural } from '../text/units.js';
import type { FoundPlace, KindFindings, PlaceState } from './detect-locations.js';

export const KIND_TITLE: Record<ProposedKind, string> = {
  mobilesync: 'iPhone and iPad backups',
  photos: 'Photo libraries',
  music: 'Music media folder',
};

function contents(state: Exclude<PlaceState, { kind: 'link' }>, kind: ProposedKind): string {
  switch (state.kind) {
    case 'absent':
      return 'nothing';
    case 'other':
      return 'not a folder';
    case 'unreadable':
      return state.code === 'EPERM' || state.code === 'EACCES'
        ? `not readable (${state.code}; on a Mac, give your terminal Full Disk Access)`
        : `not readable (${state.code})`;
    case 'folder':
      if (kind === 'mobilesync') return state.entries === 0 ? 'no device backups' : `${plural(state.entries, 'device backup')}, ${formatBytes(state.bytes)}`;
      return state.files === 0 ? 'empty' : formatBytes(state.bytes);
  }
}

/** One place: its contents, or where its link points and what is there. */
export function describePlace(p: FoundPlace, kind: ProposedKind): string {
  if (p.state.kind !== 'link') return contents(p.state, kind);
  const at = p.state.at.kind === 'absent' ? 'missing' : contents(p.state.at, kind);
  return `a link to ${p.state.target} (${at})`;
}

/** The whole finding of a kind on one line: "2 device backups, 1.4 GiB" or "Photos Library.photoslibrary (3.2 GiB), ...". */
export function describeFindings(f: KindFindings, home: string): string {
  if (f.kind === 'mobilesync') {
    const seen = f.places.filter((p) => p.state.kind !== 'absent');
    const [one] = seen;
    if (one === undefined) return 'no backups yet';
    if (f.places.length === 1) return describePlace(one, f.kind);
    return seen.map((p) => `${tildePath(p.path, home)}: ${describePlace(p, f.kind)}`).join('; ');
  }
  if (f.places.length === 0) return 'none';
  return f.places.map((p) => `${p.name} (${describePlace(p, f.kind)})`).join(', ');
}

/** Where the kind lives in the home, for the comment above its location. */
export function placesOf(f: KindFindings, home: string): string {
  switch (f.kind) {
    case 'mobilesync':
      return f.places.map((p) => tildePath(p.path, home)).join(' and ');
    case 'photos':
      return '~/Pictures';
    case 'music':
      return '~/Music/iTunes or ~/Music/Music/Media';
  }
}
