/**
 * Keys that init makes up for the declaration (a machine from its computer name, a drive from
 * its volume name). They must fit the schema's name pattern, so what a person reads in Finder
 * ("Alex’s MacBook Air", "Archive 2TB") becomes a short, lower-case key that still says which.
 */

/** The schema's pattern for names ($defs.name in schemas/backups.schema.json). */
const NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export function isValidName(name: string): boolean {
  return NAME.test(name);
}

/**
 * "Alex’s MacBook Air" -> "alexs-macbook-air", "Archive 2TB" -> "archive-2tb". Accents are
 * dropped rather than the letter (é -> e); apostrophes vanish so a possessive stays one word;
 * any other run of characters a name cannot hold becomes one "-". `fallback` when nothing is left.
 */
export function keyFrom(text: string, fallback: string): string {
  const key = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['\u2019\u2018`]/g, '')
    .replace(/[^a-z0-9._]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return key === '' ? fallback : key;
}

/** `base`, or `base-2`, `base-3`, ... whichever is not taken yet (compared ignoring case). */
export function uniqueKey(base: string, taken: Iterable<string>): string {
  const used = new Set([...taken].map((t) => t.toLowerCase()));
  if (!used.has(base.toLowerCase())) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}-${i}`;
    if (!used.has(candidate.toLowerCase())) return candidate;
  }
}
