// How `defaults read` prints values. A single key: the bare value on one line (strings as they
// are, booleans as 1/0, numbers as numbers). A whole domain: old-style (NeXTSTEP) plist text,
// four-space indentation, `key = value;` per line in sorted order, with keys and strings quoted
// unless they are made only of characters that old-style plists allow bare.

const BARE = /^[A-Za-z0-9_$+/:.-]+$/;

/** @param {string} s */
function quoteIfNeeded(s) {
  if (BARE.test(s)) return s;
  const escaped = s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
  return `"${escaped}"`;
}

/** @param {string | number | boolean} value */
export function formatValue(value) {
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}

/** @param {Record<string, string | number | boolean>} keys */
export function formatDomain(keys) {
  const lines = Object.keys(keys)
    .sort()
    .map((k) => {
      const v = /** @type {string | number | boolean} */ (keys[k]);
      const shown = typeof v === 'string' ? quoteIfNeeded(v) : formatValue(v);
      return `    ${quoteIfNeeded(k)} = ${shown};`;
    });
  return `{\n${lines.map((l) => `${l}\n`).join('')}}\n`;
}
