import type { TreeSummary } from '../../host/host.js';

/** The parts of a tree walk the planner needs, as plain data. */
export interface TreeSummaryLite {
  files: number;
  bytes: number;
  largestFile: number;
  unreadable: { path: string; code: string }[];
  /** Folders below the root: each takes at least one allocation unit on the drive. */
  directories?: number;
  /** What the copy cannot carry and names some drive refuses (see TreeSummary). */
  uncopyable?: TreeSummary['uncopyable'];
  awkwardNames?: TreeSummary['awkwardNames'];
  firstLink?: string;
  extraNames?: TreeSummary['extraNames'];
  linkedOutside?: TreeSummary['linkedOutside'];
}

