/** The parts of a tree walk the planner needs, as plain data. */
export interface TreeSummaryLite {
  files: number;
  bytes: number;
  largestFile: number;
  unreadable: { path: string; code: string }[];
}

