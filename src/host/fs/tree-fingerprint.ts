/**
 * A cheap record of everything below a folder, to tell whether anything in it changed between
 * two moments (the copy's start and the moment the original is put aside), without reading a
 * byte of the files. Each entry is recorded by its kind, size, modification time, change time
 * and inode number. The change time is what makes it sound: the kernel sets it on every write,
 * truncate, chmod, chown, rename and link count change, and no unprivileged call can set it
 * back (utimes sets only the access and modification times). So a same-size in-place rewrite
 * whose mtime was restored still shows. Folders are recorded too: adding or removing an entry
 * changes the folder's times. The folder itself (the root) is left out: its own times change
 * with the entries `skipTop` leaves out.
 *
 * The digest is sha256 over the canonical form: one line per entry, sorted by relative path,
 * `<path>\0<kind> <size> <mtime ns> <ctime ns> <ino>\n` (for the top-level entries of a
 * `renamedTop` fingerprint, a copy's identity at its final names: see recordOf). Two
 * fingerprints are only compared with one made by the same host (the mover keeps the digest in
 * its journal entry).
 *
 * Speed: one lstat per entry, synchronous in chunks (as walk-tree.ts, which measured
 * lstatSync at about twice the speed of promise lstat): see docs/performance.md.
 */

import { lstatSync, readdirSync, type BigIntStats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { errnoCode } from '../../errors.js';
import type { EntryKind, FileStat, FingerprintOptions, HostReads, TreeFingerprint } from '../host.js';
import { fsError } from './fs-error.js';
import { kindOf } from './entry-kind.js';
import { nodeCrypto } from '../lazy-crypto.js';
import { leftOutAtTop } from './top-level-names.js';

const CHUNK = 256;

/**
 * The most entries whose records are kept to be used again later (a summary's fingerprint, a
 * verified copy's identity: copy-identity.ts): about 150 bytes an entry, so that what is kept
 * stays small however large the tree. A larger tree is walked or compared again instead, which
 * costs little beside its copy.
 */
export const RECORDED_ENTRIES_MAX = 20_000;

/** What one entry's record is made of (lstat's fields, times in nanoseconds). */
interface EntryStats {
  kind: EntryKind;
  size: bigint | number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: bigint | number;
  mode: bigint | number;
  uid: bigint | number;
  gid: bigint | number;
}

/**
 * One entry's record, as it goes into the canonical form; the inode number always comes last
 * (copy-identity.ts reads it back). A top-level entry of a `renamedTop` fingerprint leaves out
 * its change time, which the rename itself sets, and, for a folder, its modification time (a
 * folder moved to another parent has its ".." rewritten, which some file systems count as a
 * change of the folder); its mode and owner, which the change time no longer vouches for, are
 * recorded instead. Its contents are the entries below it, each recorded in full.
 */
function recordOf(e: EntryStats, renamedTop: boolean): string {
  // A folder's size is whatever the file system says (ext4: 4096, APFS: entries × 32); it
  // changes with the listing, as the folder's times do.
  if (!renamedTop) return `${e.kind} ${e.size} ${e.mtimeNs} ${e.ctimeNs} ${e.ino}`;
  const mtime = e.kind === 'directory' ? '-' : String(e.mtimeNs);
  return `${e.kind} ${e.size} ${mtime} m${e.mode.toString(8)}:${e.uid}:${e.gid} ${e.ino}`;
}

/** The change time of a record made without `renamedTop` (its fourth field). */
function ctimeOfRecord(record: string): bigint | undefined {
  const field = record.split(' ')[3];
  return field === undefined || !/^\d+$/.test(field) ? undefined : BigInt(field);
}

/**
 * An entry's record as a `renamedTop` fingerprint of the same tree would make it, from an lstat
 * read elsewhere (the comparison's: compare-trees.ts), for fingerprintOfRecords.
 */
export function identityRecord(relativePath: string, st: BigIntStats): string {
  return statsRecord(st, !relativePath.includes('/'));
}

function statsRecord(st: BigIntStats, renamedTop: boolean): string {
  const { size, mtimeNs, ctimeNs, ino, mode, uid, gid } = st;
  return recordOf({ kind: kindOf(st), size, mtimeNs, ctimeNs, ino, mode, uid, gid }, renamedTop);
}

/** The fingerprint, with its records, of entries recorded one by one (identityRecord). */
export function fingerprintOfRecords(records: ReadonlyMap<string, string>): TreeFingerprint {
  const builder = new FingerprintBuilder();
  for (const [rel, record] of records) builder.add(rel, record);
  return builder.finish(true);
}


/**
 * Fingerprints a tree from lstats read by another walk (summarize-tree.ts sizes a folder to be
 * moved and fingerprints it in the same walk): `add` every entry below the root, then `finish`.
 * The result keeps its records, so that narrowFingerprint can give the fingerprint with any
 * top-level names left out without walking again.
 */
export class FingerprintRecorder {
  private readonly builder = new FingerprintBuilder();

  add(rel: string, st: BigIntStats): void {
    this.builder.add(rel, statsRecord(st, false), st.ctimeNs);
  }

  finish(): TreeFingerprint {
    return this.builder.finish(true);
  }
}

/**
 * The fingerprint `options` ask for, made from a whole one with records (FingerprintRecorder's):
 * its entries less the top-level names options leave out, exactly as fingerprintTree would have
 * recorded them in the same walk. Undefined for `renamedTop`, whose records differ.
 */
export function narrowFingerprint(whole: TreeFingerprint, options: FingerprintOptions = {}): TreeFingerprint | undefined {
  if (whole.records === undefined || options.renamedTop === true) return undefined;
  const left = leftOutAtTop(options);
  // Nothing left out (a move of a whole folder): the same records, so the same fingerprint. Made
  // anew it cost 15-25 ms of a small move's dry run (every record's change time parsed back).
  if (![...whole.records.keys()].some((rel) => left(topName(rel)))) {
    const same: TreeFingerprint = { digest: whole.digest, entries: whole.entries };
    if (whole.newest !== undefined) same.newest = { ...whole.newest };
    if (options.keepEntries === true) same.records = new Map(whole.records);
    return same;
  }
  const builder = new FingerprintBuilder();
  for (const [rel, record] of whole.records) {
    if (left(topName(rel))) continue;
    builder.add(rel, record, ctimeOfRecord(record));
  }
  return builder.finish(options.keepEntries === true);
}

/** The top-level name an entry's relative path is under. */
function topName(rel: string): string {
  const slash = rel.indexOf('/');
  return slash === -1 ? rel : rel.slice(0, slash);
}

/** Collects records and makes the fingerprint: digest, count, newest entry, and the records when asked. */
class FingerprintBuilder {
  private readonly records = new Map<string, string>();
  private newest: { path: string; ctimeNs: bigint } | undefined;

  /** Without a change time (a record made elsewhere), the entry is not a candidate for `newest`. */
  add(rel: string, record: string, ctimeNs?: bigint): void {
    this.records.set(rel, record);
    // Of entries changed at the same moment (the clock's tick is coarse), the first in path
    // order: the same whatever order a walk met them in (narrowFingerprint's is sorted).
    const newest = this.newest;
    if (ctimeNs !== undefined && (newest === undefined || ctimeNs > newest.ctimeNs || (ctimeNs === newest.ctimeNs && byCodeUnits(rel, newest.path) < 0))) {
      this.newest = { path: rel, ctimeNs };
    }
  }

  finish(keepEntries: boolean): TreeFingerprint {
    const h = nodeCrypto().createHash('sha256');
    const paths = [...this.records.keys()].sort(byCodeUnits);
    for (const p of paths) h.update(`${p}\0${this.records.get(p) ?? ''}\n`);
    const result: TreeFingerprint = { digest: h.digest('hex'), entries: paths.length };
    if (this.newest !== undefined) result.newest = { path: this.newest.path, ctimeMs: Number(this.newest.ctimeNs / 1_000_000n) };
    if (keepEntries) result.records = new Map(paths.map((p) => [p, this.records.get(p) ?? '']));
    return result;
  }
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The fingerprint of the tree below root (a folder; not a link to one), read from the disk.
 * A folder or file that cannot be read throws its error (EACCES, EPERM): what cannot be seen
 * cannot be vouched for. An entry that vanishes during the walk is left out (and so differs).
 */
export async function fingerprintTree(root: string, options: FingerprintOptions = {}): Promise<TreeFingerprint> {
  const rootStats = await lstat(root);
  if (!rootStats.isDirectory()) throw fsError('ENOTDIR', 'scandir', root);
  const left = leftOutAtTop(options);
  const renamedTop = options.renamedTop === true;
  const builder = new FingerprintBuilder();
  const stack: { abs: string; rel: string }[] = [{ abs: root, rel: '' }];
  let sinceYield = 0;
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    let names: string[];
    try {
      // Synchronous as the lstat below (walk-tree.ts measured both); yields every chunk.
      names = readdirSync(next.abs);
    } catch (error) {
      if (next.rel !== '' && errnoCode(error) === 'ENOENT') continue;
      throw error;
    }
    if (++sinceYield >= CHUNK) {
      sinceYield = 0;
      await yieldToLoop();
    }
    for (const name of names) {
      if (next.rel === '' && left(name)) continue;
      const rel = next.rel === '' ? name : `${next.rel}/${name}`;
      const abs = join(next.abs, name);
      let st: BigIntStats;
      try {
        st = lstatSync(abs, { bigint: true });
      } catch (error) {
        if (errnoCode(error) === 'ENOENT') continue;
        throw error;
      }
      builder.add(rel, statsRecord(st, renamedTop && next.rel === ''), st.ctimeNs);
      if (st.isDirectory()) stack.push({ abs, rel });
      if (++sinceYield >= CHUNK) {
        sinceYield = 0;
        await yieldToLoop();
      }
    }
  }
  return builder.finish(options.keepEntries === true);
}

/**
 * The same fingerprint read through a host's lstat and readdir (the dry-run host, whose
 * copies and renames are records in its overlay). Times come in milliseconds there, so they
 * are recorded at that precision: compare only with fingerprints made by the same host.
 */
export async function fingerprintVia(
  host: Pick<HostReads, 'lstat' | 'readdir'>,
  root: string,
  options: FingerprintOptions = {},
): Promise<TreeFingerprint> {
  const rootStats = await host.lstat(root);
  if (rootStats === undefined) throw fsError('ENOENT', 'scandir', root);
  if (rootStats.kind !== 'directory') throw fsError('ENOTDIR', 'scandir', root);
  const left = leftOutAtTop(options);
  const renamedTop = options.renamedTop === true;
  const builder = new FingerprintBuilder();
  const stack: { abs: string; rel: string }[] = [{ abs: root, rel: '' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    for (const name of await host.readdir(next.abs)) {
      if (next.rel === '' && left(name)) continue;
      const rel = next.rel === '' ? name : `${next.rel}/${name}`;
      const abs = join(next.abs, name);
      const st: FileStat | undefined = await host.lstat(abs);
      if (st === undefined) continue;
      const ns = (ms: number): bigint => BigInt(Math.round(ms * 1_000_000));
      const record = recordOf({ ...st, mtimeNs: ns(st.mtimeMs), ctimeNs: ns(st.ctimeMs) }, renamedTop && next.rel === '');
      builder.add(rel, record, ns(st.ctimeMs));
      if (st.kind === 'directory') stack.push({ abs, rel });
    }
  }
  return builder.finish(options.keepEntries === true);
}

export interface FingerprintDifference {
  /** Relative path (posix) of the first entry, in path order, that differs. */
  path: string;
  change: 'added' | 'removed' | 'changed';
}

/**
 * The first entry that differs between two fingerprints made with `keepEntries` (undefined
 * when they hold the same records). Without records, only digests can be compared: then this
 * says nothing (undefined) and the caller names `newest` instead.
 */
export function firstDifference(before: TreeFingerprint, after: TreeFingerprint): FingerprintDifference | undefined {
  const a = before.records;
  const b = after.records;
  if (a === undefined || b === undefined) return undefined;
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort(byCodeUnits);
  for (const p of paths) {
    const x = a.get(p);
    const y = b.get(p);
    if (x === y) continue;
    return { path: p, change: x === undefined ? 'added' : y === undefined ? 'removed' : 'changed' };
  }
  return undefined;
}
