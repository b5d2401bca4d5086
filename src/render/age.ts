/** How long ago, in whole days: "today", "yesterday", "94 days ago"; "in the future" for a wrong clock. */
export function describeAge(days: number): string {
  if (days < 0) return 'in the future';
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days.toLocaleString('en-US')} days ago`;
}
