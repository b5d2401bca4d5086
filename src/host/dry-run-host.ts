import type { TcpAnswer } from './tcp-answers.js';
/**
 * Forwards reads, records every write in `journal`, and overlays the writes' effect so that
 * later reads see the simulated state (a dry run must carry what an earlier step would have
 * created to the steps after it). Writes are checked as the real call would check them
 * (EEXIST, ENOENT, ENOTDIR, ENOTEMPTY...) and throw Node-style errors with those codes; only
 * writes that succeed in the simulation are recorded.
 *
 * What the overlay simulates (see host/fs/dry-run-overlay.ts for how):
 * - mkdir, link, writeFileAtomic, createExclusive: the new entry (a folder, a link with its
 *   target, a file with its bytes); lstat, readlink, readdir and readFile see it.
 * - rename: the entry and everything below it move; removeTree, unlink, rmdir: gone.
 * - copyTree: `to` appears as a folder holding what `from` held; summarize, manifest, readdir
 *   and lstat below it report the source's entries (with the source's sizes, modes and times).
 * - chmod, chown: lstat reports the new mode and owner.
 * - statfs: the real file system, less the bytes simulated copies put on it.
 * Not simulated: space freed by removals, permission checks
 * (canWrite asks the real nearest folder), effects of mutate() on later query() results, links
 * on disk leading into simulated paths, and times of folders whose contents changed.
 */

import { dirname, join, resolve, sep } from 'node:path';
import { errnoCode } from '../errors.js';
import { DryRunOverlay, isStrictlyBelow, newAttributes, type OverlayNode, type RealNode, type Resolved, type SyntheticNode } from './fs/dry-run-overlay.js';
import { fsError, throwIfAborted } from './fs/fs-error.js';
import { MANIFEST_DIRECTORY, MANIFEST_OTHER, MANIFEST_SYMLINK } from './fs/manifest-tree.js';
import type { CompareOptions, CopyOptions, CopyProgress, FileStat, FingerprintOptions, FsSpace, Host, HostReads, LinkType, RunOptions, RunResult, SummarizeOptions, TreeFingerprint, TreeManifest, TreeSummary } from './host.js';

/** One write the dry run would have made, with the arguments it was called with. */
export interface DryRunRecord {
  op: string;
  args: unknown[];
}

/** What one file is assumed to take beyond its bytes (block rounding), as the planner assumes. */
const SIMULATED_BLOCK = 4096;

/**
 * The answer kept under key, or a new one asked now and kept. A failed one is not kept: asking
 * again is what the caller would do.
 */
function keptIn<T>(kept: Map<string, Promise<T>>, key: string, ask: () => Promise<T>): Promise<T> {
  let answer = kept.get(key);
  if (answer === undefined) {
    answer = ask();
    kept.set(key, answer);
    answer.catch(() => kept.delete(key));
  }
  return answer;
}

/** An entry whose contents its caller has already counted. */
const NOTHING: TreeSummary = { files: 0, directories: 0, symlinks: 0, bytes: 0, largestFile: 0, unreadable: [] };

const TYPE_BITS = { directory: 0o040000, symlink: 0o120000, file: 0o100000 } as const;

export class DryRunHost implements Host {
  readonly kind = 'dry-run' as const;
  /** Answers to queries during this simulation (see query). */
  private readonly answers = new Map<string, Promise<RunResult>>();
  /**
   * Walks of real folders with nothing simulated at or below them, as query's answers: the
   * simulation stands for one moment, and a move walks its original several times (the plan,
   * the copy, the fingerprints before and after).
   */
  private readonly walks = new Map<string, Promise<TreeSummary | TreeFingerprint>>();

  /** Every write, in order. copyTree's options and mutate's options are left out (not data). */
  readonly journal: DryRunRecord[] = [];
  private readonly overlay = new DryRunOverlay();
  /** Bytes simulated copies take, by device number of the real file system they land on. */
  private readonly spaceUsed = new Map<number, number>();

  constructor(private readonly inner: HostReads) {}

  // ---- reads ----

  lstat(path: string): Promise<FileStat | undefined> {
    return this.statOf(this.overlay.resolve(path, false));
  }

  async readlink(path: string): Promise<string> {
    const r = this.overlay.resolve(path, false);
    if (r.state === 'real') return this.inner.readlink(r.real);
    if (r.state === 'absent') throw fsError('ENOENT', 'readlink', path);
    if (r.node.kind !== 'symlink') throw fsError('EINVAL', 'readlink', path);
    return r.node.target;
  }

  async readdir(path: string): Promise<string[]> {
    const r = this.overlay.resolve(path, true);
    const stats = await this.statOf(r);
    if (stats === undefined) throw fsError('ENOENT', 'scandir', path);
    if (stats.kind !== 'directory') throw fsError('ENOTDIR', 'scandir', path);
    const base = r.state === 'real' ? await this.inner.readdir(r.real) : [];
    if (!this.overlay.hasEntriesBelow(r.path)) return base;
    const names = new Set<string>();
    for (const name of base) {
      if (this.overlay.resolve(resolve(r.path, name), false).state !== 'absent') names.add(name);
    }
    for (const name of this.overlay.childrenWithEntries(r.path)) names.add(name);
    return [...names].sort();
  }

  async readFile(path: string): Promise<Buffer> {
    const r = this.overlay.resolve(path, true);
    if (r.state === 'real') return this.inner.readFile(r.real);
    if (r.state === 'absent') throw fsError('ENOENT', 'open', path);
    if (r.node.kind !== 'file') throw fsError('EISDIR', 'read', path);
    return Buffer.from(r.node.data);
  }

  /**
   * The real file system of the nearest path that exists on disk, less what simulated copies
   * onto it would take: a plan of several moves to one drive must see the room the earlier
   * moves use up.
   */
  async statfs(path: string): Promise<FsSpace> {
    const { real, space } = await this.realFileSystem(path);
    const used = this.spaceUsed.get(await this.deviceOf(real)) ?? 0;
    return { ...space, freeBytes: Math.max(0, space.freeBytes - used) };
  }

  private async realFileSystem(path: string): Promise<{ real: string; space: FsSpace }> {
    for (let p = resolve(path); ; p = dirname(p)) {
      const r = this.overlay.resolve(p, true);
      if (r.state === 'real' && (await this.inner.lstat(r.real)) !== undefined) return { real: r.real, space: await this.inner.statfs(r.real) };
      if (dirname(p) === p) return { real: p, space: await this.inner.statfs(p) };
    }
  }

  private async deviceOf(realPath: string): Promise<number> {
    return (await this.inner.lstat(realPath))?.dev ?? -1;
  }

  /** A simulated folder is as writable as the real folder it was made in. */
  async canWrite(path: string): Promise<boolean> {
    const r = this.overlay.resolve(path, true);
    const stats = await this.statOf(r);
    if (stats === undefined || stats.kind !== 'directory') return false;
    if (r.state === 'real') return this.inner.canWrite(r.real);
    const parent = dirname(r.path);
    return parent === r.path ? false : this.canWrite(parent);
  }

  /** A folder the overlay changed is summarized from its records, without a fingerprint. */
  async summarize(path: string, options?: SummarizeOptions): Promise<TreeSummary> {
    const r = this.overlay.resolve(path, false);
    if (r.state === 'real' && !this.overlay.hasEntriesBelow(r.path)) {
      return this.walkOnce(['summarize', r.real, options ?? {}], () => this.inner.summarize(r.real, options));
    }
    const { manifest, unreadable } = await this.mergedManifest(path, r, true);
    const summary: TreeSummary = { files: 0, directories: 0, symlinks: 0, bytes: 0, largestFile: 0, unreadable };
    for (const size of manifest.values()) {
      if (size >= 0) {
        summary.files++;
        summary.bytes += size;
        summary.largestFile = Math.max(summary.largestFile, size);
      } else if (size === MANIFEST_DIRECTORY) {
        summary.directories++;
      } else if (size === MANIFEST_SYMLINK) {
        summary.symlinks++;
      }
    }
    return summary;
  }

  async manifest(path: string): Promise<TreeManifest> {
    const r = this.overlay.resolve(path, false);
    if (r.state === 'real' && !this.overlay.hasEntriesBelow(r.path)) return this.inner.manifest(r.real);
    return (await this.mergedManifest(path, r, false)).manifest;
  }

  /** Sizes only: a copy made here is the overlay's record of one, so its bytes are the original's. */
  // The tree walkers are loaded on first use, as RealHost's are: a converged plan needs none.
  async compareTrees(original: string, copy: string, options: CompareOptions = {}): Promise<string | undefined> {
    const [{ compareWith }, { hostTreeReader }] = await Promise.all([import('./fs/compare-trees.js'), import('./host-tree-reader.js')]);
    return compareWith(
      hostTreeReader(this, (a, b) => this.sameRealEntry(a, b)),
      original,
      copy,
      options,
    );
  }

  /** Whether both paths stand for the same real entry, with nothing simulated inside either. */
  private sameRealEntry(a: string, b: string): boolean {
    const ra = this.overlay.resolve(a, false);
    const rb = this.overlay.resolve(b, false);
    return (
      ra.state === 'real' &&
      rb.state === 'real' &&
      ra.real === rb.real &&
      unchangedReal(ra.overrides) &&
      unchangedReal(rb.overrides) &&
      !this.overlay.hasEntriesBelow(ra.path) &&
      !this.overlay.hasEntriesBelow(rb.path)
    );
  }

  /**
   * The inner host's own fingerprint where nothing is simulated at, above or below path (the
   * real folder, in its place); otherwise one read through this host's lstat and readdir, so a
   * simulated copy or rename shows as the real entries it stands for. The two are never mixed
   * for one folder in between (the second records times in milliseconds, the first in
   * nanoseconds): a folder only moves from the first to the second when something simulated
   * happens to it, which is a difference anyway.
   */
  async fingerprint(path: string, options?: FingerprintOptions): Promise<TreeFingerprint> {
    const r = this.overlay.resolve(path, false);
    if (r.state === 'real' && r.real === r.path && r.overrides === undefined && !this.overlay.hasEntriesBelow(r.path)) {
      return this.walkOnce(['fingerprint', r.real, options ?? {}], () => this.inner.fingerprint(r.real, options));
    }
    return (await import('./fs/tree-fingerprint.js')).fingerprintVia(this, path, options);
  }

  private walkOnce<T extends TreeSummary | TreeFingerprint>(key: unknown[], walk: () => Promise<T>): Promise<T> {
    return keptIn(this.walks, JSON.stringify(key), walk) as Promise<T>;
  }

  /**
   * A query asked again during one simulation gets the first answer: the simulation stands for
   * one moment of the real machine (the checks a move repeats before each phase, lsof and the
   * volume's UUID, would only start the same process again). A simulated mutate forgets them.
   */
  query(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
    return keptIn(this.answers, JSON.stringify([command, args, options ?? {}]), () => this.inner.query(command, args, options));
  }

  hasCommand(command: string): Promise<boolean> {
    return this.inner.hasCommand(command);
  }
  tcpAnswers(host: string, port: number, timeoutMs: number): Promise<TcpAnswer> {
    return this.inner.tcpAnswers(host, port, timeoutMs);
  }
  realpath(path: string): Promise<string> {
    return this.inner.realpath(path);
  }

  // ---- writes ----

  async mkdir(path: string, mode: number): Promise<void> {
    const r = this.overlay.resolve(path, false);
    if ((await this.statOf(r)) !== undefined) throw fsError('EEXIST', 'mkdir', path);
    await this.requireParentFolder(r.path, 'mkdir');
    this.overlay.replace(r.path, { kind: 'directory', ...newAttributes(mode & 0o7777) });
    this.record('mkdir', [path, mode]);
  }

  async chown(path: string, uid: number, gid: number): Promise<void> {
    const r = this.overlay.resolve(path, false);
    await this.setAttributes(r, { uid, gid }, 'lchown', path);
    this.record('chown', [path, uid, gid]);
  }

  async chmod(path: string, mode: number): Promise<void> {
    const r = this.overlay.resolve(path, true);
    await this.setAttributes(r, { mode: mode & 0o7777 }, 'chmod', path);
    this.record('chmod', [path, mode]);
  }

  async rename(from: string, to: string): Promise<void> {
    const rf = this.overlay.resolve(from, false);
    const fromStats = await this.statOf(rf);
    if (fromStats === undefined) throw fsError('ENOENT', 'rename', from);
    const rt = this.overlay.resolve(to, false);
    await this.requireParentFolder(rt.path, 'rename');
    if (rt.path !== rf.path) {
      if (isStrictlyBelow(rt.path, rf.path)) throw fsError('EINVAL', 'rename', to, 'cannot move a folder into itself');
      const toStats = await this.statOf(rt);
      if (toStats !== undefined) {
        if (fromStats.kind === 'directory') {
          if (toStats.kind !== 'directory') throw fsError('ENOTDIR', 'rename', to);
          if ((await this.readdir(rt.path)).length > 0) throw fsError('ENOTEMPTY', 'rename', to);
        } else if (toStats.kind === 'directory') {
          throw fsError('EISDIR', 'rename', to);
        }
      }
      this.overlay.transplant(rf.path, rt.path, topNode(rf), true);
    }
    this.record('rename', [from, to]);
  }

  async link(target: string, path: string, type: LinkType): Promise<void> {
    const r = this.overlay.resolve(path, false);
    if ((await this.statOf(r)) !== undefined) throw fsError('EEXIST', 'symlink', path);
    await this.requireParentFolder(r.path, 'symlink');
    // Node makes a junction's target absolute; a symlink's is kept exactly.
    const stored = type === 'junction' && process.platform === 'win32' ? resolve(target) : target;
    this.overlay.replace(r.path, { kind: 'symlink', target: stored, ...newAttributes(0o777) });
    this.record('link', [target, path, type]);
  }

  async unlink(path: string): Promise<void> {
    const r = this.overlay.resolve(path, false);
    const stats = await this.statOf(r);
    if (stats === undefined) throw fsError('ENOENT', 'unlink', path);
    if (stats.kind === 'directory') throw fsError('EISDIR', 'unlink', path);
    this.overlay.replace(r.path, { kind: 'absent' });
    this.record('unlink', [path]);
  }

  async rmdir(path: string): Promise<void> {
    const r = this.overlay.resolve(path, false);
    const stats = await this.statOf(r);
    if (stats === undefined) throw fsError('ENOENT', 'rmdir', path);
    if (stats.kind !== 'directory') throw fsError('ENOTDIR', 'rmdir', path);
    if ((await this.readdir(r.path)).length > 0) throw fsError('ENOTEMPTY', 'rmdir', path);
    this.overlay.replace(r.path, { kind: 'absent' });
    this.record('rmdir', [path]);
  }

  async removeTree(path: string): Promise<void> {
    (await import('./fs/remove-tree.js')).assertRemovable(path);
    const r = this.overlay.resolve(path, false);
    if ((await this.statOf(r)) === undefined) throw fsError('ENOENT', 'rm', path);
    this.overlay.replace(r.path, { kind: 'absent' });
    this.record('removeTree', [path]);
  }

  async writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
    // The real write renames over path: a link there is replaced, not followed.
    const r = this.overlay.resolve(path, false);
    const stats = await this.statOf(r);
    if (stats?.kind === 'directory') throw fsError('EISDIR', 'rename', path);
    await this.requireParentFolder(r.path, 'open');
    this.overlay.replace(r.path, { kind: 'file', data: Buffer.from(data), ...newAttributes(0o644) });
    this.record('writeFileAtomic', [path, data]);
  }

  /** Like the real call: false (nothing recorded) when anything, even a dangling link, is at path. */
  async createExclusive(path: string, data: string): Promise<boolean> {
    const r = this.overlay.resolve(path, false);
    const stats = await this.statOf(r);
    if (stats !== undefined) return false;
    await this.requireParentFolder(r.path, 'open');
    this.overlay.replace(r.path, { kind: 'file', data: Buffer.from(data), ...newAttributes(0o644) });
    this.record('createExclusive', [path, data]);
    return true;
  }

  /** Nothing to flush in a simulation; the folder must exist, as for the real call. */
  async flush(path: string): Promise<void> {
    const r = this.overlay.resolve(path, true);
    if ((await this.statOf(r))?.kind !== 'directory') throw fsError('ENOENT', 'open', path);
    this.record('flush', [path]);
  }

  async copyTree(from: string, to: string, options: CopyOptions = {}): Promise<CopyProgress> {
    if (options.entries === undefined) return this.copyOneTree(from, to, options);
    // As the real copy: into the existing folder `to`, entry by entry (recorded as such).
    const rt = this.overlay.resolve(to, true);
    if ((await this.statOf(rt))?.kind !== 'directory') throw fsError('ENOENT', 'copytree', to);
    // Every entry of a real folder nothing is simulated in (a move copies all of them): the
    // folder's one walk (the plan's) stands for the entries', and is charged once.
    const whole = await this.wholeFolder(from, options.entries);
    if (whole !== undefined) {
      const blocked = whole.summary.unreadable[0];
      if (blocked !== undefined) throw fsError(blocked.code, 'scandir', resolve(whole.path, blocked.path));
    }
    const total: CopyProgress = { files: 0, bytes: 0 };
    for (const entry of options.entries) {
      const base = { ...total };
      const done = await this.copyOneTree(
        join(from, entry),
        join(to, entry),
        {
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          onProgress: (p) => options.onProgress?.({ files: base.files + p.files, bytes: base.bytes + p.bytes }),
        },
        whole === undefined ? undefined : NOTHING,
      );
      total.files += done.files;
      total.bytes += done.bytes;
    }
    if (whole !== undefined) {
      this.charge(await this.deviceOf((await this.realFileSystem(rt.path)).real), whole.summary);
      total.files = whole.summary.files;
      total.bytes = whole.summary.bytes;
      options.onProgress?.({ ...total });
    }
    return total;
  }

  /** The summary of `from` when it is a real folder, untouched here, and `entries` are all it holds. */
  private async wholeFolder(from: string, entries: readonly string[]): Promise<{ path: string; summary: TreeSummary } | undefined> {
    const r = this.overlay.resolve(from, false);
    if (r.state !== 'real' || this.overlay.hasEntriesBelow(r.path) || (await this.statOf(r))?.kind !== 'directory') return undefined;
    const names = await this.inner.readdir(r.real);
    const wanted = new Set(entries);
    if (names.length !== wanted.size || names.some((n) => !wanted.has(n))) return undefined;
    return { path: r.path, summary: await this.summarize(from) };
  }

  /** Charges a copy to the file system it lands on, with a block's rounding per file. */
  private charge(device: number, source: TreeSummary): void {
    this.spaceUsed.set(device, (this.spaceUsed.get(device) ?? 0) + source.bytes + source.files * SIMULATED_BLOCK);
  }

  /** Copies one entry; `known`: what it holds, already checked and charged by the caller. */
  private async copyOneTree(from: string, to: string, options: CopyOptions, known?: TreeSummary): Promise<CopyProgress> {
    throwIfAborted(options.signal, 'copy');
    const rf = this.overlay.resolve(from, false);
    const fromStats = await this.statOf(rf);
    if (fromStats === undefined) throw fsError('ENOENT', 'lstat', from);
    if (fromStats.kind === 'other') throw fsError('EINVAL', 'copytree', from);
    const rt = this.overlay.resolve(to, false);
    if ((await this.statOf(rt)) !== undefined) throw fsError('EEXIST', 'mkdir', to);
    await this.requireParentFolder(rt.path, 'mkdir');
    // The real copy would stop at the first folder it cannot read.
    const source: TreeSummary =
      known ??
      (fromStats.kind === 'directory'
        ? await this.summarize(rf.path)
        : { files: fromStats.kind === 'file' ? 1 : 0, directories: 0, symlinks: fromStats.kind === 'symlink' ? 1 : 0, bytes: fromStats.kind === 'file' ? fromStats.size : 0, largestFile: fromStats.kind === 'file' ? fromStats.size : 0, unreadable: [] });
    const blocked = source.unreadable[0];
    if (blocked !== undefined) throw fsError(blocked.code, 'scandir', resolve(rf.path, blocked.path));
    this.overlay.transplant(rf.path, rt.path, topNode(rf), false);
    if (known === undefined) this.charge(await this.deviceOf((await this.realFileSystem(dirname(rt.path))).real), source);
    const progress: CopyProgress = { files: source.files, bytes: source.bytes };
    options.onProgress?.({ ...progress });
    this.record('copyTree', [from, to]);
    return progress;
  }

  async mutate(command: string, args: readonly string[], _options?: RunOptions): Promise<RunResult> {
    this.answers.clear();
    this.walks.clear();
    this.record('mutate', [command, [...args]]);
    return { exitCode: 0, stdout: '', stderr: '' };
  }

  // ---- helpers ----

  private record(op: string, args: unknown[]): void {
    this.journal.push({ op, args });
  }

  private async statOf(r: Resolved): Promise<FileStat | undefined> {
    if (r.state === 'absent') return undefined;
    if (r.state === 'node') return this.synthesize(r.path, r.node);
    const stats = await this.inner.lstat(r.real);
    const o = r.overrides;
    if (stats === undefined || o === undefined) return stats;
    return {
      ...stats,
      mode: o.mode === undefined ? stats.mode : (stats.mode & ~0o7777) | o.mode,
      uid: o.uid ?? stats.uid,
      gid: o.gid ?? stats.gid,
    };
  }

  private async synthesize(path: string, node: SyntheticNode): Promise<FileStat> {
    // The parent's device: a simulated folder must not look like a mount point.
    const parent = dirname(path);
    const parentStats = parent === path ? undefined : await this.lstat(parent);
    const size = node.kind === 'file' ? node.data.length : node.kind === 'symlink' ? Buffer.byteLength(node.target) : 0;
    return {
      kind: node.kind,
      dev: parentStats?.dev ?? 0,
      ino: node.ino,
      mode: TYPE_BITS[node.kind] | node.mode,
      uid: node.uid,
      gid: node.gid,
      size,
      mtimeMs: node.mtimeMs,
      // A simulated entry changes only when it is made.
      ctimeMs: node.mtimeMs,
    };
  }

  private async requireParentFolder(path: string, syscall: string): Promise<void> {
    const parent = this.overlay.resolve(dirname(path), true);
    const stats = await this.statOf(parent);
    if (stats === undefined) throw fsError('ENOENT', syscall, path);
    if (stats.kind !== 'directory') throw fsError('ENOTDIR', syscall, path);
  }

  private async setAttributes(
    r: Resolved,
    change: { mode?: number; uid?: number; gid?: number },
    syscall: string,
    path: string,
  ): Promise<void> {
    if ((await this.statOf(r)) === undefined) throw fsError('ENOENT', syscall, path);
    if (r.state === 'node') this.overlay.setOwn(r.path, { ...r.node, ...change });
    else if (r.state === 'real') this.overlay.setOwn(r.path, { ...r.overrides, ...change, kind: 'real', real: r.real });
  }

  /**
   * The inner host's manifest of the real part, with the overlay's entries applied shallowest
   * first. When `tolerant`, a real part that cannot be read is reported in `unreadable` (as one
   * entry for that whole part) instead of throwing.
   */
  private async mergedManifest(
    path: string,
    r: Resolved,
    tolerant: boolean,
  ): Promise<{ manifest: TreeManifest; unreadable: TreeSummary['unreadable'] }> {
    const stats = await this.statOf(r);
    if (stats === undefined) throw fsError('ENOENT', 'scandir', path);
    if (stats.kind !== 'directory') throw fsError('ENOTDIR', 'scandir', path);
    const manifest: TreeManifest = new Map();
    const unreadable: TreeSummary['unreadable'] = [];
    const addReal = async (real: string, prefix: string): Promise<void> => {
      try {
        for (const [rel, size] of await this.inner.manifest(real)) manifest.set(prefix === '' ? rel : `${prefix}/${rel}`, size);
      } catch (error) {
        const code = errnoCode(error);
        if (!tolerant || prefix === '' || code === undefined) throw error;
        unreadable.push({ path: prefix, code });
      }
    };
    if (r.state === 'real') await addReal(r.real, '');
    for (const [native, node] of this.overlay.below(r.path)) {
      const rel = native.split(sep).join('/');
      deleteSubtree(manifest, rel);
      await this.addNode(manifest, rel, node, addReal);
    }
    return { manifest, unreadable };
  }

  private async addNode(
    manifest: TreeManifest,
    rel: string,
    node: OverlayNode,
    addReal: (real: string, prefix: string) => Promise<void>,
  ): Promise<void> {
    switch (node.kind) {
      case 'absent':
        return;
      case 'directory':
        manifest.set(rel, MANIFEST_DIRECTORY);
        return;
      case 'symlink':
        manifest.set(rel, MANIFEST_SYMLINK);
        return;
      case 'file':
        manifest.set(rel, node.data.length);
        return;
      case 'real': {
        const stats = await this.inner.lstat(node.real);
        if (stats === undefined) return;
        if (stats.kind === 'directory') {
          manifest.set(rel, MANIFEST_DIRECTORY);
          await addReal(node.real, rel);
        } else {
          manifest.set(rel, stats.kind === 'file' ? stats.size : stats.kind === 'symlink' ? MANIFEST_SYMLINK : MANIFEST_OTHER);
        }
      }
    }
  }

  readBack<T>(_read: () => Promise<T>, simulated: T): Promise<T> {
    return Promise.resolve(simulated);
  }

  requireRoot(_what: string): void {
    // The plan's simulation goes on past a change that needs root; the planner notes it.
  }
}

/** What stands at a rename's or copy's destination: the same synthetic node, or the real entry. */
/** A real entry seen as it is on disk: no simulated chmod or chown on it. */
function unchangedReal(node: RealNode | undefined): boolean {
  return node === undefined || (node.mode === undefined && node.uid === undefined && node.gid === undefined);
}

function topNode(r: Resolved): OverlayNode {
  if (r.state === 'node') return r.node;
  if (r.state === 'real') return { ...r.overrides, kind: 'real', real: r.real };
  return { kind: 'absent' };
}

function deleteSubtree(manifest: TreeManifest, rel: string): void {
  manifest.delete(rel);
  const prefix = `${rel}/`;
  for (const key of [...manifest.keys()]) if (key.startsWith(prefix)) manifest.delete(key);
}
