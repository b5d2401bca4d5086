import { realpath as fsRealpath } from 'node:fs/promises';
import { tcpAnswers, type TcpAnswer } from './tcp-answers.js';
/**
 * The Host that does the work, on the computer provision runs on. Errors other than "nothing is
 * there" propagate as Node's own errors, so callers can switch on errno codes (EACCES, EPERM,
 * ENOSPC...) and map them to ProvisionError codes.
 */

import { accessSync, constants, lstatSync, readdirSync, readFileSync, readlinkSync, statfsSync } from 'node:fs';
import { lchown, mkdir, open, rename, rmdir, symlink, unlink, type FileHandle } from 'node:fs/promises';
import { errnoCode, ProvisionError } from '../errors.js';
import { chmodIfKept, ifKept } from './fs/keep-metadata.js';
import { toFileStat } from './fs/entry-kind.js';
import { hasCommand } from './fs/find-command.js';
import { fsTypeName } from './fs/fs-type-names.js';
import { runCommand } from './fs/run-command.js';
import type { RemoveOptions, CompareOptions, CopyOptions, CopyResult, FileStat, FingerprintOptions, FsSpace, Host, LinkType, RunOptions, RunResult, SummarizeOptions, TreeFingerprint, TreeManifest, TreeSummary } from './host.js';

// What walks, copies, compares or removes trees, and writes durably, is loaded on first use: a
// converged plan needs none of it, and loading it is a part of that plan's start
// (docs/performance.md).
export class RealHost implements Host {
  readonly kind = 'real' as const;

  async lstat(path: string): Promise<FileStat | undefined> {
    try {
      return toFileStat(lstatSync(path));
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
  }

  async readlink(path: string): Promise<string> {
    return readlinkSync(path);
  }

  /** Names in the folder, sorted (the order readdir gives depends on the file system). */
  async readdir(path: string): Promise<string[]> {
    return readdirSync(path).sort();
  }

  async readFile(path: string): Promise<Buffer> {
    return readFileSync(path);
  }

  async statfs(path: string): Promise<FsSpace> {
    const s = statfsSync(path);
    return {
      freeBytes: s.bavail * s.bsize,
      totalBytes: s.blocks * s.bsize,
      blockSize: s.bsize,
      // On macOS f_type is an index into the kernel's table, not a magic number, and Windows
      // has none: there a diskutil (or other) probe elsewhere names the file system.
      fsType: process.platform === 'linux' ? fsTypeName(s.type) : 'unknown',
    };
  }

  async canWrite(path: string): Promise<boolean> {
    try {
      accessSync(path, constants.W_OK | constants.X_OK);
      return true;
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOENT') return false;
      throw error;
    }
  }

  async summarize(path: string, options?: SummarizeOptions): Promise<TreeSummary> {
    return (await import('./fs/summarize-tree.js')).summarizeTree(path, options);
  }

  async manifest(path: string): Promise<TreeManifest> {
    return (await import('./fs/manifest-tree.js')).manifestTree(path);
  }

  async compareTrees(original: string, copy: string, options?: CompareOptions): Promise<string | undefined> {
    return (await import('./fs/compare-trees.js')).compareTrees(original, copy, options);
  }

  async fingerprint(path: string, options?: FingerprintOptions): Promise<TreeFingerprint> {
    return (await import('./fs/tree-fingerprint.js')).fingerprintTree(path, options);
  }

  query(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
    return runCommand(command, args, options);
  }

  hasCommand(command: string): Promise<boolean> {
    return hasCommand(command);
  }
  tcpAnswers(host: string, port: number, timeoutMs: number): Promise<TcpAnswer> {
    return tcpAnswers(host, port, timeoutMs);
  }
  realpath(path: string): Promise<string> {
    return fsRealpath(path);
  }

  /**
   * One folder (its parent must exist; EEXIST propagates), then exactly `mode`, whatever the
   * umask, where the file system keeps modes (FAT32 and exFAT do not: see keep-metadata.ts).
   */
  async mkdir(path: string, mode: number): Promise<void> {
    await mkdir(path, { mode: 0o700 });
    await chmodIfKept(path, mode);
  }

  /** lchown: never follows a link. Nothing, on a file system without owners (keep-metadata.ts). */
  chown(path: string, uid: number, gid: number): Promise<void> {
    return ifKept(path, () => lchown(path, uid, gid));
  }

  /** Nothing, on a file system without Unix modes (keep-metadata.ts). */
  chmod(path: string, mode: number): Promise<void> {
    return chmodIfKept(path, mode);
  }

  rename(from: string, to: string): Promise<void> {
    return rename(from, to);
  }

  /**
   * A directory junction on Windows when asked for one (Node makes its target absolute); a
   * plain symbolic link everywhere else, its target written exactly as given.
   */
  link(target: string, path: string, type: LinkType): Promise<void> {
    if (process.platform === 'win32') return symlink(target, path, type === 'junction' ? 'junction' : 'dir');
    return symlink(target, path);
  }

  unlink(path: string): Promise<void> {
    return unlink(path);
  }

  rmdir(path: string): Promise<void> {
    return rmdir(path);
  }

  async removeTree(path: string, options?: RemoveOptions): Promise<void> {
    return (await import('./fs/remove-tree.js')).removeTree(path, options);
  }

  async writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
    return (await import('./fs/write-file-atomic.js')).writeFileAtomic(path, data);
  }

  /**
   * open(O_CREAT|O_EXCL) is atomic on local file systems and on NFSv3+ and SMB: of several
   * processes creating the same name at once, exactly one gets a handle. Mode 0644 (less the
   * umask) so that other users can read who holds a lock. A write that fails after the create
   * removes the file again: it is ours, and an empty one would look like a torn lock.
   */
  async createExclusive(path: string, data: string): Promise<boolean> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'wx', 0o644);
    } catch (error) {
      if (errnoCode(error) === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await unlink(path).catch(() => undefined);
      throw error;
    }
    await handle.close();
    return true;
  }

  /**
   * Linux: one syncfs of the folder's file system (`sync -f`), which covers the renames into it
   * and everything else written there; elsewhere, or when that cannot run, an fsync of the folder
   * itself (F_FULLFSYNC on macOS, through libuv), which makes its entries' names durable.
   */
  async flush(path: string): Promise<void> {
    if (process.platform === 'linux' && (await (await import('./fs/make-durable.js')).syncFileSystem(path))) return;
    await (await import('./fs/write-file-atomic.js')).fsyncFolder(path);
  }

  async copyTree(from: string, to: string, options?: CopyOptions): Promise<CopyResult> {
    return (await import('./fs/copy-files.js')).copyFiles(from, to, options);
  }

  mutate(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
    return runCommand(command, args, options);
  }
  readBack<T>(read: () => Promise<T>, _simulated: T): Promise<T> {
    return read();
  }

  requireRoot(what: string): void {
    if (process.getuid?.() === 0) return;
    throw new ProvisionError('NEEDS_ROOT', `${what} needs root`, { hint: 'run sudo provision apply; everything before this step was applied' });
  }

}
