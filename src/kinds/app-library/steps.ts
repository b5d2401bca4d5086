/** Sets one of a user's macOS preferences with defaults(1), e.g. where iPhoto finds its library. */
export type SetPreferenceStep = {
  op: 'set-preference';
  domain: string;
  key: string;
  value: string;
  /** The account whose preferences these are, when provision runs as another (root). */
  asUser?: string;
};

/**
 * Removes an original a move kept beside the link (RelocateStep.keepOriginal), once its owner
 * has opened the moved library or confirmed it. Everything is checked again when it runs.
 */
export type RemoveKeptOriginalStep = {
  op: 'remove-kept-original';
  /** The kept original (host path). */
  kept: string;
  /** The folder on the drive that holds the moved library (host path), per the kept record. */
  movedTo: string;
  /** Why it may go now, in words ("you confirmed it on ..."). */
  because: string;
  volume: { files: number; bytes: number };
};

export type AppLibraryStep = SetPreferenceStep | RemoveKeptOriginalStep;
