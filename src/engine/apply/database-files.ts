/**
 * Which files of a move are databases, compared byte for byte whatever --verify says: a
 * database is rewritten in place, page by page, at the same size, so a size check cannot tell a
 * stale copy from a good one (docs/safety.md, "Databases").
 *
 * A pattern is matched against each segment of a file's relative path: "database" takes every
 * file below a folder of that name (Photos' database/), "*.musiclibrary" every file in that
 * package, "*.sqlite*" the database and its -wal and -shm files. `*` stands for any text; nothing
 * else is special, so a pattern read from a journal can never be slow to match.
 */
export function databaseMatcher(patterns: readonly string[] | undefined): ((relativePath: string) => boolean) | undefined {
  if (patterns === undefined || patterns.length === 0) return undefined;
  const tests = patterns.map(segmentTest);
  return (relativePath) => relativePath.split('/').some((segment) => tests.some((t) => t(segment)));
}

function segmentTest(pattern: string): (segment: string) => boolean {
  const parts = pattern.toLowerCase().split('*');
  if (parts.length === 1) return (segment) => segment.toLowerCase() === parts[0];
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  const middle = parts.slice(1, -1);
  return (segment) => {
    const s = segment.toLowerCase();
    if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
    // Each middle part, in order, after the previous one: linear in the segment's length.
    let at = first.length;
    const end = s.length - last.length;
    for (const part of middle) {
      const found = s.indexOf(part, at);
      if (found < 0 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}
