/** Sets one of a user's macOS preferences with defaults(1), e.g. where iPhoto finds its library. */
export type SetPreferenceStep = {
  op: 'set-preference';
  domain: string;
  key: string;
  value: string;
  /** The account whose preferences these are, when provision runs as another (root). */
  asUser?: string;
};
