import { join } from 'node:path';
import { ProvisionError } from '../../errors.js';
import type { HostReads } from '../../host/host.js';
import { readLibraryEntry, type LibraryEntryState } from './library-entry.js';
import { readLibraryLayout, type PhotoLibraryKind } from './library-layout.js';

export type { LibraryEntryState } from './library-entry.js';
export type { PhotoLibraryKind } from './library-layout.js';

/** The names Photos and iPhoto use in ~/Pictures (platform-facts.md, verified). */
export const DEFAULT_PHOTO_LIBRARY_NAMES: readonly string[] = [
  'Photos Library.photoslibrary',
  'iPhoto Library.photolibrary',
  'iPhoto Library',
];

export interface PhotoLibraryFound {
  /** The package's name in ~/Pictures. */
  name: string;
  hostPath: string;
  /** From the layout inside a package; 'unknown' for a link (never followed) or an unrecognised folder. */
  kind: PhotoLibraryKind;
  state: LibraryEntryState;
  /** Named in the declaration's `libraries:` rather than one of the default names. */
  declared: boolean;
  /** Media files inside a package, counted only far enough to tell "almost none" (0 otherwise). */
  mediaFiles: number;
  /**
   * A package with a database and almost no media: likely the new library Photos starts when
   * the drive holding the real one was missing. Never merge it into a moved library.
   */
  looksNew: boolean;
  /** Paths inside the package that could not be read. */
  unreadable: string[];
}

/**
 * The photo libraries present in the user's Pictures folder: the default names plus `extra`
 * (the declaration's `libraries:`, package names inside Pictures). Absent ones are left out;
 * a Pictures folder that is missing, a link or not a folder holds none (it is not followed).
 * Reads only, and never follows a link.
 */
export async function findPhotoLibraries(host: HostReads, homeHost: string, extra: string[]): Promise<PhotoLibraryFound[]> {
  for (const name of extra) checkLibraryName(name);
  const pictures = join(homeHost, 'Pictures');
  if ((await readLibraryEntry(host, pictures))?.kind !== 'package') return [];

  const seen = new Set<string>();
  const found: PhotoLibraryFound[] = [];
  const candidates = [
    ...DEFAULT_PHOTO_LIBRARY_NAMES.map((name) => ({ name, declared: false })),
    ...extra.map((name) => ({ name, declared: true })),
  ];
  for (const { name, declared } of candidates) {
    // Mac volumes are case-insensitive by default: one package, whatever the spelling.
    const key = name.normalize('NFC').toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const hostPath = join(pictures, name);
    const state = await readLibraryEntry(host, hostPath);
    if (state === undefined) continue;
    const library: PhotoLibraryFound = { name, hostPath, kind: 'unknown', state, declared, mediaFiles: 0, looksNew: false, unreadable: [] };
    if (state.kind === 'package') {
      const layout = await readLibraryLayout(host, hostPath);
      library.kind = layout.kind;
      library.mediaFiles = layout.mediaFiles;
      library.looksNew = layout.looksNew;
      library.unreadable = layout.unreadable;
    }
    found.push(library);
  }
  return found;
}

/** A declared library is one name inside Pictures: no separators, no "." or "..". */
function checkLibraryName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new ProvisionError('CONFIG_INVALID', `"${name}" is not a library name inside Pictures`, {
      hint: 'Name the library package itself, e.g. "Family.photoslibrary", without any folder.',
    });
  }
}
