/**
 * What one apply round has just seen, given again instead of asked again. A round plans (the
 * walk of each folder to move, `diskutil info` of its drive, `lsof`, and a dry run that walks
 * and fingerprints the folder once more), then looks at each change again right before it runs
 * (to catch a stale plan), and a move then remembers its drive (`diskutil` for its UUID) and
 * begins (`lsof`, a fingerprint). Run right after the plan (`--yes`), that is every slow read
 * twice within half a second; on a Mac `lsof` and `diskutil` each cost a process.
 *
 * Kept, by what they are:
 * - **Listings of open files** (`volatile` queries: lsof) for the look again before a change, at
 *   any age: the move's own checks follow it before anything is written.
 * - **Recent reads**, only while recent (made at most RECENT_MS ago, and no change of the round
 *   has finished since): walks (summarize), fingerprints, queries about a mounted volume
 *   (`describesVolume`: diskutil info) while the same volume is mounted there (same device
 *   number; assumption VOLUME_ANSWER_LASTS_WHILE_MOUNTED), and, through `recent()`, the listing
 *   of open files. Past that they are read again.
 *
 * Never from here: the checks right before a destructive step (the writers, the fingerprint and
 * the comparison before the original is put aside, the drive before anything of it is removed).
 * Those read through the Host, which keeps nothing (engine/apply/run-relocate.ts).
 */

import { VOLUME_ANSWER_LASTS_WHILE_MOUNTED } from '../assumptions.js';
import { ForwardingReads } from './forwarding-reads.js';
import type { FingerprintOptions, HostReads, RunOptions, RunResult, SummarizeOptions, TreeFingerprint, TreeSummary } from './host.js';

/**
 * How long a read stays recent. Long enough for an apply run with --yes, where the look again
 * and a move's first checks follow the plan within a second; shorter than a person takes to
 * read a plan and answer its question, so a confirmed plan is looked at afresh.
 */
export const RECENT_MS = 2000;

interface Kept<T> {
  at: number;
  answer: Promise<T>;
  /** For an answer about a volume: its mount point and device number when asked. */
  volume?: { mount: string; dev: number | undefined };
}

/** The answers of one round, shared by the round's two views. */
class RoundStore {
  readonly listings = new Map<string, Promise<RunResult>>();
  readonly recent = new Map<string, Kept<unknown>>();
  /** When a change of this round last finished: what was read before it may be out of date. */
  settledAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly inner: HostReads,
    readonly now: () => number,
  ) {}
}

export class RoundReads extends ForwardingReads {
  private readonly store: RoundStore;

  /**
   * @param now milliseconds on a clock that only goes forward (tests give their own).
   * @param listingsAnyAge whether listings of open files are given again at any age (the look again before a change).
   */
  constructor(inner: HostReads, now: () => number = () => performance.now(), store?: RoundStore, private readonly listingsAnyAge = true) {
    super(inner);
    this.store = store ?? new RoundStore(inner, now);
  }

  /**
   * The view for a change's own steps: everything kept is given only while recent, the listing
   * of open files too (a move's check right before its first write).
   */
  recent(): HostReads {
    return new RoundReads(this.store.inner, this.store.now, this.store, false);
  }

  /** A change of the round finished (or failed): nothing read before now is recent any more. */
  settle(): void {
    this.store.settledAt = this.store.now();
  }

  override query(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
    const key = JSON.stringify(['query', command, args, options?.env ?? {}]);
    if (options?.volatile === true) {
      if (this.listingsAnyAge) {
        const known = this.store.listings.get(key);
        if (known !== undefined) return known;
      }
      // Asked once for both views: the listing is also recent for the steps.
      return this.keep(key, () => this.inner.query(command, args, options), undefined, (answer) => {
        this.store.listings.set(key, answer);
        answer.catch(() => this.store.listings.delete(key));
      });
    }
    if (options?.describesVolume !== undefined && VOLUME_ANSWER_LASTS_WHILE_MOUNTED) return this.keep(key, () => this.inner.query(command, args, options), options.describesVolume);
    return this.inner.query(command, args, options);
  }

  override summarize(path: string, options?: SummarizeOptions): Promise<TreeSummary> {
    // A walk that fingerprinted the folder too is the walk asked for without one.
    const walked = options?.withFingerprint === true ? undefined : this.recentKept<TreeSummary>(summaryKey(path, { withFingerprint: true }));
    if (walked !== undefined) return walked.answer;
    return this.keep(summaryKey(path, options), () => this.inner.summarize(path, options));
  }

  /**
   * A recent summary that fingerprinted the folder in its walk (`withFingerprint`: the plan's
   * walk of a folder to be moved) answers for a fingerprint of it, as recent as that walk: the
   * move's fingerprint before its copy is then the plan's, not a walk of its own a moment later.
   */
  override async fingerprint(path: string, options?: FingerprintOptions): Promise<TreeFingerprint> {
    const key = JSON.stringify(['fingerprint', path, options ?? {}]);
    const walked = this.recentKept<TreeSummary>(summaryKey(path, { withFingerprint: true }));
    if (walked !== undefined && !this.recentKept(key)) {
      const whole = await walked.answer.then((s) => s.fingerprint, () => undefined);
      const narrowed = whole === undefined ? undefined : (await import('./fs/tree-fingerprint.js')).narrowFingerprint(whole, options);
      if (narrowed !== undefined) {
        this.store.recent.set(key, { at: walked.at, answer: Promise.resolve(narrowed) });
        return narrowed;
      }
    }
    return this.keep(key, () => this.inner.fingerprint(path, options));
  }

  /** What is kept under key while it is recent. */
  private recentKept<T>(key: string): Kept<T> | undefined {
    const known = this.store.recent.get(key) as Kept<T> | undefined;
    return known !== undefined && this.isRecent(known) ? known : undefined;
  }

  /**
   * The recent answer under key, or a new one asked now. A failed answer is not kept. An answer
   * about a volume is given again only while the same device is mounted at its mount point.
   */
  private async keep<T>(key: string, ask: () => Promise<T>, mount?: string, onNew?: (answer: Promise<T>) => void): Promise<T> {
    const { store } = this;
    const known = store.recent.get(key) as Kept<T> | undefined;
    // A mount point that cannot be looked at (a drive going away) gives nothing to know it by:
    // the question is asked, and what it says is the caller's to judge.
    const dev = mount === undefined ? undefined : await this.inner.lstat(mount).then((st) => st?.dev, () => undefined);
    if (known !== undefined && this.isRecent(known) && (known.volume === undefined || (dev !== undefined && known.volume.dev === dev))) {
      return known.answer;
    }
    const entry: Kept<T> = { at: store.now(), answer: ask(), ...(mount === undefined ? {} : { volume: { mount, dev } }) };
    store.recent.set(key, entry);
    entry.answer.catch(() => {
      if (store.recent.get(key) === entry) store.recent.delete(key);
    });
    onNew?.(entry.answer);
    return entry.answer;
  }

  private isRecent(k: Kept<unknown>): boolean {
    const now = this.store.now();
    return k.at > this.store.settledAt && now - k.at <= RECENT_MS;
  }
}

function summaryKey(path: string, options: SummarizeOptions | undefined): string {
  return JSON.stringify(['summarize', path, options?.withFingerprint === true]);
}
