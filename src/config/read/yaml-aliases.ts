/**
 * Anchors (`&name`) and aliases (`*name`), resolved once and bounded. yaml resolves an alias by
 * scanning the document each time, which is quadratic in a file full of aliases; here one pass
 * in document order finds each alias's anchor (the last `&name` before it, as YAML says).
 * Aliases also let a few lines stand for a huge value ("billion laughs": ten aliases of ten
 * aliases of ten ...), which everything after the parser would walk in full. So the number of
 * aliases and the size they expand to are limited, and the alias that goes over is the one
 * reported, at its place.
 */

import { isAlias, isCollection, isPair, isScalar, type Alias, type Document, type Node } from 'yaml';
import { eachYamlNode } from './each-yaml-node.js';
import type { Problem, SourceLocation } from '../../errors.js';
import { quoted } from '../../text/printable.js';

/** Each alias of a document and the node it stands for (undefined: no anchor before it). */
export type AliasTargets = ReadonlyMap<Alias, Node | undefined>;

/** No declaration needs more aliases than this. */
export const MAX_ALIASES = 1000;
/** Nor for its aliases to stand for more values (scalars, lists, mappings) than this in all. */
export const MAX_ALIASED_VALUES = 10_000;

export function aliasTargets(doc: Document): AliasTargets {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node | undefined>();
  eachYamlNode(doc, (node) => {
    if (isAlias(node)) targets.set(node, anchors.get(node.source));
    else if (node.anchor !== undefined) anchors.set(node.anchor, node);
  });
  return targets;
}

/** The node an alias stands for, following aliases of aliases; other nodes as they are. */
export function followAlias(node: unknown, targets: AliasTargets): unknown {
  let here = node;
  for (let hops = 0; isAlias(here) && hops < 100; hops++) here = targets.get(here);
  return here;
}

function start(node: Node | undefined): number {
  return node?.range?.[0] ?? 0;
}

/**
 * The problem with the document's aliases, if any: too many, one used inside the value it
 * names (it would never end), or together standing for too many values.
 */
export function aliasProblem(doc: Document, targets: AliasTargets, at: (offset: number) => SourceLocation): Problem | undefined {
  const aliases = [...targets.keys()];
  const tooMany = aliases[MAX_ALIASES];
  if (tooMany !== undefined) {
    return {
      code: 'CONFIG_SYNTAX',
      message: `The file uses more than ${MAX_ALIASES} aliases (*name)`,
      hint: 'a declaration needs only a few: write the values out',
      location: at(start(tooMany)),
    };
  }

  // Without aliases nothing expands and nothing can cycle: the walk below would only count.
  if (aliases.length === 0) return undefined;
  // The number of values a node stands for with its aliases expanded, capped so it stays a number.
  const CAP = 1e12;
  const sizes = new Map<unknown, number>();
  const inProgress = new Set<unknown>();
  let cycle: Alias | undefined;
  const size = (node: unknown): number => {
    const known = sizes.get(node);
    if (known !== undefined) return known;
    if (inProgress.has(node)) return 0;
    inProgress.add(node);
    let total = 1;
    if (isAlias(node)) {
      const target = targets.get(node);
      if (target !== undefined && inProgress.has(target)) cycle ??= node;
      total = target === undefined ? 1 : size(target);
    } else if (isCollection(node)) {
      for (const item of node.items) total += isPair(item) ? size(item.key) + size(item.value) : size(item);
    } else if (!isScalar(node)) {
      total = 0; // null keys and values
    }
    inProgress.delete(node);
    const capped = Math.min(total, CAP);
    sizes.set(node, capped);
    return capped;
  };
  size(doc.contents);
  if (cycle !== undefined) {
    return {
      code: 'CONFIG_SYNTAX',
      message: `The alias ${quoted(`*${cycle.source}`)} is used inside the value it names, so it would never end`,
      hint: `move ${quoted(`*${cycle.source}`)} out of the value marked ${quoted(`&${cycle.source}`)}, or write the value out`,
      location: at(start(cycle)),
    };
  }

  let expanded = 0;
  for (const alias of aliases) {
    expanded += size(alias);
    if (expanded > MAX_ALIASED_VALUES) {
      return {
        code: 'CONFIG_SYNTAX',
        message: `The aliases (*name) up to here stand for more than ${MAX_ALIASED_VALUES} values, far too much for a declaration`,
        hint: 'aliases of aliases multiply (the "billion laughs" attack): write the values out instead',
        location: at(start(alias)),
      };
    }
  }
  return undefined;
}
