/**
 * One listing of open files per apply round. A plan that would move a folder asks lsof for
 * every open file of every process (a `volatile` query); each change is then observed again
 * right before it runs (to catch a stale plan), which would ask again. On a Mac, lsof listing
 * every process takes a noticeable part of a second, and each move checks for writers itself,
 * with a fresh listing, right before its first write and right before the original is put aside
 * (engine/apply/source-quiet.ts, from the Host, never from here). So the look again before a
 * change is given the listing its plan was made from: a process that started writing since
 * then is caught by the move's own check a moment later, before anything is written.
 *
 * Only `volatile` answers are kept (lsof); every other read goes to the machine as it is now.
 */

import type { TcpAnswer } from './tcp-answers.js';
import type { CompareOptions, FileStat, FingerprintOptions, FsSpace, HostReads, RunOptions, RunResult, TreeFingerprint, TreeManifest, TreeSummary } from './host.js';

export class KeptListings implements HostReads {
  private readonly kept = new Map<string, Promise<RunResult>>();

  constructor(private readonly inner: HostReads) {}

  query(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
    if (options?.volatile !== true) return this.inner.query(command, args, options);
    const key = JSON.stringify([command, args, options.env ?? {}]);
    let answer = this.kept.get(key);
    if (answer === undefined) {
      answer = this.inner.query(command, args, options);
      this.kept.set(key, answer);
      // A failed run is not kept: the next look asks again, as it would without this.
      answer.catch(() => this.kept.delete(key));
    }
    return answer;
  }

  lstat(path: string): Promise<FileStat | undefined> {
    return this.inner.lstat(path);
  }
  readlink(path: string): Promise<string> {
    return this.inner.readlink(path);
  }
  readdir(path: string): Promise<string[]> {
    return this.inner.readdir(path);
  }
  readFile(path: string): Promise<Buffer> {
    return this.inner.readFile(path);
  }
  statfs(path: string): Promise<FsSpace> {
    return this.inner.statfs(path);
  }
  canWrite(path: string): Promise<boolean> {
    return this.inner.canWrite(path);
  }
  summarize(path: string): Promise<TreeSummary> {
    return this.inner.summarize(path);
  }
  manifest(path: string): Promise<TreeManifest> {
    return this.inner.manifest(path);
  }
  compareTrees(original: string, copy: string, options?: CompareOptions): Promise<string | undefined> {
    return this.inner.compareTrees(original, copy, options);
  }
  fingerprint(path: string, options?: FingerprintOptions): Promise<TreeFingerprint> {
    return this.inner.fingerprint(path, options);
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
}
