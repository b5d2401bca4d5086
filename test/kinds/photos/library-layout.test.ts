import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NEW_LIBRARY_MAX_MEDIA_FILES } from '../../../src/assumptions.js';
import { RealHost } from '../../../src/host/real-host.js';
import { readLibraryLayout } from '../../../src/kinds/app-library/library-layout.js';
import { makeIPhotoLibrary, makeLegacyPhotosLibrary, makeNewEmptyPhotosLibrary, makePhotosLibrary } from '../../helpers/photo-libraries.js';
import { isRoot, makeTempDir, removeTempDir } from '../../host/fs/temp-dir.js';

const host = new RealHost();
let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

describe('readLibraryLayout: kind', () => {
  it('tells Photos 5+ by database/Photos.sqlite', async () => {
    const lib = await makePhotosLibrary(dir, 1);
    // Counting stops one past the threshold: a full library is never walked to the end.
    expect(await readLibraryLayout(host, lib.root)).toEqual({
      kind: 'photos',
      mediaFiles: NEW_LIBRARY_MAX_MEDIA_FILES + 1,
      looksNew: false,
      unreadable: [],
    });
  });

  it('tells Photos 4 by database/photos.db', async () => {
    const lib = await makeLegacyPhotosLibrary(dir, 2);
    expect(await readLibraryLayout(host, lib.root)).toMatchObject({ kind: 'photos-legacy', looksNew: false });
  });

  it('tells iPhoto by AlbumData.xml, in the package and in the older plain folder', async () => {
    const pkg = await makeIPhotoLibrary(dir, 3);
    const plain = await makeIPhotoLibrary(dir, 4, { plainFolder: true });
    expect(await readLibraryLayout(host, pkg.root)).toMatchObject({ kind: 'iphoto', looksNew: false });
    expect(await readLibraryLayout(host, plain.root)).toMatchObject({ kind: 'iphoto', looksNew: false });
  });

  it('calls a folder without a database unknown, and never new even when empty', async () => {
    // Without a database nothing says Photos made it, so it must not be mistaken for Photos' new library.
    const lib = join(dir, 'Photos Library.photoslibrary');
    await mkdir(join(lib, 'originals'), { recursive: true });
    expect(await readLibraryLayout(host, lib)).toEqual({ kind: 'unknown', mediaFiles: 0, looksNew: false, unreadable: [] });
  });

  it('does not take a database that is a link as a layout', async () => {
    // Links are never followed: only what is really inside the package counts.
    const lib = join(dir, 'Photos Library.photoslibrary');
    await mkdir(join(lib, 'database'), { recursive: true });
    await writeFile(join(dir, 'real.sqlite'), 'x');
    await symlink(join(dir, 'real.sqlite'), join(lib, 'database', 'Photos.sqlite'));
    expect(await readLibraryLayout(host, lib)).toMatchObject({ kind: 'unknown', looksNew: false });
  });
});

describe('readLibraryLayout: looksNew', () => {
  it('flags the new, nearly empty library Photos creates when the drive was missing', async () => {
    const lib = await makeNewEmptyPhotosLibrary(dir, 5);
    expect(await readLibraryLayout(host, lib.root)).toEqual({ kind: 'photos', mediaFiles: 0, looksNew: true, unreadable: [] });
  });

  it('draws the line at NEW_LIBRARY_MAX_MEDIA_FILES media files, derivatives included', async () => {
    // Each asset writes an original and a derivative: two media files. One asset more than
    // "few" stays under the line by originals alone, so only counting derivatives crosses it.
    const few = Math.floor(NEW_LIBRARY_MAX_MEDIA_FILES / 2);
    const fewLib = await makePhotosLibrary(dir, 6, { assets: few, name: 'Few.photoslibrary' });
    const moreLib = await makePhotosLibrary(dir, 7, { assets: few + 1, name: 'More.photoslibrary' });
    expect(await readLibraryLayout(host, fewLib.root)).toMatchObject({ mediaFiles: 2 * few, looksNew: true });
    expect(await readLibraryLayout(host, moreLib.root)).toMatchObject({ mediaFiles: NEW_LIBRARY_MAX_MEDIA_FILES + 1, looksNew: false });
  });

  it('flags an empty Photos 4 library as new too', async () => {
    const lib = await makeLegacyPhotosLibrary(dir, 8, { assets: 0 });
    expect(await readLibraryLayout(host, lib.root)).toEqual({ kind: 'photos-legacy', mediaFiles: 0, looksNew: true, unreadable: [] });
  });

  it.skipIf(isRoot)('never calls a library whose media cannot be read new', async () => {
    // An unreadable folder (no Full Disk Access on a Mac) might be full of photos.
    const lib = await makeNewEmptyPhotosLibrary(dir, 9);
    await chmod(join(lib.root, 'originals'), 0o000);
    expect(await readLibraryLayout(host, lib.root)).toMatchObject({
      kind: 'photos',
      looksNew: false,
      unreadable: [join(lib.root, 'originals')],
    });
  });
});
