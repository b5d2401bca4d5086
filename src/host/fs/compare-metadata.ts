/**
 * The metadata half of verifying a copy (compare-trees.ts walks names, kinds, sizes and bytes):
 * what the copy's file system keeps, checked entry by entry as the walk meets it, plus extended
 * attributes and ACLs from one bulk dump per side, started once the top-level names are known
 * (it runs while the walk goes on) and compared at the end; the original's side may be the
 * copier's dump instead (CompareOptions.originalAttributes).
 *
 * What is checked, by where the copy is:
 * - a Linux file system that holds Unix metadata (unix-file-systems.ts): modes (all
 *   12 bits, files and folders), modification times of files, folders and links (to 1 µs: the
 *   Node copy passes times as doubles; cp -a keeps the nanoseconds), owners when running as
 *   root, the hard-link structure (files that are one inode in the original are one in the copy,
 *   and no more), and every extended attribute but security.* (SELinux labels are the
 *   destination's policy's) through `getfattr -R -d -m - -h -e hex`, POSIX ACLs included;
 * - anywhere else (FAT32, exFAT, FUSE and network drives, macOS, Windows): file modification
 *   times to 2 s (FAT's resolution). On macOS, ditto's exit status vouches for xattrs, ACLs,
 *   modes and hard links (assumption DITTO_KEEPS_METADATA: there is no getfattr, and `xattr -r`
 *   costs a process per file on older systems).
 *
 * Memory: the walk holds one record per name of a file with more than one name (hard links),
 * and the dumps hold only the files that have attributes.
 */

import { lstatSync, readdirSync, statfsSync, type BigIntStats } from 'node:fs';
import type { EntryKind, OriginalAttributes } from '../host.js';
import { fsTypeName } from './fs-type-names.js';
import { UNIX_FILE_SYSTEMS } from './unix-file-systems.js';

/**
 * 2 µs, in ns. Node sets times as a double of seconds (about 0.24 µs apart at today's dates) and
 * libuv truncates it (uv__fs_to_timespec; Node 22's libuv to whole microseconds): a copy made by
 * handing it `mtimeMs / 1000`, as provision did before utimes-seconds.ts, can be up to about
 * 1.25 µs earlier than the original. Copies made now land in the original's microsecond; the
 * margin keeps the copies of a move begun by an earlier version verifiable.
 */
const FINE = 2000n;
/** FAT keeps modification times to 2 s. */
const COARSE_MS = 2000;

export interface MetadataCheck {
  /** Whether the copy's file system keeps Unix metadata (modes, owners, xattrs, hard links). */
  readonly unix: boolean;
  /** The first metadata difference of one entry (both sides exist, of this kind), or undefined. */
  entry(rel: string, from: string, to: string, kind: EntryKind): string | undefined;
  /** The sizes entry() has just read for `from` and its copy (the walk needs no lstat of its own), or undefined. */
  sizes(from: string): [number, number] | undefined;
  /** The lstat of the copy entry() has just judged `from` against, or undefined. */
  copyStats(from: string): BigIntStats | undefined;
  /**
   * The top-level names are known: the attribute dumps (a process per side) start now and run
   * while the walk goes on. Optional: finish() dumps then if begin() was not called.
   */
  begin(names: readonly string[]): void;
  /** After the walk found nothing else: the first xattr or ACL difference. */
  finish(names: readonly string[]): Promise<string | undefined>;
}

type Dump = ReadonlyMap<string, ReadonlyMap<string, string>> | undefined;

/**
 * The check for a copy at `copy` (read only: nothing is written to find out). `known`, what the
 * copier read of the original's attributes, stands for the original's dump when it is of the
 * same root and the same top-level names (CompareOptions.originalAttributes says when it may).
 */
export function metadataCheck(original: string, copy: string, known?: OriginalAttributes): MetadataCheck {
  const unix = process.platform === 'linux' && UNIX_FILE_SYSTEMS.has(typeOf(copy));
  const asRoot = process.getuid?.() === 0;
  // Hard links: each side's inode mapped to the other side's, for files with several names.
  const toCopy = new Map<string, { ino: string; path: string }>();
  const toOriginal = new Map<string, { ino: string; path: string }>();
  let last: { from: string; sizes: [number, number]; copy: BigIntStats } | undefined;
  let begun: { names: string; dumps: Promise<[Dump, Dump]> } | undefined;
  const originalDump = (names: readonly string[]): Promise<Dump> =>
    known !== undefined && known.root === original && sameNames(known.names, names) ? Promise.resolve(known.dump) : dumpAttributes(original, names);
  const dumps = (names: readonly string[]): Promise<[Dump, Dump]> => Promise.all([originalDump(names), dumpAttributes(copy, names)]);
  return {
    unix,
    entry(rel, from, to, kind) {
      const a = lstatSync(from, { bigint: true });
      const b = lstatSync(to, { bigint: true });
      last = { from, sizes: [Number(a.size), Number(b.size)], copy: b };
      if (!unix) {
        if (kind !== 'file') return undefined;
        const drift = Math.abs(Number((a.mtimeNs - b.mtimeNs) / 1_000_000n));
        return drift > COARSE_MS ? timesDiffer(rel, a, b) : undefined;
      }
      if (kind !== 'symlink' && (a.mode & 0o7777n) !== (b.mode & 0o7777n)) {
        return `${rel} has mode ${octal(b.mode)} in the copy, ${octal(a.mode)} in the original`;
      }
      if (asRoot && (a.uid !== b.uid || a.gid !== b.gid)) {
        return `${rel} is owned by ${b.uid}:${b.gid} in the copy, by ${a.uid}:${a.gid} in the original`;
      }
      const drift = a.mtimeNs > b.mtimeNs ? a.mtimeNs - b.mtimeNs : b.mtimeNs - a.mtimeNs;
      if (drift > FINE) return timesDiffer(rel, a, b);
      if (kind === 'file' && (a.nlink > 1n || b.nlink > 1n)) return sameLinks(rel, a, b, toCopy, toOriginal);
      return undefined;
    },
    sizes(from) {
      return last?.from === from ? last.sizes : undefined;
    },
    copyStats(from) {
      return last?.from === from ? last.copy : undefined;
    },
    begin(names) {
      if (!unix || names.length === 0 || begun !== undefined) return;
      begun = { names: names.join('\0'), dumps: dumps(names) };
      // Awaited by finish(); a walk that stops at a difference never asks.
      begun.dumps.catch(() => undefined);
    },
    async finish(names) {
      if (!unix || names.length === 0) return undefined;
      const [x, y] = await (begun?.names === names.join('\0') ? begun.dumps : dumps(names));
      if (x === undefined || y === undefined) return undefined;
      for (const [path, attrs] of x) {
        const other = y.get(path) ?? new Map<string, string>();
        for (const [name, value] of attrs) {
          const there = other.get(name);
          if (there === undefined) return `${unescape(path)} has ${describeAttribute(name)} in the original but not in the copy`;
          if (there !== value) return `${unescape(path)} has a different ${describeAttribute(name).replace(/^an? /, '')} in the copy`;
        }
        for (const name of other.keys()) {
          if (!attrs.has(name)) return `${unescape(path)} has ${describeAttribute(name)} in the copy but not in the original`;
        }
      }
      for (const [path, attrs] of y) {
        const first = [...attrs.keys()][0];
        if (!x.has(path) && first !== undefined) return `${unescape(path)} has ${describeAttribute(first)} in the copy but not in the original`;
      }
      return undefined;
    },
  };
}

/** Whether two lists of top-level names hold the same names. */
function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((n) => set.has(n));
}

function typeOf(path: string): string {
  try {
    return fsTypeName(statfsSync(path).type);
  } catch {
    return 'unknown';
  }
}

function octal(mode: bigint): string {
  return `0${(mode & 0o7777n).toString(8)}`;
}

function timesDiffer(rel: string, a: BigIntStats, b: BigIntStats): string {
  return `${rel} was modified ${new Date(Number(b.mtimeMs)).toISOString()} in the copy, ${new Date(Number(a.mtimeMs)).toISOString()} in the original`;
}

/** One file of several names: its inode must match the same inode on the other side for every name. */
function sameLinks(
  rel: string,
  a: BigIntStats,
  b: BigIntStats,
  toCopy: Map<string, { ino: string; path: string }>,
  toOriginal: Map<string, { ino: string; path: string }>,
): string | undefined {
  const ka = `${a.dev}:${a.ino}`;
  const kb = `${b.dev}:${b.ino}`;
  const seenA = toCopy.get(ka);
  if (seenA !== undefined && seenA.ino !== kb) return `${seenA.path} and ${rel} are one file (hard links) in the original but separate files in the copy`;
  const seenB = toOriginal.get(kb);
  if (seenB !== undefined && seenB.ino !== ka) return `${seenB.path} and ${rel} are one file (hard links) in the copy but separate files in the original`;
  if (seenA === undefined) toCopy.set(ka, { ino: kb, path: rel });
  if (seenB === undefined) toOriginal.set(kb, { ino: ka, path: rel });
  return undefined;
}

function describeAttribute(name: string): string {
  if (name === 'system.posix_acl_access') return 'an access ACL';
  if (name === 'system.posix_acl_default') return 'a default ACL';
  return `extended attribute ${name}`;
}

/** getfattr escapes unusual characters in names as octal (\012); messages show them plainly. */
function unescape(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

/**
 * path (relative to root, as getfattr prints it) -> attribute -> hex value, for the entries
 * below root named `names` (top-level names), from one `getfattr` run; undefined when getfattr
 * is not installed (doctor names it; the check is then skipped).
 */
export async function dumpAttributes(root: string, names: readonly string[]): Promise<Map<string, Map<string, string>> | undefined> {
  // Synchronous, so that getfattr starts at once: begin() runs it beside a synchronous walk that
  // lets the event loop turn only every 10 ms, and each await here would wait for such a turn.
  const present = new Set(readdirSync(root));
  const args = names.filter((n) => present.has(n));
  if (args.length === 0) return new Map();
  // Relative names, run in root: both sides then print the same paths. Entries it cannot read
  // make it exit 1 with the rest printed: those are compared, and the walk names unreadable ones.
  const { execa } = await import('execa');
  const result = await execa('getfattr', ['-R', '-d', '-m', '-', '-h', '-e', 'hex', '--', ...args], { cwd: root, reject: false, stdin: 'ignore', env: { LC_ALL: 'C' }, maxBuffer: 1024 ** 3 });
  const code = 'code' in result && typeof result.code === 'string' ? result.code : undefined;
  if (code === 'ENOENT') return undefined;
  return parseAttributeDump(typeof result.stdout === 'string' ? result.stdout : '');
}

/** A `getfattr -d -e hex` dump as path -> attribute -> hex value: entries with none left out, security.* too. */
export function parseAttributeDump(stdout: string): Map<string, Map<string, string>> {
  const dump = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith('# file: ')) {
      current = new Map();
      dump.set(line.slice('# file: '.length), current);
    } else if (current !== undefined && line !== '') {
      const eq = line.indexOf('=');
      const name = eq === -1 ? line : line.slice(0, eq);
      if (name.startsWith('security.')) continue;
      current.set(name, eq === -1 ? '' : line.slice(eq + 1));
    }
  }
  for (const [path, attrs] of dump) if (attrs.size === 0) dump.delete(path);
  return dump;
}
