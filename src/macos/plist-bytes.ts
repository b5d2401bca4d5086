import type { PlistValue } from 'plist';
import { parsePlistXml } from './plist.js';

/** The magic a binary property list starts with (CoreFoundation's format, version 00). */
const BINARY_MAGIC = 'bplist00';

/**
 * Parses a property list file's bytes, binary or XML. macOS writes many of the files provision
 * reads (a backup's Manifest.plist and Status.plist, /Library/Preferences plists) in the binary
 * format; those go to bplist-parser, a widely used parser, loaded on first use like the XML one.
 * Dates come back as Date, data as Buffer, as the XML parser gives them.
 */
export async function parsePlistBytes(bytes: Buffer): Promise<PlistValue> {
  if (bytes.subarray(0, BINARY_MAGIC.length).toString('latin1') === BINARY_MAGIC) {
    const { parseBuffer } = await import('bplist-parser');
    let parsed: unknown[];
    try {
      parsed = parseBuffer(bytes) as unknown[];
    } catch (e) {
      throw new Error(`malformed binary property list: ${e instanceof Error ? e.message : String(e)}`);
    }
    // A binary plist has exactly one top object; the parser returns it in a one-element array.
    if (parsed.length !== 1 || parsed[0] === undefined) throw new Error('malformed binary property list: no top object');
    return parsed[0] as PlistValue;
  }
  return parsePlistXml(bytes.toString('utf8'));
}

/** A plist dictionary's entries, or undefined when the value is not a dictionary. */
export function plistDict(value: PlistValue | undefined): Readonly<Record<string, PlistValue>> | undefined {
  if (typeof value !== 'object' || value === null || value instanceof Date || Buffer.isBuffer(value) || Array.isArray(value)) return undefined;
  return value as Readonly<Record<string, PlistValue>>;
}
