/**
 * The one seam for all I/O (docs/design.md, note 3). Every filesystem call and every external command
 * the engine and the resource kinds make goes through a Host. Three implementations:
 * - RealHost does the work;
 * - ReadOnlyHost forwards reads and refuses every write (plan runs on it, so it cannot change
 *   anything by construction);
 * - DryRunHost forwards reads, records writes, and overlays their effect so later reads see
 *   the simulated state.
 * Paths given to a Host are paths on the computer running provision (host paths), never the
 * machine paths that a --root sandbox stands for; see machine/path-mapper.ts.
 */

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface FileStat {
  kind: EntryKind;
  dev: number;
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  /** Status change time: set by the kernel on every write, chmod, rename...; utimes cannot set it back. */
  ctimeMs: number;
}

export interface FsSpace {
  /** Bytes available to an unprivileged writer. */
  freeBytes: number;
  totalBytes: number;
  /**
   * The allocation unit (statfs f_bsize): every file and folder takes whole units of it. 4 KiB
   * on most drives, up to 128 KiB or more on a large exFAT drive, where a 1-byte file takes 128 KiB.
   */
  blockSize: number;
  /** File system type as a short name: apfs, hfs, msdos, exfat, ntfs, ext4, tmpfs, smbfs, ... or 'unknown'. */
  fsType: string;
}

/** What a walk of a folder found: used to size a move and to verify a copy. */
export interface TreeSummary {
  files: number;
  directories: number;
  symlinks: number;
  /** Sum of regular files' sizes. */
  bytes: number;
  largestFile: number;
  /** Paths (relative) that could not be read, with their errno code; empty when all was readable. */
  unreadable: { path: string; code: string }[];
  /**
   * Entries a copy cannot carry (fifo, socket, device), with what each is: the first few only
   * (see SUMMARY_SAMPLE). Left out when there is none.
   */
  uncopyable?: { path: string; what: string }[];
  /**
   * Names some drive cannot hold: longer than 255 bytes or 255 UTF-16 units, or holding a
   * character FAT and exFAT refuse. The first few only; left out when there is none.
   */
  awkwardNames?: AwkwardName[];
  /** The first link found, for drives that cannot hold links (FAT, exFAT). Left out when there is none. */
  firstLink?: string;
  /**
   * With `withFingerprint`: the folder's fingerprint from the same walk, with its records (see
   * SummarizeOptions). Left out when any part could not be read, or the folder holds more
   * entries than are kept in memory for it.
   */
  fingerprint?: TreeFingerprint;
  /**
   * Names of files that have another name inside the tree (hard links), beyond each file's
   * first: `files` counts them, `bytes` is what they would take as separate copies (on a drive
   * without hard links). `bytes` above counts each such file once. Left out when there is none.
   */
  extraNames?: { files: number; bytes: number };
  /**
   * Files that also have names outside the tree (more links than names found inside): moving
   * the tree copies them while their other names keep the data on this disk. `first` is one of
   * them (relative). Left out when there is none.
   */
  linkedOutside?: { files: number; bytes: number; first: string };
}

/** A name found by a walk that some file system cannot hold (see host/fs/name-limits.ts). */
export interface AwkwardName {
  /** Relative path of the entry. */
  path: string;
  /** The last component's length in UTF-8 bytes (the limit of APFS, ext4, tmpfs: 255). */
  bytes: number;
  /** Its length in UTF-16 code units (the limit of FAT long names, exFAT and HFS+: 255). */
  units: number;
  /** It holds a character FAT and exFAT refuse. */
  fatUnsafe: boolean;
}

/** A map from relative path to size for every entry below a folder (directories have size -1, links -2). */
export type TreeManifest = Map<string, number>;

export interface SummarizeOptions {
  /**
   * Fingerprint the folder in the same walk (a folder about to be moved, whose fingerprint the
   * move takes next): host/round-reads.ts then answers a fingerprint of it from this one while
   * the summary is recent.
   */
  withFingerprint?: boolean;
}

export interface FingerprintOptions {
  /** Top-level names to leave out (as CompareOptions.skipTop). */
  skipTop?: readonly string[];
  /** Keep every entry's record in the result, for firstDifference (about 100 bytes an entry). */
  keepEntries?: boolean;
  /** Only these top-level names (the entries a move owns in a shared folder). */
  onlyTop?: readonly string[];
  /**
   * The top-level entries were just renamed into the folder (a copy promoted to its final
   * names): their records leave out what a rename itself changes (their change time; a
   * folder's modification time) and keep their mode and owner instead. Entries below them are
   * recorded as always.
   */
  renamedTop?: boolean;
}

/**
 * What a folder held at one moment, cheaply (see host/fs/tree-fingerprint.ts): every entry below
 * it by kind, size, modification and change time, and inode, hashed.
 */
export interface TreeFingerprint {
  /** sha256 (hex) of the canonical form; equal digests: nothing below the folder changed. */
  digest: string;
  /** Entries below the folder (the folder itself not counted). */
  entries: number;
  /** The entry changed last (greatest change time), relative: after a change, the likeliest to name. */
  newest?: { path: string; ctimeMs: number };
  /** Relative path to record, sorted, with keepEntries only. */
  records?: Map<string, string>;
}

export interface CopyProgress {
  files: number;
  bytes: number;
}

/**
 * The extended attributes and ACLs of a copy's original as the copier read them right before
 * it copied (Linux: its `getfattr` dump, copy-with-attributes.ts): by path relative to `root`,
 * for the top-level `names` copied, attribute name to hex value; security.* left out.
 */
export interface OriginalAttributes {
  readonly root: string;
  readonly names: readonly string[];
  readonly dump: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** What a copy did, and what it read of the original on the way. */
export interface CopyResult extends CopyProgress {
  /** Given by the Linux copy of `entries` when it read them (not by cp -a, ditto or a dry run). */
  originalAttributes?: OriginalAttributes;
}

export interface CopyOptions {
  onProgress?: (p: CopyProgress) => void;
  signal?: AbortSignal;
  /**
   * Copy only these top-level entries of the folder `from` into the folder `to`, which must
   * exist, in one run of the copier: files that are one inode under two entries (hard links)
   * stay one inode in the copy. Without it, `from` (a folder, file or link) is copied to `to`,
   * which must not exist.
   */
  entries?: readonly string[];
}

/** Progress of removing a tree: regular files removed so far (bytes are not counted). */
export interface RemoveOptions {
  onProgress?: (p: CopyProgress) => void;
}

export interface CompareOptions {
  /** Top-level names of the original to leave out (entries discarded rather than moved). */
  skipTop?: readonly string[];
  /**
   * Compare only these top-level names, on both sides: a moved entry at its final place in a
   * folder on the drive that holds other things too. Each must exist in the original.
   */
  onlyTop?: readonly string[];
  /** Compare every file's bytes as well as its size. */
  content?: boolean;
  /**
   * Without `content`, the files whose bytes are still compared, by their path relative to the
   * compared roots (posix separators): an app library's databases, which are rewritten in place
   * at the same size.
   */
  contentFor?: (relativePath: string) => boolean;
  onProgress?: (p: CopyProgress) => void;
  signal?: AbortSignal;
  /**
   * Each entry of the copy as the comparison judged it, by relative path: its fingerprint
   * record (tree-fingerprint.ts, `renamedTop`) made from the very lstat its size and metadata
   * were compared by, for knowing the verified copy again (engine/apply/copy-identity.ts).
   * Called only by a comparison that reads the disk; entries it did not judge are not given.
   */
  onCopyEntry?: (relativePath: string, record: string) => void;
  /**
   * The original's attributes as its copier read them (CopyResult): they stand for the
   * original's side of the attribute comparison when they are of the same root and top-level
   * names, instead of reading them again. Only for a copy whose original is fingerprinted again
   * before anything is removed: an attribute or ACL set on the original since that read changes
   * its change time, which the fingerprint holds (test/host/fs/copy-metadata.test.ts checks it).
   */
  originalAttributes?: OriginalAttributes;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

import type { TcpAnswer } from './tcp-answers.js';

export interface RunOptions {
  /** Standard input for the command. */
  input?: string;
  env?: Record<string, string>;
  /**
   * The output changes from moment to moment whatever the world does (lsof's pids and
   * descriptors): a saved plan records only the exit code. What it concluded is in the plan itself.
   */
  volatile?: boolean;
  /**
   * The answer describes the volume mounted at this path and stays true while it is mounted
   * there (diskutil info: its UUID, format, medium; the free space it also prints is read from
   * no kept answer). An apply round may give it again a moment
   * later while the same volume (device number) is still there (host/round-reads.ts).
   */
  describesVolume?: string;
  /** Give the command this terminal as standard input, for a password it prompts for (never passed as an argument). */
  interactive?: boolean;
  /**
   * Called as soon as the command's process has been started, so that the caller can load what
   * reads its answer while it runs rather than before it starts (both take the main thread).
   * Not called for an answer given again (host/round-reads.ts) or a command that cannot start.
   */
  onSpawned?: () => void;
}

export type LinkType = 'symlink' | 'junction';

export interface HostReads {
  /** lstat: never follows links. Undefined when nothing is there (ENOENT/ENOTDIR). */
  lstat(path: string): Promise<FileStat | undefined>;
  readlink(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  readFile(path: string): Promise<Buffer>;
  statfs(path: string): Promise<FsSpace>;
  /** Whether the current process may write into the directory at path (access W_OK|X_OK). */
  canWrite(path: string): Promise<boolean>;
  /** Walks a folder without following links. */
  summarize(path: string, options?: SummarizeOptions): Promise<TreeSummary>;
  manifest(path: string): Promise<TreeManifest>;
  /**
   * Verifies a copy against its original: the same entries, kinds, file sizes and link targets
   * (and bytes, with content). The first difference found, or undefined when there is none.
   */
  compareTrees(original: string, copy: string, options?: CompareOptions): Promise<string | undefined>;
  /**
   * A record of everything below a folder (a real folder, not a link to one) that changes
   * whenever anything in it is written, created, removed or renamed, without reading the files.
   * A part that cannot be read throws its error.
   */
  fingerprint(path: string, options?: FingerprintOptions): Promise<TreeFingerprint>;
  /** Runs a command that only reads (scutil --get, diskutil info, tmutil destinationinfo). */
  query(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Whether a command is on PATH. */
  hasCommand(command: string): Promise<boolean>;
  /** Whether a server listens on host:port (a TCP connection opened and closed, nothing sent). */
  tcpAnswers(host: string, port: number, timeoutMs: number): Promise<TcpAnswer>;
  /**
   * Where the system says a folder really is (realpath). On Windows a mapped network drive's
   * letter resolves to its \\server\share (libuv's realpath is GetFinalPathNameByHandleW).
   */
  realpath(path: string): Promise<string>;
}

export interface HostWrites {
  mkdir(path: string, mode: number): Promise<void>;
  chown(path: string, uid: number, gid: number): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Creates a link at path pointing at target; target is written exactly as given. */
  link(target: string, path: string, type: LinkType): Promise<void>;
  /** Removes a link or an empty file; never a folder's contents. */
  unlink(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  /** Removes a whole tree. Only ever called on a put-aside original or a partial copy. */
  removeTree(path: string, options?: RemoveOptions): Promise<void>;
  /** Writes a small file atomically (temporary name, fsync, rename, fsync the folder). */
  writeFileAtomic(path: string, data: string | Buffer): Promise<void>;
  /**
   * Creates a small file only if nothing is at path (O_EXCL: one of several processes racing
   * wins), writes data and fsyncs it. True when created, false when something was already
   * there (EEXIST). Lock files use it; see engine/lock/apply-lock.ts.
   */
  createExclusive(path: string, data: string): Promise<boolean>;
  /**
   * Makes what was created or renamed in a folder durable on its drive before anything depends
   * on it (the original is removed only after the copies' final names are on the disk).
   */
  flush(path: string): Promise<void>;
  /** Copies a tree preserving links (as links), modes and modification times, then makes it durable. */
  copyTree(from: string, to: string, options?: CopyOptions): Promise<CopyResult>;
  /** Runs a command that changes something (tmutil setdestination). */
  mutate(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult>;
}

export interface Host extends HostReads, HostWrites {
  readonly kind: 'real' | 'read-only' | 'dry-run';
  /**
   * Reads back what a write just did (tools that exit 0 without doing it: tmutil, defaults,
   * sharing). The host answers for itself: a real host runs `read`; a dry run, which wrote
   * nothing, answers `simulated`, the result the write is meant to have.
   */
  readBack<T>(read: () => Promise<T>, simulated: T): Promise<T>;
  /**
   * Refuses a change of the machine's own settings (Time Machine, File Sharing) when provision
   * does not run as root. A dry run goes on, so that the plan can show such changes with a note.
   */
  requireRoot(what: string): void;
}
