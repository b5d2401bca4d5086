/**
 * Scalars as init writes them into YAML text. The text is built by hand, not by the yaml
 * package's stringifier, so that comments sit where a person expects them and so that
 * --add-machine can splice an entry into a file without reformatting the rest. A value is
 * written plain only when it is plainly a string in block and flow context alike; anything else
 * is quoted, so `E:`, `2TB`, `yes` or `a, b` can never be read back as something else.
 */

/** Characters a plain scalar may use here: letters, digits, space and `._/-` (no `:`, `#`, `,`, brackets). */
const PLAIN = /^[A-Za-z_][A-Za-z0-9 ._/-]*$/;

/** Words some YAML readers (1.1) take for booleans or null. */
const RESERVED = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n', '~']);

/** Control characters, which a single-quoted scalar cannot escape. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function yamlScalar(value: string): string {
  const plain = PLAIN.test(value) && !value.endsWith(' ') && !RESERVED.has(value.toLowerCase());
  if (plain) return value;
  if (!value.includes("'") && !CONTROL.test(value)) return `'${value}'`;
  // JSON's string syntax is a YAML double-quoted scalar.
  return JSON.stringify(value);
}

/** `{ drive: archive, path: MobileSync/alex }` */
export function flowMap(entries: readonly (readonly [string, string])[]): string {
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }`;
}

/** `[alex, sam]` from already written scalars. */
export function flowSeq(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}
