/**
 * Finds where a value sits in the YAML source, so every problem can say FILE:LINE:COLUMN.
 * Paths are the same as in the loaded object (`['machines', 'pc', 'users', 0]`); aliases and
 * merge keys (`<<: *base`) are followed. When a path cannot be followed to the end (the value
 * came from elsewhere, or is missing), the deepest place found is used.
 */

import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import type { SourceLocation } from '../../errors.js';
import { followAlias, type AliasTargets } from './yaml-aliases.js';

export type ConfigPath = readonly (string | number)[];

export interface ConfigLocator {
  /** Where the value at `path` starts; for an empty value (`alex:`), where its key is. */
  value(path: ConfigPath): SourceLocation;
  /** Where the key of the last step of `path` is; for a list item, the item itself. */
  key(path: ConfigPath): SourceLocation;
}

/**
 * The string a key becomes in the loaded object (null keys become ''); undefined for a list or
 * mapping used as a key, and for an alias that stands for nothing.
 */
export function keyString(key: unknown, targets: AliasTargets): string | undefined {
  const node = followAlias(key, targets);
  if (isAlias(node) || (isAlias(key) && node === undefined)) return undefined;
  if (node === null || node === undefined) return '';
  if (isScalar(node)) return node.value === null || node.value === undefined ? '' : String(node.value);
  return undefined;
}

function isMergePair(pair: Pair): boolean {
  return isScalar(pair.key) && pair.key.value === '<<';
}

interface Step {
  node: unknown;
  /** The key node when the step went through a mapping. */
  keyNode?: unknown;
}

export function createLocator(doc: Document, lineCounter: LineCounter, file: string, targets: AliasTargets): ConfigLocator {
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const start = (node: unknown): number | undefined => {
    const range = (node as Node | null | undefined)?.range;
    return Array.isArray(range) ? range[0] : undefined;
  };
  const resolve = (node: unknown): unknown => followAlias(node, targets);

  // Each mapping's own keys, indexed on first use: a file with thousands of problems in a mapping
  // of thousands of keys must not be searched key by key for each problem.
  const indexes = new WeakMap<object, { own: Map<string, Pair>; merges: Pair[] }>();
  const indexOf = (map: YAMLMap): { own: Map<string, Pair>; merges: Pair[] } => {
    let index = indexes.get(map);
    if (index === undefined) {
      index = { own: new Map(), merges: [] };
      for (const pair of map.items) {
        if (isMergePair(pair)) {
          index.merges.push(pair);
          continue;
        }
        const key = keyString(pair.key, targets);
        if (key !== undefined) index.own.set(key, pair); // the last one wins, as in the loaded object
      }
      indexes.set(map, index);
    }
    return index;
  };

  /** The pair for `key` in a mapping, looking through merge keys (the map's own keys win). */
  const findPair = (map: unknown, key: string, depth = 0): Pair | undefined => {
    const node = resolve(map);
    if (!isMap(node) || depth > 20) return undefined;
    const { own, merges } = indexOf(node);
    const found = own.get(key);
    if (found !== undefined) return found;
    for (const pair of merges) {
      const sources = isSeq(resolve(pair.value)) ? (resolve(pair.value) as { items: unknown[] }).items : [pair.value];
      for (const source of sources) {
        const inSource = findPair(source, key, depth + 1);
        if (inSource !== undefined) return inSource;
      }
    }
    return undefined;
  };

  /** Follows the path as far as it goes; the last step is the deepest node found. */
  const walk = (path: ConfigPath): { steps: Step[]; complete: boolean } => {
    const steps: Step[] = [{ node: doc.contents }];
    for (const segment of path) {
      const here = resolve(steps[steps.length - 1]?.node);
      if (isMap(here)) {
        const pair = findPair(here, String(segment));
        if (pair === undefined) return { steps, complete: false };
        steps.push({ node: pair.value, keyNode: pair.key });
      } else if (isSeq(here)) {
        const item = here.items[Number(segment)];
        if (item === undefined) return { steps, complete: false };
        steps.push({ node: item });
      } else {
        return { steps, complete: false };
      }
    }
    return { steps, complete: true };
  };

  /** The first position found going up from the deepest step (value, then key, then parents). */
  const positionOf = (steps: Step[], preferKey: boolean): SourceLocation => {
    for (let i = steps.length - 1; i >= 0; i--) {
      const step = steps[i];
      if (step === undefined) continue;
      const valueStart = start(step.node);
      const range = isScalar(step.node) ? step.node.range : undefined;
      const isEmpty = range !== undefined && range !== null && range[0] === range[1];
      const keyStart = start(step.keyNode);
      if (preferKey && keyStart !== undefined) return at(keyStart);
      if (valueStart !== undefined && !isEmpty) return at(valueStart);
      if (keyStart !== undefined) return at(keyStart);
      if (valueStart !== undefined) return at(valueStart);
    }
    return { file, line: 1, column: 1 };
  };

  return {
    value(path) {
      return positionOf(walk(path).steps, false);
    },
    key(path) {
      const { steps, complete } = walk(path);
      return positionOf(steps, complete);
    },
  };
}
