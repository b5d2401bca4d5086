import { join } from 'node:path';
import type { HostReads } from '../../host/host.js';
import { NEW_LIBRARY_MAX_MEDIA_FILES } from '../../assumptions.js';
import { countMediaFilesUpTo } from './count-media-files.js';

export type PhotoLibraryKind = 'photos' | 'photos-legacy' | 'iphoto' | 'unknown';

/** Folders inside a package that hold media, per layout (docs/platform-facts.md, verified). */
const MEDIA_FOLDERS: readonly (readonly string[])[] = [['originals'], ['Masters'], ['resources', 'derivatives']];

export interface LibraryLayout {
  kind: PhotoLibraryKind;
  /** Media files found, counted only up to NEW_LIBRARY_MAX_MEDIA_FILES + 1. */
  mediaFiles: number;
  /** A database and (almost) no media: what Photos creates when the drive was missing. */
  looksNew: boolean;
  /** Paths inside the package that could not be read (on a Mac: no Full Disk Access). */
  unreadable: string[];
}

/**
 * Tells the layout of a package folder from the files Photos and iPhoto keep inside it:
 * database/Photos.sqlite (Photos 5+), database/photos.db (Photos 4 and older), AlbumData.xml
 * (iPhoto). Checked in that order, so a library upgraded in place reads as the newer kind.
 * Never follows a link: a database that is a link does not count.
 */
export async function readLibraryLayout(host: HostReads, packageHost: string): Promise<LibraryLayout> {
  const unreadable: string[] = [];
  const isFile = async (...segments: string[]): Promise<boolean> => {
    const path = join(packageHost, ...segments);
    try {
      return (await host.lstat(path))?.kind === 'file';
    } catch {
      unreadable.push(path);
      return false;
    }
  };
  let kind: PhotoLibraryKind = 'unknown';
  if (await isFile('database', 'Photos.sqlite')) kind = 'photos';
  else if (await isFile('database', 'photos.db')) kind = 'photos-legacy';
  else if (await isFile('AlbumData.xml')) kind = 'iphoto';

  let mediaFiles = 0;
  for (const folder of MEDIA_FOLDERS) {
    const left = NEW_LIBRARY_MAX_MEDIA_FILES - mediaFiles;
    const counted = await countMediaFilesUpTo(host, join(packageHost, ...folder), left);
    mediaFiles += counted.count;
    unreadable.push(...counted.unreadable);
    if (mediaFiles > NEW_LIBRARY_MAX_MEDIA_FILES) break;
  }
  // Unreadable media folders might be full: never call such a library new.
  const looksNew = kind !== 'unknown' && unreadable.length === 0 && mediaFiles <= NEW_LIBRARY_MAX_MEDIA_FILES;
  return { kind, mediaFiles, looksNew, unreadable };
}
