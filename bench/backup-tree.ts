/**
 * Generates a realistic MobileSync `Backup` folder: one folder per device named by its UDID,
 * holding `Info.plist` (XML), `Manifest.plist` and `Status.plist` (binary plists), `Manifest.db`
 * (a real SQLite database with one `Files` row per data file) and all 256 two-hex-digit buckets,
 * each file named by its 40-hex fileID: the SHA-1 of `<domain>-<relativePath>`, as iOS names
 * them. Most files are 1 to 200 KiB, a few (videos) 5 to 200 MiB. Every byte, name, mode and
 * time is a function of the preset and the seed, so two runs with one seed build the same tree.
 *
 * Times have microsecond parts and lie in the two years before a fixed "last backup" date;
 * folders get their own times, set last, so a copy that does not keep folder times is caught.
 */

import { closeSync, mkdirSync, openSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { DeviceShape, Preset } from './presets.js';
import { ByteStream, Random } from './random.js';
import { writeManifestDb, type ManifestRow } from './manifest-db.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const SMALL_MIN = 1 * KiB;
const SMALL_MAX = 200 * KiB;
const BIG_MIN = 5 * MiB;
const BIG_MAX = 200 * MiB;
/** The newest backup in every generated tree: fixed, so the tree does not depend on the clock. */
const LAST_BACKUP = Date.UTC(2024, 4, 6, 16, 19, 4) / 1000;
const TWO_YEARS = 2 * 365 * 24 * 3600;
/** Part of the cache key of generated trees: change it whenever the trees this file makes change. */
export const GENERATOR_VERSION = 2;

export interface TreeSummary {
  preset: string;
  seed: string;
  devices: string[];
  files: number;
  folders: number;
  bytes: number;
  manifestDbBytes: number[];
}

interface PlannedFile {
  id: string;
  domain: string;
  relativePath: string;
  size: number;
}

/** Builds the tree in `backupDir`, which must not exist. */
export async function generateBackupTree(backupDir: string, preset: Preset, seed: string): Promise<TreeSummary> {
  const rnd = new Random(`tree:${preset.name}:${seed}`);
  mkdirSync(backupDir, { mode: 0o755 });
  const summary: TreeSummary = { preset: preset.name, seed, devices: [], files: 0, folders: 1, bytes: 0, manifestDbBytes: [] };
  const folderTimes: { path: string; time: number }[] = [];
  let newest = 0;
  for (const [index, device] of preset.devices.entries()) {
    const udid = deviceUdid(rnd, device);
    const lastBackup = LAST_BACKUP - index * rnd.int(3600, 30 * 24 * 3600) - rnd.next();
    newest = Math.max(newest, lastBackup);
    const deviceDir = join(backupDir, udid);
    summary.devices.push(udid);
    const written = await writeDevice(deviceDir, device, udid, preset, seed, rnd, lastBackup, folderTimes);
    summary.files += written.files;
    summary.bytes += written.bytes;
    summary.folders += 1 + 256;
    summary.manifestDbBytes.push(written.manifestDbBytes);
    folderTimes.push({ path: deviceDir, time: lastBackup });
  }
  // Folders last, deepest first: writing a file inside a folder changes the folder's time.
  for (const { path, time } of folderTimes) utimesSync(path, time, time);
  utimesSync(backupDir, newest, newest);
  return summary;
}

function deviceUdid(rnd: Random, device: DeviceShape): string {
  if (device.udid === 'legacy') return rnd.hex(40);
  return `00008${rnd.hex(3)}-${rnd.hex(16)}`.toUpperCase();
}

async function writeDevice(
  dir: string,
  device: DeviceShape,
  udid: string,
  preset: Preset,
  seed: string,
  rnd: Random,
  lastBackup: number,
  folderTimes: { path: string; time: number }[],
): Promise<{ files: number; bytes: number; manifestDbBytes: number }> {
  mkdirSync(dir, { mode: 0o755 });
  const bytes = new ByteStream(seed, udid);
  let files = 0;
  let total = 0;
  const writeTop = (name: string, content: Buffer | string): void => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o644 });
    const t = lastBackup - rnd.next() * 60;
    utimesSync(path, t, t);
    files++;
    total += Buffer.byteLength(content);
  };

  const info = infoPlist(device, udid, rnd, bytes, lastBackup);
  const manifestPlist = Buffer.concat([Buffer.from('bplist00'), bytes.take(rnd.int(20 * KiB, 60 * KiB))]);
  const status = Buffer.concat([Buffer.from('bplist00'), bytes.take(rnd.int(170, 190))]);
  // The four top-level files count towards the preset's files and bytes.
  const dataFiles = Math.round((preset.files - 4 * preset.devices.length) * device.share);
  const topBytes = Buffer.byteLength(info) + manifestPlist.length + status.length;
  // Manifest.db takes about 2 KiB a file (its row, its folders' rows, the plists, two indexes).
  const dataBytes = Math.max(0, Math.round(preset.bytes * device.share) - topBytes - dataFiles * 2 * KiB);
  const planned = planFiles(rnd, dataFiles, dataBytes, Math.max(1, Math.round(preset.bigFiles * device.share)), preset.bigShare);

  for (let b = 0; b < 256; b++) mkdirSync(join(dir, b.toString(16).padStart(2, '0')), { mode: 0o755 });
  const bucketNewest = new Map<string, number>();
  for (const file of planned) {
    const bucket = file.id.slice(0, 2);
    const path = join(dir, bucket, file.id);
    // A few files are private to the owner, so that modes are checked, not just assumed.
    const mode = rnd.next() < 0.02 ? 0o600 : 0o644;
    writeData(path, file.size, mode, bytes);
    const t = lastBackup - rnd.next() * TWO_YEARS;
    utimesSync(path, t, t);
    bucketNewest.set(bucket, Math.max(bucketNewest.get(bucket) ?? 0, t));
    files++;
    total += file.size;
  }
  for (let b = 0; b < 256; b++) {
    const bucket = b.toString(16).padStart(2, '0');
    // A bucket's time is when a file was last added to it; an empty one was made at the first backup.
    const t = bucketNewest.get(bucket) ?? lastBackup - TWO_YEARS - rnd.next() * 3600;
    folderTimes.push({ path: join(dir, bucket), time: t });
  }

  writeTop('Info.plist', info);
  writeTop('Manifest.plist', manifestPlist);
  writeTop('Status.plist', status);
  const rows: ManifestRow[] = [];
  const folderRows = new Set<string>();
  const plist = (): Buffer => Buffer.concat([Buffer.from('bplist00'), bytes.take(rnd.int(400, 1200))]);
  for (const f of planned) {
    rows.push({ fileID: f.id, domain: f.domain, relativePath: f.relativePath, flags: 1, blob: plist() });
    // iOS also lists every folder on the way (flags 2), with no file in a bucket.
    for (let p = f.relativePath; p.includes('/'); ) {
      p = p.slice(0, p.lastIndexOf('/'));
      const key = `${f.domain}-${p}`;
      if (folderRows.has(key)) break;
      folderRows.add(key);
      rows.push({ fileID: createHash('sha1').update(key).digest('hex'), domain: f.domain, relativePath: p, flags: 2, blob: plist() });
    }
  }
  const dbPath = join(dir, 'Manifest.db');
  const dbBytes = await writeManifestDb(dbPath, rows);
  const t = lastBackup - rnd.next() * 60;
  utimesSync(dbPath, t, t);
  files++;
  total += dbBytes;
  return { files, bytes: total, manifestDbBytes: dbBytes };
}

function writeData(path: string, size: number, mode: number, bytes: ByteStream): void {
  if (size <= MiB) {
    writeFileSync(path, bytes.take(size), { mode });
    return;
  }
  const fd = openSync(path, 'wx', mode);
  try {
    for (let left = size; left > 0; left -= MiB) writeSync(fd, bytes.take(Math.min(MiB, left)));
  } finally {
    closeSync(fd);
  }
}

/**
 * The data files' names and sizes. The big ones share `bigShare` of the bytes (each kept within
 * 5-200 MiB); the small ones follow lo * (hi/lo)^(u^k) on 1-200 KiB, k chosen so that their mean
 * fills the rest (k = 1 is log-uniform; larger k favours small files, as on a real phone).
 */
function planFiles(rnd: Random, count: number, bytes: number, bigCount: number, bigShare: number): PlannedFile[] {
  const files: PlannedFile[] = [];
  const ids = new Set<string>();
  const add = (domain: string, relativePath: string, size: number): void => {
    const id = createHash('sha1').update(`${domain}-${relativePath}`).digest('hex');
    if (ids.has(id)) return;
    ids.add(id);
    files.push({ id, domain, relativePath, size });
  };
  const draws = Array.from({ length: bigCount }, () => Math.exp(Math.log(BIG_MIN) + rnd.next() * Math.log(BIG_MAX / BIG_MIN)));
  const drawn = draws.reduce((a, b) => a + b, 0);
  let bigBytes = 0;
  for (const [i, d] of draws.entries()) {
    const size = Math.round(Math.min(BIG_MAX, Math.max(BIG_MIN, (d * bytes * bigShare) / drawn)));
    add('CameraRollDomain', `Media/DCIM/1${String(i % 100).padStart(2, '0')}APPLE/IMG_${String(9000 + i)}.MOV`, size);
    bigBytes += size;
  }
  const smallCount = count - files.length;
  const k = exponentForMean((bytes - bigBytes) / Math.max(1, smallCount));
  const ratio = SMALL_MAX / SMALL_MIN;
  for (let i = 0; files.length < count; i++) {
    const size = Math.round(SMALL_MIN * ratio ** (rnd.next() ** k));
    const [domain, path] = smallFilePlace(rnd, i);
    add(domain, path, size);
  }
  // Shuffle so that big files are not the first written (the order of writing is the inode order).
  for (let i = files.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    const a = files[i];
    const b = files[j];
    if (a !== undefined && b !== undefined) {
      files[i] = b;
      files[j] = a;
    }
  }
  return files;
}

/** The k whose distribution lo * r^(u^k), u uniform on [0, 1), has this mean (bisection on log k). */
function exponentForMean(mean: number): number {
  const r = SMALL_MAX / SMALL_MIN;
  const meanOf = (k: number): number => {
    const steps = 4000;
    let sum = 0;
    for (let i = 0; i < steps; i++) sum += SMALL_MIN * r ** (((i + 0.5) / steps) ** k);
    return sum / steps;
  };
  let lo = -6;
  let hi = 6;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (meanOf(Math.exp(mid)) > mean) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

const APPS = ['com.apple.mobilenotes', 'net.whatsapp.WhatsApp', 'com.spotify.client', 'com.google.Maps', 'org.mozilla.ios.Firefox'];

function smallFilePlace(rnd: Random, i: number): [string, string] {
  const pick = rnd.next();
  if (pick < 0.45) return ['CameraRollDomain', `Media/PhotoData/Thumbnails/V2/DCIM/100APPLE/IMG_${i}.JPG/5005.JPG`];
  if (pick < 0.8) {
    const app = APPS[i % APPS.length] ?? 'com.example.app';
    return [`AppDomain-${app}`, `Library/Caches/${rnd.hex(2)}/${i}.dat`];
  }
  if (pick < 0.95) return ['HomeDomain', `Library/SMS/Attachments/${rnd.hex(2)}/${i}/IMG_${i}.HEIC`];
  return ['MediaDomain', `Media/Recordings/${i}.m4a`];
}

/** Info.plist as iTunes and Finder write it: XML, 1 MiB or more because of the embedded iTunes files. */
function infoPlist(device: DeviceShape, udid: string, rnd: Random, bytes: ByteStream, lastBackup: number): string {
  const date = new Date(lastBackup * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  const data = (n: number): string => bytes.take(n).toString('base64').replace(/(.{68})/g, '$1\n\t\t\t');
  const entry = (key: string, value: string): string => `\t<key>${key}</key>\n\t<string>${value}</string>\n`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
    '<plist version="1.0">\n<dict>\n' +
    entry('Build Version', '21E236') +
    entry('Device Name', device.name.replace(/'/g, '&apos;')) +
    entry('Display Name', device.name.replace(/'/g, '&apos;')) +
    entry('GUID', rnd.hex(32).toUpperCase()) +
    `\t<key>Last Backup Date</key>\n\t<date>${date}</date>\n` +
    entry('Product Name', device.productType.startsWith('iPad') ? 'iPad' : 'iPhone') +
    entry('Product Type', device.productType) +
    entry('Product Version', '17.4.1') +
    entry('Serial Number', rnd.hex(12).toUpperCase()) +
    entry('Target Identifier', udid) +
    entry('Target Type', 'Device') +
    entry('Unique Identifier', udid.toUpperCase()) +
    '\t<key>iTunes Files</key>\n\t<dict>\n' +
    `\t\t<key>IC-Info.sidv</key>\n\t\t<data>\n\t\t\t${data(rnd.int(600 * KiB, 900 * KiB))}\n\t\t</data>\n` +
    `\t\t<key>iTunesPrefs</key>\n\t\t<data>\n\t\t\t${data(rnd.int(8 * KiB, 30 * KiB))}\n\t\t</data>\n` +
    '\t</dict>\n' +
    entry('iTunes Version', '12.13.2.3') +
    '</dict>\n</plist>\n'
  );
}
