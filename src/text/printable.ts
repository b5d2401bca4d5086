/**
 * User text made safe to print. A declaration (or an argument) may hold escape sequences, bidi
 * overrides or line breaks; printed as they are, they could move the cursor, change colours or
 * forge a line of output in the user's terminal. Every message that quotes input passes the
 * input through `printable`, and the CLI passes every message through it once more before
 * printing. It never escapes `\`, so escaping twice changes nothing.
 */

/** Characters a terminal does not simply show: controls, format characters, line separators, lone surrogates. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const NOT_PRINTABLE_EXCEPT_NEWLINE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

/** Quoted input is cut at this many characters: a message must stay readable. */
export const QUOTE_LIMIT = 120;

const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function hex(code: number, width: number): string {
  return code.toString(16).toUpperCase().padStart(width, '0');
}

/** One character written as an escape: `\t`, `\x1B`, `\u202E`, `\u{E0001}`. */
export function escapeCharacter(ch: string): string {
  const short = SHORT[ch];
  if (short !== undefined) return short;
  const code = ch.codePointAt(0) ?? 0;
  if (code <= 0xff) return `\\x${hex(code, 2)}`;
  if (code <= 0xffff) return `\\u${hex(code, 4)}`;
  return `\\u{${hex(code, 1)}}`;
}

export interface PrintableOptions {
  /** At most this many characters of the input are shown (default QUOTE_LIMIT). */
  limit?: number;
  /** Keep line breaks (for whole messages); quoted input never keeps them. */
  keepNewlines?: boolean;
}

/**
 * `text` with every non-printable character escaped, shortened to `limit` characters with a note
 * of the full length. Line breaks are escaped too unless `keepNewlines`.
 */
export function printable(text: string, options: PrintableOptions = {}): string {
  const limit = options.limit ?? QUOTE_LIMIT;
  const chars = [...text.slice(0, limit * 2 + 2)];
  const cut = chars.length > limit;
  const shown = cut ? chars.slice(0, limit).join('') : text;
  const escaped = shown.replace(options.keepNewlines === true ? NOT_PRINTABLE_EXCEPT_NEWLINE : NOT_PRINTABLE, escapeCharacter);
  return cut ? `${escaped}… (${text.length} characters in all)` : escaped;
}

/** Input quoted in a message: `` `name` ``, escaped and shortened. */
export function quoted(text: string): string {
  return `\`${printable(text)}\``;
}
