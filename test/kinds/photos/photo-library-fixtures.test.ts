import { createHash } from 'node:crypto';
import { readFile, readdir, lstat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeIPhotoLibrary, makeITunesFolder, makeLegacyPhotosLibrary, makeMusicMediaFolder, makeNewEmptyPhotosLibrary, makePhotosLibrary } from '../../helpers/photo-libraries.js';
import { makeTempDir, removeTempDir } from '../../host/fs/temp-dir.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

async function sqlite(file: string, sql: string): Promise<string> {
  return (await execa('sqlite3', [file, sql])).stdout.trim();
}

/** Every regular file below root, relative and sorted: what a builder must have reported. */
async function filesOnDisk(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.push(relative(root, join(entry.parentPath, entry.name)));
  }
  return out.sort();
}

async function hashes(root: string, files: string[]): Promise<string[]> {
  return Promise.all(files.map(async (f) => createHash('sha256').update(await readFile(join(root, f))).digest('hex')));
}

const JPEG_SOI = [0xff, 0xd8, 0xff];

describe('photo library fixtures', () => {
  it('builds a Photos 5+ package with a real SQLite database and the verified layout', async () => {
    const lib = await makePhotosLibrary(dir, 1, { assets: 7 });
    expect(lib.root).toBe(join(dir, 'Photos Library.photoslibrary'));
    expect(await filesOnDisk(lib.root)).toEqual(lib.files);
    const db = join(lib.root, 'database', 'Photos.sqlite');
    expect((await readFile(db)).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    expect(await sqlite(db, 'SELECT count(*) FROM ZASSET;')).toBe('7');
    const originals = lib.files.filter((f) => f.startsWith('originals/'));
    expect(originals).toHaveLength(7);
    // Each row names an original at originals/<ZDIRECTORY>/<ZFILENAME>.
    const rows = (await sqlite(db, "SELECT ZDIRECTORY || '/' || ZFILENAME FROM ZASSET ORDER BY Z_PK;")).split('\n');
    expect(rows.map((r) => `originals/${r}`).sort()).toEqual(originals);
    for (const f of originals) {
      expect(f).toMatch(/^originals\/[0-9A-F]\/[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-A[0-9A-F]{3}-[0-9A-F]{12}\.jpeg$/);
      const bytes = await readFile(join(lib.root, f));
      expect([...bytes.subarray(0, 3)]).toEqual(JPEG_SOI);
      expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
    }
    expect(lib.files.filter((f) => f.startsWith('resources/derivatives/'))).toHaveLength(7);
    expect(lib.files.some((f) => f.startsWith('private/'))).toBe(true);
  });

  it('is deterministic from the seed, and different seeds give different libraries', async () => {
    const a = await makePhotosLibrary(join(dir, 'a'), 5);
    const b = await makePhotosLibrary(join(dir, 'b'), 5);
    const c = await makePhotosLibrary(join(dir, 'c'), 6);
    expect(b.files).toEqual(a.files);
    // The database is left out: SQLite may stamp its header differently across versions, not runs.
    const media = a.files.filter((f) => !f.startsWith('database/'));
    expect(await hashes(b.root, media)).toEqual(await hashes(a.root, media));
    expect(c.files).not.toEqual(a.files);
  });

  it('builds the new empty library Photos makes: a database with no rows and an empty originals folder', async () => {
    const lib = await makeNewEmptyPhotosLibrary(dir, 2);
    expect(await sqlite(join(lib.root, 'database', 'Photos.sqlite'), 'SELECT count(*) FROM ZASSET;')).toBe('0');
    expect(await readdir(join(lib.root, 'originals'))).toEqual([]);
    expect(lib.files.filter((f) => f.startsWith('originals/') || f.startsWith('resources/'))).toEqual([]);
  });

  it('builds a Photos 4 library: database/photos.db and Masters/YYYY/MM/DD/...', async () => {
    const lib = await makeLegacyPhotosLibrary(dir, 3, { assets: 5 });
    expect(await filesOnDisk(lib.root)).toEqual(lib.files);
    const db = join(lib.root, 'database', 'photos.db');
    expect(await sqlite(db, 'SELECT count(*) FROM RKMaster;')).toBe('5');
    const paths = (await sqlite(db, 'SELECT imagePath FROM RKMaster;')).split('\n').sort();
    const masters = lib.files.filter((f) => f.startsWith('Masters/'));
    expect(paths).toEqual(masters);
    for (const f of masters) expect(f).toMatch(/^Masters\/\d{4}\/\d{2}\/\d{2}\/\d{8}-\d{6}\/IMG_\d{4}\.JPG$/);
    expect(lib.files).not.toContain('database/Photos.sqlite');
  });

  it('builds iPhoto libraries, package and plain folder, with AlbumData.xml listing every master', async () => {
    const pkg = await makeIPhotoLibrary(dir, 4, { assets: 4 });
    const plain = await makeIPhotoLibrary(dir, 4, { assets: 3, plainFolder: true });
    expect(pkg.root).toBe(join(dir, 'iPhoto Library.photolibrary'));
    expect(plain.root).toBe(join(dir, 'iPhoto Library'));
    for (const lib of [pkg, plain]) {
      expect(await filesOnDisk(lib.root)).toEqual(lib.files);
      const album = await readFile(join(lib.root, 'AlbumData.xml'), 'utf8');
      const masters = lib.files.filter((f) => f.startsWith('Masters/'));
      expect(album.match(/<key>ImagePath<\/key>/g)).toHaveLength(masters.length);
      for (const m of masters) expect(album).toContain(`/${m}</string>`);
    }
    expect(pkg.files.filter((f) => f.startsWith('Masters/'))).toHaveLength(4);
  });

  it('builds ~/Music/iTunes and ~/Music/Music/Media with m4a tracks', async () => {
    const music = join(dir, 'Music');
    const itunes = await makeITunesFolder(music, 7, { artists: 2, tracksPerAlbum: 3 });
    const media = await makeMusicMediaFolder(music, 8, { artists: 1, tracksPerAlbum: 4 });
    expect(itunes.root).toBe(join(music, 'iTunes'));
    expect(media.root).toBe(join(music, 'Music', 'Media'));
    expect(itunes.files).toContain('iTunes Library.itl');
    const itTracks = itunes.files.filter((f) => /^iTunes Media\/Music\/[^/]+\/[^/]+\/\d\d [^/]+\.m4a$/.test(f));
    expect(itTracks).toHaveLength(6);
    const mTracks = media.files.filter((f) => /^Music\/[^/]+\/[^/]+\/\d\d [^/]+\.m4a$/.test(f));
    expect(mTracks).toHaveLength(4);
    for (const lib of [itunes, media]) expect(await filesOnDisk(lib.root)).toEqual(lib.files);
    const track = await readFile(join(media.root, mTracks[0] ?? ''));
    expect(track.subarray(4, 12).toString('latin1')).toBe('ftypM4A ');
    expect((await lstat(join(itunes.root, 'iTunes Library.itl'))).size).toBeGreaterThan(1000);
  });
});
