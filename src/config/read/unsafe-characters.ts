/**
 * Characters a declaration never needs and a terminal or an editor acts on: control characters
 * (escape sequences move the cursor and change colours; a carriage return overwrites a line),
 * and the invisible marks that change the direction of text, which can make a file read
 * differently from what it says. They are refused in the text itself, and in every key and value
 * once YAML has read them (double quotes can write them as `\e` or `\x1b`), so no name, path or
 * volume that reaches a plan or a message can carry one.
 */

import { isScalar, type Document } from 'yaml';
import { eachYamlNode } from './each-yaml-node.js';
import type { Problem, SourceLocation } from '../../errors.js';
import { escapeCharacter } from '../../text/printable.js';

const UNSAFE = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;
/** In the file's text, tabs and line ends are YAML's own business. */
const UNSAFE_IN_SOURCE = /(?![\t\n\r])[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;

const NAMES: Record<number, string> = {
  0x00: 'NUL',
  0x07: 'bell',
  0x08: 'backspace',
  0x09: 'tab',
  0x0a: 'line feed',
  0x0b: 'vertical tab',
  0x0c: 'form feed',
  0x0d: 'carriage return',
  0x1b: 'escape',
  0x7f: 'delete',
  0x85: 'next line',
  0x2028: 'line separator',
  0x2029: 'paragraph separator',
};

/** `U+001B (escape)`, `U+202E (text direction mark)`. */
export function describeCharacter(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const u = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMES[code] ?? (code < 0x100 ? 'control character' : 'text direction mark');
  return `${u} (${name})`;
}

/** The first unsafe character in a key or value, if any. */
export function firstUnsafe(value: string): { index: number; ch: string } | undefined {
  const m = UNSAFE.exec(value);
  return m === null ? undefined : { index: m.index, ch: m[0] };
}

/** A problem for the first unsafe character in the file's text; `at` turns an offset into a place. */
export function unsafeInSource(text: string, at: (offset: number) => SourceLocation): Problem | undefined {
  const m = UNSAFE_IN_SOURCE.exec(text);
  if (m === null) return undefined;
  const ch = m[0];
  return {
    code: 'CONFIG_SYNTAX',
    message: `The file holds an invisible character here, ${describeCharacter(ch)}`,
    hint: `delete it: no declaration needs one (your editor may show it as ${escapeCharacter(ch)}, as a box, or not at all)`,
    location: at(m.index),
  };
}

/** A problem for a key or value (as YAML read it) that holds an unsafe character. */
export function unsafeInValue(value: string, isKey: boolean, location: SourceLocation): Problem | undefined {
  const found = firstUnsafe(value);
  if (found === undefined) return undefined;
  return {
    code: 'CONFIG_INVALID',
    message: `This ${isKey ? 'name' : 'value'} holds an invisible character, ${describeCharacter(found.ch)}`,
    hint: `remove it: no name, path or volume has one (in double quotes, escapes such as ${escapeCharacter(found.ch)} write one)`,
    location,
  };
}

/** A problem for each key and value of the document (as YAML read them) that holds an unsafe character. */
export function unsafeInDocument(doc: Document, at: (offset: number) => SourceLocation): Problem[] {
  const problems: Problem[] = [];
  eachYamlNode(doc, (node, isKey) => {
    if (!isScalar(node) || typeof node.value !== 'string') return;
    const problem = unsafeInValue(node.value, isKey, at(node.range?.[0] ?? 0));
    if (problem !== undefined) problems.push(problem);
  });
  return problems;
}
