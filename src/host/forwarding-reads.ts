/**
 * A HostReads that hands every read to another: the base of the hosts that change only some reads
 * (round-reads.ts keeps a few, read-only-host.ts adds refused writes) and pass the rest on.
 */

import type { TcpAnswer } from './tcp-answers.js';
import type { CompareOptions, FileStat, FingerprintOptions, FsSpace, HostReads, RunOptions, RunResult, SummarizeOptions, TreeFingerprint, TreeManifest, TreeSummary } from './host.js';

export class ForwardingReads implements HostReads {
  constructor(protected readonly inner: HostReads) {}

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
  summarize(path: string, options?: SummarizeOptions): Promise<TreeSummary> {
    return this.inner.summarize(path, options);
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
  query(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
    return this.inner.query(command, args, options);
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
