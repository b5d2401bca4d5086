/**
 * Verifies a copy against its original by walking both trees side by side, one folder at a time:
 * the same names, the same kind of entry, every file the same size, every link the same target,
 * with `content` (or `contentFor`) every file the same bytes, and the metadata the copy's drive
 * keeps: modes, times, owners, hard links, extended attributes and ACLs (compare-metadata.ts).
 *
 * Memory: only the listings of the folders being compared are held (both sides of one folder per
 * level of depth), never a list of every path. Two whole manifests of a 100,000-file backup
 * cost about 2 KiB per file, most of a move's peak memory.
 *
 * Content is compared byte for byte rather than through a hash of each side: both sides are read
 * once either way, and a comparison is exact and costs less CPU than hashing. Small files are
 * read whole, synchronously (a round trip through the thread pool costs more than the read),
 * into two buffers reused for every file: a new buffer per file made garbage faster than the
 * collector freed it (a peak of 115 MiB against 83 MiB for 2,000 files). Larger files are read
 * in chunks, a few at a time.
 */

import { closeSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { open, readlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { CompareOptions, EntryKind, OriginalAttributes } from '../host.js';
import { kindOf } from './entry-kind.js';
import { metadataCheck, type MetadataCheck } from './compare-metadata.js';
import { identityRecord } from './tree-fingerprint.js';
import { leftOutAtTop } from './top-level-names.js';
import { throwIfAborted } from './fs-error.js';
import { ProgressThrottle } from './progress-throttle.js';
import { TaskPool } from './task-pool.js';

const SMALL_FILE = 128 * 1024;
const CHUNK = 1024 * 1024;
const FILE_CONCURRENCY = 4;
const YIELD_EVERY_MS = 10;

/**
 * How the walk reads the two trees: the disk (diskReader, below), or a host's own view of them
 * (the dry-run host's, in host/host-tree-reader.ts). The walk and its messages are the same.
 */
export interface TreeReader {
  /** A folder's entries and their kinds. */
  list(dir: string): Promise<Map<string, EntryKind>>;
  /** A regular file's size. */
  size(path: string): number | Promise<number>;
  readlink(path: string): Promise<string>;
  /** Whether two files of this size hold the same bytes; without it, content is not compared. */
  sameBytes?(a: string, b: string, size: number, signal: AbortSignal | undefined): Promise<boolean>;
  /** Whether two paths are known to be one and the same entry underneath: equal without a walk. */
  same?(a: string, b: string): boolean;
  /**
   * The metadata check for these roots (compare-metadata.ts), given what the copier read of the
   * original's attributes if anything; without it, metadata is not compared.
   */
  metadata?(original: string, copy: string, known?: OriginalAttributes): MetadataCheck;
}

/** Why the copy differs from the original (the first difference found), or undefined when it does not. */
export function compareTrees(original: string, copy: string, options: CompareOptions = {}): Promise<string | undefined> {
  return compareWith(diskReader(), original, copy, options);
}

/** compareTrees through a reader. */
export async function compareWith(reader: TreeReader, original: string, copy: string, options: CompareOptions = {}): Promise<string | undefined> {
  const { signal } = options;
  const sameBytes = reader.sameBytes?.bind(reader);
  const byContent = options.content === true ? (): boolean => true : (options.contentFor ?? ((): boolean => false));
  const only = options.onlyTop === undefined ? undefined : new Set(options.onlyTop);
  // Outside `only`, a top-level name is not compared (it is another entry of a shared folder).
  const leftOut = leftOutAtTop(options);
  const skipped = (rel: string, name: string): boolean => rel === '' && leftOut(name);
  const progress = { files: 0, bytes: 0 };
  const throttle = new ProgressThrottle(options.onProgress);
  const pool = new TaskPool(FILE_CONCURRENCY);
  const meta = reader.metadata?.(original, copy, options.originalAttributes);
  // The top-level names compared, for the attribute dumps at the end.
  const compared: string[] = [];
  let found: string | undefined;
  // A metadata difference is reported only when nothing else differs: a missing or changed file
  // (which also changes its folder's time) is the clearer message.
  let metaFound: string | undefined;
  const differ = (why: string): void => {
    found ??= why;
  };
  const counted = (size: number): void => {
    progress.files++;
    progress.bytes += size;
    throttle.report(progress);
  };
  let lastYield = performance.now();

  const stack = [''];
  try {
    for (let rel = stack.pop(); rel !== undefined && found === undefined && !pool.failed; rel = stack.pop()) {
      throwIfAborted(signal, 'verify');
      const [a, b] = await Promise.all([reader.list(join(original, rel)), reader.list(join(copy, rel))]);
      if (rel === '' && only !== undefined) {
        const gone = [...only].find((n) => !a.has(n));
        if (gone !== undefined) {
          differ(`${gone} is missing from the original`);
          break;
        }
      }
      for (const [name, kind] of a) {
        if (found !== undefined || pool.failed) break;
        if (skipped(rel, name)) continue;
        const path = rel === '' ? name : `${rel}/${name}`;
        const other = b.get(name);
        if (other === undefined) {
          differ(`${path} is missing from the copy`);
          break;
        }
        if (kind !== other) {
          differ(`${path} is a ${kind} in the original and a ${other} in the copy`);
          break;
        }
        const from = join(original, path);
        const to = join(copy, path);
        if (reader.same?.(from, to) === true) continue;
        if (rel === '') compared.push(name);
        if (metaFound === undefined) metaFound = meta?.entry(path, from, to, kind);
        if (options.onCopyEntry !== undefined) {
          // The copy as judged: the lstat its size and metadata are compared by (a change after it shows in its change time).
          const judged = meta?.copyStats(from);
          if (judged !== undefined) options.onCopyEntry(path, identityRecord(path, judged));
        }
        if (kind === 'directory') {
          stack.push(path);
        } else if (kind === 'symlink') {
          const [x, y] = await Promise.all([reader.readlink(from), reader.readlink(to)]);
          if (x !== y) differ(`${path} points at ${y} in the copy, at ${x} in the original`);
        } else if (kind === 'file') {
          const [x, y] = meta?.sizes(from) ?? (await Promise.all([reader.size(from), reader.size(to)]));
          if (x !== y) {
            differ(`${path} has ${y} bytes in the copy, ${x} in the original`);
          } else if (sameBytes === undefined || !byContent(path)) {
            counted(x);
          } else {
            // A small file is compared before run() returns (see diskReader); large ones a few at a time.
            await pool.run(async () => {
              if (!(await sameBytes(from, to, x, signal))) differ(`${path} has different bytes in the copy`);
              counted(x);
            });
          }
        }
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          await yieldToLoop();
          lastYield = performance.now();
        }
      }
      if (found !== undefined) break;
      if (rel === '') meta?.begin(compared);
      for (const name of b.keys()) {
        // macOS writes a file's xattrs to FAT and exFAT as an AppleDouble file `._name` beside it.
        const appleDouble = meta?.unix !== true && name.startsWith('._') && a.has(name.slice(2));
        if (!a.has(name) && !skipped(rel, name) && !appleDouble) {
          differ(`${rel === '' ? name : `${rel}/${name}`} is in the copy but not in the original`);
          break;
        }
      }
    }
  } finally {
    await pool.drain().catch(() => undefined);
  }
  await pool.drain();
  throttle.final(progress);
  found ??= metaFound;
  if (found === undefined && meta !== undefined) found = await meta.finish(compared);
  return found;
}

/**
 * The disk, read for speed: kinds from the listing, sizes by lstatSync (a round trip through the
 * thread pool per file costs more than the call). A small file's bytes are read synchronously,
 * with no await before the comparison is done, into two buffers shared by every small file.
 */
function diskReader(): TreeReader {
  const smallX = Buffer.allocUnsafe(SMALL_FILE);
  const smallY = Buffer.allocUnsafe(SMALL_FILE);
  // A large file's two chunk buffers are used again by the next one (at most FILE_CONCURRENCY
  // pairs exist): a new pair of 1 MiB per file made the garbage collector take about 40% of a
  // content verification of the large preset (thousands of files over 128 KiB).
  const spare: [Buffer, Buffer][] = [];
  return {
    list: listing,
    size: (path) => lstatSync(path).size,
    metadata: metadataCheck,
    readlink: (path) => readlink(path),
    async sameBytes(a, b, size, signal) {
      if (size >= SMALL_FILE) {
        const buffers = spare.pop() ?? [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
        try {
          return await sameLargeFile(a, b, size, signal, buffers);
        } finally {
          spare.push(buffers);
        }
      }
      const n = readSmall(a, smallX);
      return n === readSmall(b, smallY) && smallX.subarray(0, n).equals(smallY.subarray(0, n));
    },
  };
}

/** Reads a small file into buf (up to its length, plus one byte to see growth); returns the bytes read. */
function readSmall(path: string, buf: Buffer): number {
  const fd = openSync(path, 'r');
  try {
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0 || got + n === buf.length) return got + n;
      got += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** Synchronous, as the sizes (walk-tree.ts measured a promise readdir per folder at twice the cost); an error rejects. */
async function listing(dir: string): Promise<Map<string, EntryKind>> {
  const entries = readdirSync(dir, { withFileTypes: true });
  return new Map(entries.map((e) => [e.name, kindOf(e)]));
}

/** Reads two files of the same size side by side in chunks (CHUNK bytes, into the buffers given); false at the first chunk that differs. */
async function sameLargeFile(a: string, b: string, size: number, signal: AbortSignal | undefined, [bufX, bufY]: [Buffer, Buffer]): Promise<boolean> {
  let x: FileHandle | undefined;
  let y: FileHandle | undefined;
  try {
    x = await open(a, 'r');
    y = await open(b, 'r');
    for (let at = 0; at < size; at += CHUNK) {
      throwIfAborted(signal, 'verify');
      const want = Math.min(CHUNK, size - at);
      const [rx, ry] = await Promise.all([readFully(x, bufX, want, at), readFully(y, bufY, want, at)]);
      if (rx !== ry || !bufX.subarray(0, rx).equals(bufY.subarray(0, ry))) return false;
    }
    // A file that grew after its size was taken differs from the original's copy, or is being written.
    const [endX, endY] = await Promise.all([x.read(bufX, 0, 1, size), y.read(bufY, 0, 1, size)]);
    return endX.bytesRead === endY.bytesRead;
  } finally {
    await x?.close();
    await y?.close();
  }
}

async function readFully(h: FileHandle, buf: Buffer, want: number, position: number): Promise<number> {
  let got = 0;
  while (got < want) {
    const { bytesRead } = await h.read(buf, got, want - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}
