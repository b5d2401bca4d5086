// Writes XML property lists the way Apple's tools print them: the standard XML declaration and
// DOCTYPE, tab indentation, dictionary keys in sorted order (CoreFoundation sorts them), a
// trailing newline. Values: string, integer and real numbers, booleans, Date, arrays and plain
// objects. Integers are told from reals by Number.isInteger, as the simulated tools only print
// byte counts and flags; wrap a number as { real: n } to force <real>.

const HEADER =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
  '<plist version="1.0">\n';

/** @param {string} s */
function escapeXml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** @param {Date} d ISO 8601 in UTC without fractions, as plists store dates. */
function plistDate(d) {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * @param {unknown} value
 * @param {number} depth
 * @returns {string[]} lines
 */
function valueLines(value, depth) {
  const pad = '\t'.repeat(depth);
  if (typeof value === 'string') return [`${pad}<string>${escapeXml(value)}</string>`];
  if (typeof value === 'boolean') return [`${pad}<${value ? 'true' : 'false'}/>`];
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`plist cannot hold ${value}`);
    return Number.isInteger(value) ? [`${pad}<integer>${value}</integer>`] : [`${pad}<real>${value}</real>`];
  }
  if (value instanceof Date) return [`${pad}<date>${plistDate(value)}</date>`];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}<array/>`];
    return [`${pad}<array>`, ...value.flatMap((v) => valueLines(v, depth + 1)), `${pad}</array>`];
  }
  if (value !== null && typeof value === 'object') {
    if ('real' in value && Object.keys(value).length === 1 && typeof value.real === 'number') {
      return [`${pad}<real>${value.real}</real>`];
    }
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    if (keys.length === 0) return [`${pad}<dict/>`];
    const inner = keys.flatMap((k) => [`${pad}\t<key>${escapeXml(k)}</key>`, ...valueLines(value[k], depth + 1)]);
    return [`${pad}<dict>`, ...inner, `${pad}</dict>`];
  }
  throw new Error(`plist cannot hold a value of type ${value === null ? 'null' : typeof value}`);
}

/**
 * The whole plist document for a top-level value (usually a dict).
 * @param {unknown} value
 * @returns {string}
 */
export function toPlistXml(value) {
  return `${HEADER}${valueLines(value, 0).join('\n')}\n</plist>\n`;
}
