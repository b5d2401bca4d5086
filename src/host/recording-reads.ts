import type { TcpAnswer } from './tcp-answers.js';
/**
 * A read-only view that remembers what it was shown: the fingerprint of a saved plan
 * (`plan --out`). Every read a plan makes goes through it and leaves one observation, keyed by
 * what was asked ("lstat /Users/alex/...") and described in words ("folder on device 2049").
 * Applying a saved plan plans again through a fresh recorder; any observation that differs, is
 * missing or is new means the plan is stale, and the differences name what changed.
 *
 * What is deliberately left out: free space (every write anywhere changes it; apply checks
 * space again right before each change) and a file's access times. What is kept: each path's
 * kind, a file's size and modification time, a folder's device (the drive's identity: another
 * drive, or the same one plugged in again, is a new file system), link targets, folder
 * listings, the sizes of walked trees, file contents by hash, and commands' exit codes and
 * output by hash (diskutil's volume UUID, tmutil's destinations, running apps).
 */

import type { CompareOptions, FileStat, FingerprintOptions, FsSpace, HostReads, RunOptions, RunResult, SummarizeOptions, TreeFingerprint, TreeManifest, TreeSummary } from './host.js';
import { nodeCrypto } from './lazy-crypto.js';

export type Observations = Record<string, string>;

export class RecordingReads implements HostReads {
  private readonly seen = new Map<string, string>();

  constructor(private readonly inner: HostReads) {}

  /** What was observed so far, sorted by key so that the same world gives the same record. */
  observations(): Observations {
    return Object.fromEntries([...this.seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private note(key: string, value: string): void {
    this.seen.set(key, value);
  }

  /** Records a read's outcome, a failure included: a path that became unreadable is a change too. */
  private async watch<T>(key: string, read: () => Promise<T>, describe: (v: T) => string): Promise<T> {
    try {
      const v = await read();
      this.note(key, describe(v));
      return v;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      this.note(key, `error ${typeof code === 'string' ? code : e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  lstat(path: string): Promise<FileStat | undefined> {
    return this.watch(`lstat ${path}`, () => this.inner.lstat(path), describeStat);
  }
  readlink(path: string): Promise<string> {
    return this.watch(`readlink ${path}`, () => this.inner.readlink(path), (t) => `link to ${t}`);
  }
  readdir(path: string): Promise<string[]> {
    return this.watch(`readdir ${path}`, () => this.inner.readdir(path), describeListing);
  }
  readFile(path: string): Promise<Buffer> {
    return this.watch(`read ${path}`, () => this.inner.readFile(path), (b) => `${b.length} bytes, sha256 ${digest(b)}`);
  }
  statfs(path: string): Promise<FsSpace> {
    return this.watch(`statfs ${path}`, () => this.inner.statfs(path), (s) => `${s.fsType}, ${s.totalBytes} bytes in all`);
  }
  canWrite(path: string): Promise<boolean> {
    return this.watch(`writable ${path}`, () => this.inner.canWrite(path), (w) => (w ? 'writable' : 'not writable'));
  }
  summarize(path: string, options?: SummarizeOptions): Promise<TreeSummary> {
    return this.watch(`walk ${path}`, () => this.inner.summarize(path, options), describeSummary);
  }
  manifest(path: string): Promise<TreeManifest> {
    return this.watch(`walk entries ${path}`, () => this.inner.manifest(path), (m) => {
      const h = nodeCrypto().createHash('sha256');
      for (const [k, v] of [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`${k}\0${v}\n`);
      return `${m.size} entries, sha256 ${h.digest('hex').slice(0, 16)}`;
    });
  }
  compareTrees(original: string, copy: string, options?: CompareOptions): Promise<string | undefined> {
    return this.watch(`compare ${original} with ${copy}`, () => this.inner.compareTrees(original, copy, options), (d) => d ?? 'the same');
  }
  fingerprint(path: string, options?: FingerprintOptions): Promise<TreeFingerprint> {
    return this.watch(`fingerprint ${path}`, () => this.inner.fingerprint(path, options), (f) => `${f.entries} entries, sha256 ${f.digest.slice(0, 16)}`);
  }
  query(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
    return this.watch(
      `run ${[command, ...args].join(' ')}`,
      () => this.inner.query(command, args, options),
      (r) => (options?.volatile === true ? `exit ${r.exitCode}` : `exit ${r.exitCode}, output sha256 ${digest(r.stdout)}`),
    );
  }
  hasCommand(command: string): Promise<boolean> {
    return this.watch(`command ${command}`, () => this.inner.hasCommand(command), (found) => (found ? 'on PATH' : 'not found'));
  }
  tcpAnswers(host: string, port: number, timeoutMs: number): Promise<TcpAnswer> {
    // Only whether it answered: which of its addresses did may change from one run to the next.
    return this.watch(`connect ${host} port ${port}`, () => this.inner.tcpAnswers(host, port, timeoutMs), (a) => (a.ok ? 'answers' : 'no answer'));
  }
  realpath(path: string): Promise<string> {
    return this.watch(`realpath ${path}`, () => this.inner.realpath(path), (p) => p);
  }
}

function digest(data: string | Buffer): string {
  return nodeCrypto().createHash('sha256').update(data).digest('hex').slice(0, 16);
}

function describeStat(st: FileStat | undefined): string {
  if (st === undefined) return 'nothing';
  switch (st.kind) {
    case 'directory':
      return `folder on device ${st.dev}`;
    case 'file':
      return `file of ${st.size} bytes, modified ${new Date(st.mtimeMs).toISOString()}`;
    case 'symlink':
      return 'link';
    case 'other':
      return 'special file';
  }
}

/** Short listings in full, so that the difference can be named; long ones by count and hash. */
function describeListing(names: string[]): string {
  const sorted = [...names].sort();
  if (sorted.length <= 12) return sorted.length === 0 ? 'empty' : `holds ${sorted.map((n) => JSON.stringify(n)).join(', ')}`;
  return `holds ${sorted.length} entries, sha256 ${digest(sorted.join('\0'))}`;
}

function describeSummary(s: TreeSummary): string {
  const unreadable = s.unreadable.length === 0 ? '' : `, ${s.unreadable.length} unreadable`;
  // Only when there are some, so that the words for an ordinary tree stay what they were.
  const uncopyable = s.uncopyable === undefined ? '' : `, ${s.uncopyable.length} not copyable`;
  const names = s.awkwardNames === undefined ? '' : `, ${s.awkwardNames.length} awkward names`;
  const outside = s.linkedOutside === undefined ? '' : `, ${s.linkedOutside.files} hard-linked outside`;
  return `${s.files} files, ${s.directories} folders, ${s.symlinks} links, ${s.bytes} bytes${unreadable}${uncopyable}${names}${outside}`;
}

/** The fingerprint's digest: one hash over every observation, in key order. */
export function observationsDigest(o: Observations): string {
  const h = nodeCrypto().createHash('sha256');
  for (const [k, v] of Object.entries(o)) h.update(`${k}\0${v}\n`);
  return h.digest('hex');
}

/**
 * What differs between the observations of a saved plan and those made now, in words, the
 * differences first: what was seen and is now something else. Reads the saved plan made that
 * are not made now, or the reverse, follow from a difference (the plan took another path), so
 * they are only counted when there is one.
 */
export function observationDifferences(saved: Observations, now: Observations): string[] {
  const changed: string[] = [];
  let elsewhere = 0;
  for (const [key, was] of Object.entries(saved)) {
    const is = now[key];
    if (is === undefined) elsewhere++;
    else if (is !== was) changed.push(`${subject(key)}: was ${was}, now ${is}`);
  }
  for (const key of Object.keys(now)) if (saved[key] === undefined) elsewhere++;
  if (changed.length === 0 && elsewhere > 0) return [`planning now looks at other things than the saved plan did (${elsewhere} differ): what it observed has changed`];
  if (elsewhere > 0) changed.push(`and so planning now looks at ${elsewhere} other thing${elsewhere === 1 ? '' : 's'} than the saved plan did`);
  return changed;
}

/** An observation's key as the subject of a sentence: "lstat /x" is "/x". */
function subject(key: string): string {
  const space = key.indexOf(' ');
  const verb = key.slice(0, space);
  const rest = key.slice(space + 1);
  const words: Record<string, (r: string) => string> = {
    lstat: (r) => r,
    readlink: (r) => `the link ${r}`,
    readdir: (r) => `the contents of ${r}`,
    read: (r) => `the file ${r}`,
    statfs: (r) => `the file system at ${r}`,
    writable: (r) => `whether ${r} can be written`,
    walk: (r) => `everything in ${r}`,
    fingerprint: (r) => `the entries and their times in ${r}`,
    run: (r) => `the output of ${r}`,
    command: (r) => `the command ${r}`,
  };
  return words[verb]?.(rest) ?? key;
}
