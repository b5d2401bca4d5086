/**
 * Adding entries to an existing declaration without touching a byte of the rest. The yaml
 * package's Document API finds where each top-level mapping is and where its last entry ends;
 * the new text is then spliced in there. Re-serialising the Document instead (doc.toString())
 * would keep the comments but not their places: it realigns trailing comments, respaces flow
 * collections (`[alex, sam]` becomes `[ alex, sam ]`), and moves a comment after a key onto a
 * line of its own. A person's hand-kept file deserves better, so only new lines are written.
 */

import { isMap, isScalar, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

export interface Insertion {
  offset: number;
  text: string;
}

/** A new mapping entry in both forms: block lines (key at column 0, nested by `step`) and flow. */
export interface NewEntry {
  block: (step: string) => string[];
  key: string;
  flow: string;
}

export interface SpliceTarget {
  text: string;
  doc: Document;
  eol: string;
  /** The indentation unit of the file, from its top-level mappings (two spaces if unknown). */
  step: string;
}

export function spliceTarget(text: string): SpliceTarget | undefined {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (!isMap(doc.contents) || doc.contents.flow === true) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const target = { text, doc, eol, step: '  ' };
  for (const key of ['machines', 'users', 'drives']) {
    const map = topLevelMap(target, key);
    const first = map !== undefined && map.flow !== true ? map.items[0] : undefined;
    const column = first === undefined ? 0 : columnOf(text, startOf(first.key));
    if (column > 0) return { ...target, step: ' '.repeat(column) };
  }
  return target;
}

function rangeOf(node: unknown): [number, number, number] | undefined {
  const r = (node as Node | null | undefined)?.range;
  return r ?? undefined;
}

function startOf(node: unknown): number {
  return rangeOf(node)?.[0] ?? 0;
}

/** Where a node's content ends (before any comment after it). */
function endOf(node: unknown): number | undefined {
  return rangeOf(node)?.[1];
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function topPair(t: SpliceTarget, key: string): Pair | undefined {
  const root = t.doc.contents as YAMLMap;
  return root.items.find((p) => isScalar(p.key) && p.key.value === key);
}

export function topLevelMap(t: SpliceTarget, key: string): YAMLMap | undefined {
  const value = topPair(t, key)?.value;
  return isMap(value) ? value : undefined;
}

function lineAt(text: string, start: number): { line: string; next: number } {
  const nl = text.indexOf('\n', start);
  const end = nl === -1 ? text.length : nl;
  return { line: text.slice(start, end).replace(/\r$/, ''), next: nl === -1 ? text.length : nl + 1 };
}

/**
 * An entry added at the end of the mapping under top-level `key`: after its last entry and
 * the comment lines indented under it (they belong to that entry), before any blank line or
 * comment that introduces what follows.
 */
export function appendToMap(t: SpliceTarget, key: string, entry: NewEntry): Insertion {
  const map = topLevelMap(t, key);
  if (map === undefined) throw new Error(`internal: no mapping at ${key}`);
  const last = map.items[map.items.length - 1];
  if (map.flow === true) return appendToFlowMap(t, map, entry);
  if (last === undefined) throw new Error(`internal: empty block mapping at ${key}`);
  const itemColumn = columnOf(t.text, startOf(last.key));
  // A block value's end may lie past its line break (and blank lines): step back to its last
  // character, then on to the end of that line, past any comment there.
  let contentEnd = Math.max(endOf(last.value) ?? 0, endOf(last.key) ?? 0);
  while (contentEnd > 0 && /\s/.test(t.text[contentEnd - 1] ?? '')) contentEnd--;
  let offset = lineAt(t.text, contentEnd).next;
  for (;;) {
    const { line, next } = lineAt(t.text, offset);
    const trimmed = line.trimStart();
    if (offset >= t.text.length || !trimmed.startsWith('#') || line.length - trimmed.length < itemColumn) break;
    offset = next;
  }
  const before = offset === t.text.length && !t.text.endsWith('\n') ? t.eol : '';
  const lines = entry.block(t.step).map((l) => (l === '' ? '' : ' '.repeat(itemColumn) + l));
  return { offset, text: before + lines.join(t.eol) + t.eol };
}

/** `{ a: 1 }` becomes `{ a: 1, new: {...} }`; `{}` becomes `{ new: {...} }`. */
function appendToFlowMap(t: SpliceTarget, map: YAMLMap, entry: NewEntry): Insertion {
  const last = map.items[map.items.length - 1];
  if (last !== undefined) {
    const end = Math.max(endOf(last.value) ?? 0, endOf(last.key) ?? 0);
    return { offset: end, text: `, ${entry.key}: ${entry.flow}` };
  }
  const open = t.text.indexOf('{', startOf(map));
  return { offset: open + 1, text: ` ${entry.key}: ${entry.flow} ` };
}

/**
 * A new top-level mapping (`users:` when the file has none) put just before `machines:`, above
 * the comment lines that introduce machines, so the file keeps the usual order.
 */
export function insertTopLevelBefore(t: SpliceTarget, beforeKey: string, key: string, intro: readonly string[], entry: NewEntry): Insertion {
  const pair = topPair(t, beforeKey);
  let offset = pair === undefined ? t.text.length : startOf(pair.key) - columnOf(t.text, startOf(pair.key));
  // Step back over the comment lines right above (column 0, no blank line between), but never
  // above the first line, where the schema modeline lives.
  while (offset > 0) {
    const prevStart = t.text.lastIndexOf('\n', offset - 2) + 1;
    const { line } = lineAt(t.text, prevStart);
    if (prevStart === 0 || !line.startsWith('#')) break;
    offset = prevStart;
  }
  const before = offset === t.text.length && !t.text.endsWith('\n') && t.text !== '' ? t.eol : '';
  const lines = [...intro, `${key}:`, ...entry.block(t.step).map((l) => (l === '' ? '' : t.step + l)), ''];
  return { offset, text: before + lines.join(t.eol) + t.eol };
}

/** Applies insertions to the original text; those at one offset keep the order given. */
export function applyInsertions(text: string, insertions: readonly Insertion[]): string {
  const ordered = insertions.map((ins, i) => ({ ...ins, i })).sort((a, b) => a.offset - b.offset || a.i - b.i);
  let out = '';
  let at = 0;
  for (const ins of ordered) {
    out += text.slice(at, ins.offset) + ins.text;
    at = ins.offset;
  }
  return out + text.slice(at);
}
