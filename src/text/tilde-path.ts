/** Shortens a user's paths with ~ (posix or Windows separators). */
export function tildePath(p: string, home: string | undefined): string {
  if (home === undefined) return p;
  const lower = (s: string): string => s.toLowerCase();
  if (lower(p) === lower(home)) return '~';
  for (const sep of ['/', '\\']) {
    if (lower(p).startsWith(lower(home + sep))) return `~${sep}${p.slice(home.length + 1)}`;
  }
  return p;
}
