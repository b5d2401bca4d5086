/**
 * Realistic photo and music libraries for tests, deterministic from a seed: the layouts of
 * platform-facts.md ("Photo libraries"), real SQLite databases made with the sqlite3 tool, and
 * media files that start with real JPEG / M4A headers. Each builder returns the library's root
 * and every file it wrote, relative to that root and sorted, for byte-for-byte checks after a move.
 */

import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { rng } from './fixtures.js';

export interface BuiltLibrary {
  /** The library package (or music folder) itself. */
  root: string;
  /** Every regular file written, relative to root, sorted. */
  files: string[];
}

export interface PhotoLibraryOptions {
  /** Number of photos; 0 makes the empty library Photos starts when the drive was missing. */
  assets?: number;
  /** The package's name; defaults to the app's own default name. */
  name?: string;
}

/** An upper-case UUID derived from the seed, as Photos names its originals. */
export function fixtureUuid(seed: number, i: number): string {
  const h = createHash('sha1').update(`photo-${seed}-${i}`).digest('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-A${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Bytes of a small, header-correct JPEG: SOI, a JFIF APP0 segment, payload, EOI. */
export function jpegBytes(next: () => number, size: number): Buffer {
  const head = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x48, 0x00, 0x48, 0x00, 0x00]);
  const body = Buffer.alloc(Math.max(0, size - head.length - 2));
  for (let i = 0; i < body.length; i++) body[i] = Math.floor(next() * 256);
  return Buffer.concat([head, body, Buffer.from([0xff, 0xd9])]);
}

/** Bytes of a small M4A: an ftyp box with brand "M4A ", then payload. */
export function m4aBytes(next: () => number, size: number): Buffer {
  const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 0x1c]), Buffer.from('ftypM4A \0\0\0\0M4A mp42isom', 'latin1')]);
  const body = Buffer.alloc(Math.max(0, size - ftyp.length));
  for (let i = 0; i < body.length; i++) body[i] = Math.floor(next() * 256);
  return Buffer.concat([ftyp, body]);
}

/** Runs SQL through the sqlite3 command-line tool to make a real database file. */
export async function makeSqliteDatabase(file: string, sql: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await execa('sqlite3', [file], { input: sql });
}

/** Quotes a string as an SQL literal. */
function sq(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A photo's date, spread over the years from the seed: [YYYY, MM, DD, HHMMSS]. */
function photoDate(next: () => number): [string, string, string, string] {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const year = 2009 + Math.floor(next() * 15);
  const month = 1 + Math.floor(next() * 12);
  const day = 1 + Math.floor(next() * 28);
  const time = `${pad(Math.floor(next() * 24))}${pad(Math.floor(next() * 60))}${pad(Math.floor(next() * 60))}`;
  return [String(year), pad(month), pad(day), time];
}

class FileWriter {
  readonly files: string[] = [];
  constructor(readonly root: string) {}
  async write(rel: string, data: string | Buffer): Promise<void> {
    const full = path.join(this.root, rel);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, data);
    this.files.push(rel);
  }
  async mkdir(rel: string): Promise<void> {
    await fs.mkdir(path.join(this.root, rel), { recursive: true });
  }
  done(): BuiltLibrary {
    return { root: this.root, files: [...this.files].sort() };
  }
}

/**
 * Photos 5+ package in dir: database/Photos.sqlite with a ZASSET table (one row per photo),
 * originals/<first hex of UUID>/<UUID>.jpeg, resources/derivatives/<hex>/<UUID>_1_105_c.jpeg
 * and a private/ folder.
 */
export async function makePhotosLibrary(dir: string, seed: number, options: PhotoLibraryOptions = {}): Promise<BuiltLibrary> {
  const assets = options.assets ?? 6;
  const w = new FileWriter(path.join(dir, options.name ?? 'Photos Library.photoslibrary'));
  const next = rng(seed);
  const rows: string[] = [];
  for (let i = 0; i < assets; i++) {
    const uuid = fixtureUuid(seed, i);
    const hex = uuid.slice(0, 1);
    const [y, m, d] = photoDate(next);
    const created = (Date.UTC(Number(y), Number(m) - 1, Number(d)) - Date.UTC(2001, 0, 1)) / 1000;
    await w.write(`originals/${hex}/${uuid}.jpeg`, jpegBytes(next, 2000 + Math.floor(next() * 6000)));
    await w.write(`resources/derivatives/${hex}/${uuid}_1_105_c.jpeg`, jpegBytes(next, 300 + Math.floor(next() * 500)));
    rows.push(`INSERT INTO ZASSET VALUES (${i + 1}, ${sq(uuid)}, ${sq(hex)}, ${sq(`${uuid}.jpeg`)}, ${created});`);
  }
  await makeSqliteDatabase(
    path.join(w.root, 'database', 'Photos.sqlite'),
    [
      'CREATE TABLE ZASSET (Z_PK INTEGER PRIMARY KEY, ZUUID TEXT, ZDIRECTORY TEXT, ZFILENAME TEXT, ZDATECREATED REAL);',
      ...rows,
    ].join('\n'),
  );
  w.files.push('database/Photos.sqlite');
  await w.mkdir('originals');
  await w.mkdir('resources/derivatives');
  await w.write('private/com.apple.Photos/appPrivateData.plist', plist(`\t<key>LibraryVersion</key><integer>${seed}</integer>\n`));
  return w.done();
}

/** The new, empty library Photos starts in ~/Pictures when the drive with the real one is missing. */
export function makeNewEmptyPhotosLibrary(dir: string, seed: number): Promise<BuiltLibrary> {
  return makePhotosLibrary(dir, seed, { assets: 0 });
}

/** Photos 4 and older: database/photos.db with an RKMaster table and Masters/YYYY/MM/DD/<date-time>/IMG_NNNN.JPG. */
export async function makeLegacyPhotosLibrary(dir: string, seed: number, options: PhotoLibraryOptions = {}): Promise<BuiltLibrary> {
  const assets = options.assets ?? 6;
  const w = new FileWriter(path.join(dir, options.name ?? 'Photos Library.photoslibrary'));
  const next = rng(seed);
  const rows: string[] = [];
  for (let i = 0; i < assets; i++) {
    const rel = await writeMaster(w, next, i);
    rows.push(`INSERT INTO RKMaster VALUES (${i + 1}, ${sq(fixtureUuid(seed, i))}, ${sq(rel)}, ${sq(path.basename(rel))});`);
  }
  await makeSqliteDatabase(
    path.join(w.root, 'database', 'photos.db'),
    ['CREATE TABLE RKMaster (modelId INTEGER PRIMARY KEY, uuid TEXT, imagePath TEXT, fileName TEXT);', ...rows].join('\n'),
  );
  w.files.push('database/photos.db');
  await w.mkdir('Masters');
  return w.done();
}

export interface IPhotoLibraryOptions {
  assets?: number;
  /** The older plain folder "iPhoto Library" instead of the "iPhoto Library.photolibrary" package. */
  plainFolder?: boolean;
}

/** iPhoto: AlbumData.xml (a plist listing every master) and Masters/YYYY/MM/DD/<date-time>/IMG_NNNN.JPG. */
export async function makeIPhotoLibrary(dir: string, seed: number, options: IPhotoLibraryOptions = {}): Promise<BuiltLibrary> {
  const assets = options.assets ?? 6;
  const w = new FileWriter(path.join(dir, options.plainFolder === true ? 'iPhoto Library' : 'iPhoto Library.photolibrary'));
  const next = rng(seed);
  // iPhoto records absolute paths; a fixed machine path keeps the file the same wherever it is built.
  const machineRoot = `/Users/user/Pictures/${path.basename(w.root)}`;
  let images = '';
  for (let i = 0; i < assets; i++) {
    const rel = await writeMaster(w, next, i);
    images += `\t\t<key>${i + 1}</key>\n\t\t<dict>\n\t\t\t<key>GUID</key><string>${fixtureUuid(seed, i)}</string>\n`;
    images += `\t\t\t<key>ImagePath</key><string>${xml(`${machineRoot}/${rel}`)}</string>\n\t\t</dict>\n`;
  }
  const body =
    `\t<key>Application Version</key><string>9.6.1 (910.29)</string>\n` +
    `\t<key>Archive Path</key><string>${xml(machineRoot)}</string>\n` +
    `\t<key>Master Image List</key>\n\t<dict>\n${images}\t</dict>\n`;
  await w.write('AlbumData.xml', plist(body));
  await w.mkdir('Masters');
  return w.done();
}

/** One master photo at Masters/YYYY/MM/DD/YYYYMMDD-HHMMSS/IMG_NNNN.JPG; returns its relative path. */
async function writeMaster(w: FileWriter, next: () => number, i: number): Promise<string> {
  const [y, m, d, t] = photoDate(next);
  const rel = `Masters/${y}/${m}/${d}/${y}${m}${d}-${t}/IMG_${String(1000 + i).padStart(4, '0')}.JPG`;
  await w.write(rel, jpegBytes(next, 2000 + Math.floor(next() * 6000)));
  return rel;
}

export interface MusicOptions {
  artists?: number;
  tracksPerAlbum?: number;
}

/** The iTunes era's ~/Music/iTunes in musicDir: "iTunes Library.itl" and "iTunes Media/Music/<Artist>/<Album>/NN Title.m4a". */
export async function makeITunesFolder(musicDir: string, seed: number, options: MusicOptions = {}): Promise<BuiltLibrary> {
  const w = new FileWriter(path.join(musicDir, 'iTunes'));
  const next = rng(seed);
  await w.write('iTunes Library.itl', Buffer.concat([Buffer.from('hdfm', 'latin1'), Buffer.alloc(1020 + Math.floor(next() * 2048), seed % 251)]));
  await w.write('iTunes Library Extras.itdb', Buffer.from(`SQLite format 3\0${'x'.repeat(96)}`, 'latin1'));
  await writeTracks(w, 'iTunes Media/Music', next, options);
  return w.done();
}

/** The Music app's ~/Music/Music/Media in musicDir: Media/Music/<Artist>/<Album>/NN Title.m4a. */
export async function makeMusicMediaFolder(musicDir: string, seed: number, options: MusicOptions = {}): Promise<BuiltLibrary> {
  const w = new FileWriter(path.join(musicDir, 'Music', 'Media'));
  await writeTracks(w, 'Music', rng(seed), options);
  return w.done();
}

async function writeTracks(w: FileWriter, base: string, next: () => number, options: MusicOptions): Promise<void> {
  const artists = options.artists ?? 2;
  const tracks = options.tracksPerAlbum ?? 3;
  for (let a = 0; a < artists; a++) {
    const album = `${base}/Artist ${a + 1}/Album ${Math.floor(next() * 90) + 10}`;
    for (let t = 0; t < tracks; t++) {
      await w.write(`${album}/${String(t + 1).padStart(2, '0')} Track ${t + 1}.m4a`, m4aBytes(next, 1500 + Math.floor(next() * 4000)));
    }
  }
}

function plist(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
${body}</dict>
</plist>
`;
}

function xml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
