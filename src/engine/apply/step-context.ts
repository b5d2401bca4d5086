import type { Host, HostReads } from '../../host/host.js';
import type { Journal, JournalEntry } from '../journal/journal.js';
import type { Change } from '../types.js';
import type { StepRunners } from '../kind.js';

export interface StepProgress {
  /** What is happening now, in a few words: "copying", "verifying", "removing the original". */
  activity: string;
  files: number;
  bytes: number;
  totalFiles: number;
  totalBytes: number;
}

export interface StepContext {
  host: Host;
  /**
   * What the apply round read a moment ago (its plan's walks, drive answers and listing of open
   * files), given again while recent (host/round-reads.ts): for a step's first looks, never for a
   * check right before a destructive step. Undefined in a dry run and outside apply.
   */
  recent?: HostReads;
  /** The kinds' runners for their own steps. */
  runners: StepRunners;
  journal: Journal;
  change: Change;
  /** Unfinished moves found in the journal, by step id: a relocate step resumes from its phase. */
  pending: ReadonlyMap<string, JournalEntry>;
  signal?: AbortSignal;
  onProgress?: (p: StepProgress) => void;
  /** Compare every copied byte with the original, not only sizes and entries (apply --verify content). */
  verifyContent?: boolean;
}
