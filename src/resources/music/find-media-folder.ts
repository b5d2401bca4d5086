import { join } from 'node:path';
import type { HostReads } from '../../host/host.js';
import { readLibraryEntry, type LibraryEntryState } from '../photos/library-entry.js';

import { MUSIC_MEDIA_FOLDERS } from '../../assumptions.js';

export type MusicLayout = (typeof MUSIC_MEDIA_FOLDERS)[number]['layout'];

export interface MusicMediaFolderFound {
  layout: MusicLayout;
  /** Relative to the home, e.g. "Music/iTunes". */
  relative: string;
  hostPath: string;
  state: LibraryEntryState;
  /** The other layout's folder, when both exist (an upgraded Mac): the caller decides. */
  alsoPresent?: { layout: MusicLayout; relative: string; hostPath: string; state: LibraryEntryState };
}

/** Which music media folder exists for this home (read with lstat; links are not followed). */
export async function findMusicMediaFolder(host: HostReads, homeHost: string): Promise<MusicMediaFolderFound | undefined> {
  const present: { layout: MusicLayout; relative: string; hostPath: string; state: LibraryEntryState }[] = [];
  for (const { layout, segments } of MUSIC_MEDIA_FOLDERS) {
    // A ~/Music or ~/Music/Music that is a link is not walked through.
    let blocked = false;
    for (let i = 1; i < segments.length; i++) {
      const above = await readLibraryEntry(host, join(homeHost, ...segments.slice(0, i)));
      if (above?.kind !== 'package') blocked = true;
    }
    if (blocked) continue;
    const hostPath = join(homeHost, ...segments);
    const state = await readLibraryEntry(host, hostPath);
    if (state !== undefined) present.push({ layout, relative: segments.join('/'), hostPath, state });
  }
  const [first, second] = present;
  if (first === undefined) return undefined;
  return second === undefined ? first : { ...first, alsoPresent: second };
}
