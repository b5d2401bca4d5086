import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProvisionError } from '../../src/errors.js';
import { RealHost } from '../../src/host/real-host.js';
import { findMusicMediaFolder } from '../../src/resources/music/find-media-folder.js';
import { findPhotoLibraries } from '../../src/resources/photos/find-libraries.js';
import { NEW_LIBRARY_MAX_MEDIA_FILES } from '../../src/assumptions.js';
import {
  makeIPhotoLibrary,
  makeITunesFolder,
  makeLegacyPhotosLibrary,
  makeMusicMediaFolder,
  makeNewEmptyPhotosLibrary,
  makePhotosLibrary,
} from '../helpers/photo-libraries.js';
import { isRoot, makeTempDir, removeTempDir } from '../fsops/temp-dir.js';

const host = new RealHost();
let home: string;
let pictures: string;
beforeEach(async () => {
  home = await makeTempDir();
  pictures = join(home, 'Pictures');
  await mkdir(pictures);
});
afterEach(async () => {
  await removeTempDir(home);
});

describe('findPhotoLibraries', () => {
  it('finds each layout under its default name and tells its kind from the layout inside', async () => {
    await makePhotosLibrary(pictures, 1);
    await makeIPhotoLibrary(pictures, 2);
    await makeIPhotoLibrary(pictures, 3, { plainFolder: true });
    const found = await findPhotoLibraries(host, home, []);
    expect(found.map((l) => [l.name, l.kind, l.state.kind, l.looksNew, l.declared])).toEqual([
      ['Photos Library.photoslibrary', 'photos', 'package', false, false],
      ['iPhoto Library.photolibrary', 'iphoto', 'package', false, false],
      ['iPhoto Library', 'iphoto', 'package', false, false],
    ]);
    expect(found[0]?.hostPath).toBe(join(pictures, 'Photos Library.photoslibrary'));
    expect(found[0]?.mediaFiles).toBe(NEW_LIBRARY_MAX_MEDIA_FILES + 1);
  });

  it('recognises a Photos 4 library by database/photos.db', async () => {
    await makeLegacyPhotosLibrary(pictures, 4);
    const [lib] = await findPhotoLibraries(host, home, []);
    expect(lib).toMatchObject({ kind: 'photos-legacy', state: { kind: 'package' }, looksNew: false });
  });

  it('includes declared libraries, skips absent ones, and counts a name once whatever its case', async () => {
    await makePhotosLibrary(pictures, 5, { name: 'Family.photoslibrary' });
    await makeLegacyPhotosLibrary(pictures, 6, { name: 'Old.photoslibrary' });
    const found = await findPhotoLibraries(host, home, ['Family.photoslibrary', 'Old.photoslibrary', 'Gone.photoslibrary', 'family.PHOTOSLIBRARY']);
    expect(found.map((l) => [l.name, l.kind, l.declared])).toEqual([
      ['Family.photoslibrary', 'photos', true],
      ['Old.photoslibrary', 'photos-legacy', true],
    ]);
  });

  it('ignores unrelated folders and undeclared packages', async () => {
    await mkdir(join(pictures, 'Photo Booth Library'));
    await mkdir(join(pictures, 'Holiday'));
    await makePhotosLibrary(pictures, 7, { name: 'Other.photoslibrary' });
    await writeFile(join(pictures, 'AlbumData.xml'), '<plist/>');
    expect(await findPhotoLibraries(host, home, [])).toEqual([]);
  });

  it('reports a link with its raw target and never follows it', async () => {
    await makePhotosLibrary(join(home, 'elsewhere'), 8);
    await symlink('/Volumes/Archive/Photos/alex/Photos Library.photoslibrary', join(pictures, 'Photos Library.photoslibrary'));
    // A relative link to a real library: still 'unknown', since the OS is never asked to follow it.
    await symlink('../elsewhere/Photos Library.photoslibrary', join(pictures, 'iPhoto Library'));
    const found = await findPhotoLibraries(host, home, []);
    expect(found.map((l) => [l.name, l.kind, l.state, l.looksNew])).toEqual([
      ['Photos Library.photoslibrary', 'unknown', { kind: 'link', raw: '/Volumes/Archive/Photos/alex/Photos Library.photoslibrary' }, false],
      ['iPhoto Library', 'unknown', { kind: 'link', raw: '../elsewhere/Photos Library.photoslibrary' }, false],
    ]);
  });

  it('flags the new, nearly empty library Photos creates when the drive was missing', async () => {
    await makeNewEmptyPhotosLibrary(pictures, 9);
    const [lib] = await findPhotoLibraries(host, home, []);
    expect(lib).toMatchObject({ kind: 'photos', state: { kind: 'package' }, looksNew: true, mediaFiles: 0 });
  });

  it('draws the "new" line at NEW_LIBRARY_MAX_MEDIA_FILES media files, derivatives included', async () => {
    // Each asset writes an original and a derivative: two media files.
    const few = Math.floor(NEW_LIBRARY_MAX_MEDIA_FILES / 2);
    await makePhotosLibrary(pictures, 10, { assets: few, name: 'Few.photoslibrary' });
    await makePhotosLibrary(pictures, 11, { assets: few + 1, name: 'More.photoslibrary' });
    const found = await findPhotoLibraries(host, home, ['Few.photoslibrary', 'More.photoslibrary']);
    expect(found.map((l) => [l.name, l.looksNew])).toEqual([
      ['Few.photoslibrary', true],
      ['More.photoslibrary', false],
    ]);
  });

  it('flags an empty Photos 4 library as new too, but never a folder without a database', async () => {
    await makeLegacyPhotosLibrary(pictures, 12, { assets: 0, name: 'EmptyOld.photoslibrary' });
    await mkdir(join(pictures, 'Photos Library.photoslibrary', 'originals'), { recursive: true });
    const found = await findPhotoLibraries(host, home, ['EmptyOld.photoslibrary']);
    expect(found.map((l) => [l.name, l.kind, l.looksNew])).toEqual([
      ['Photos Library.photoslibrary', 'unknown', false],
      ['EmptyOld.photoslibrary', 'photos-legacy', true],
    ]);
  });

  it('does not take a database that is a link as a layout', async () => {
    const lib = join(pictures, 'Photos Library.photoslibrary');
    await mkdir(join(lib, 'database'), { recursive: true });
    await writeFile(join(home, 'real.sqlite'), 'x');
    await symlink(join(home, 'real.sqlite'), join(lib, 'database', 'Photos.sqlite'));
    const [found] = await findPhotoLibraries(host, home, []);
    expect(found).toMatchObject({ kind: 'unknown', looksNew: false });
  });

  it('reports a file where a package was expected', async () => {
    await writeFile(join(pictures, 'iPhoto Library'), 'not a folder');
    const [lib] = await findPhotoLibraries(host, home, []);
    expect(lib).toMatchObject({ name: 'iPhoto Library', kind: 'unknown', state: { kind: 'not-a-folder' } });
  });

  it.skipIf(isRoot)('never calls a library whose media cannot be read new', async () => {
    const lib = await makeNewEmptyPhotosLibrary(pictures, 13);
    const { chmod } = await import('node:fs/promises');
    await chmod(join(lib.root, 'originals'), 0o000);
    const [found] = await findPhotoLibraries(host, home, []);
    expect(found).toMatchObject({ kind: 'photos', looksNew: false });
    expect(found?.unreadable).toEqual([join(lib.root, 'originals')]);
  });

  it('finds nothing when Pictures is missing or is a link (not followed)', async () => {
    await makePhotosLibrary(join(home, 'real-pictures'), 14);
    const other = await makeTempDir();
    try {
      expect(await findPhotoLibraries(host, other, [])).toEqual([]);
      await symlink(join(home, 'real-pictures'), join(other, 'Pictures'));
      expect(await findPhotoLibraries(host, other, [])).toEqual([]);
    } finally {
      await removeTempDir(other);
    }
  });

  it('refuses a declared name that is not a single name inside Pictures', async () => {
    for (const bad of ['', '.', '..', '../Family.photoslibrary', 'a/b.photoslibrary', 'a\\b.photoslibrary']) {
      const error = await findPhotoLibraries(host, home, [bad]).catch((e: unknown) => e);
      expect(isProvisionError(error) && error.code).toBe('CONFIG_INVALID');
    }
  });
});

describe('findMusicMediaFolder', () => {
  it('finds ~/Music/iTunes', async () => {
    const lib = await makeITunesFolder(join(home, 'Music'), 1);
    expect(await findMusicMediaFolder(host, home)).toEqual({
      layout: 'itunes',
      relative: 'Music/iTunes',
      hostPath: lib.root,
      state: { kind: 'package' },
    });
  });

  it('finds ~/Music/Music/Media', async () => {
    const lib = await makeMusicMediaFolder(join(home, 'Music'), 2);
    expect(await findMusicMediaFolder(host, home)).toEqual({
      layout: 'music',
      relative: 'Music/Music/Media',
      hostPath: lib.root,
      state: { kind: 'package' },
    });
  });

  it('says when both exist, iTunes first', async () => {
    await makeITunesFolder(join(home, 'Music'), 3);
    await makeMusicMediaFolder(join(home, 'Music'), 4);
    const found = await findMusicMediaFolder(host, home);
    expect(found?.layout).toBe('itunes');
    expect(found?.alsoPresent?.layout).toBe('music');
  });

  it('is undefined with no music folder, or only unrelated ones', async () => {
    expect(await findMusicMediaFolder(host, home)).toBeUndefined();
    await mkdir(join(home, 'Music', 'GarageBand'), { recursive: true });
    await mkdir(join(home, 'Music', 'Music'), { recursive: true });
    expect(await findMusicMediaFolder(host, home)).toBeUndefined();
  });

  it('reports a link raw, and does not walk through a linked ~/Music/Music', async () => {
    await mkdir(join(home, 'Music'));
    await symlink('/Volumes/Archive/Music/alex', join(home, 'Music', 'iTunes'));
    expect(await findMusicMediaFolder(host, home)).toMatchObject({ layout: 'itunes', state: { kind: 'link', raw: '/Volumes/Archive/Music/alex' } });

    const other = await makeTempDir();
    try {
      await makeMusicMediaFolder(join(other, 'elsewhere'), 5);
      await mkdir(join(other, 'Music'));
      await symlink(join(other, 'elsewhere', 'Music'), join(other, 'Music', 'Music'));
      expect(await findMusicMediaFolder(host, other)).toBeUndefined();
    } finally {
      await removeTempDir(other);
    }
  });
});
