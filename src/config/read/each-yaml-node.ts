/**
 * Every node of a YAML document, for the checks that look at all of them (aliases, keys,
 * characters, secrets).
 *
 * Why not yaml's own `visit`: it builds a frozen copy of the path to each node at every level
 * (`Object.freeze(path.concat(node))`), which none of these checks reads. Over a 1,000-machine
 * declaration (60,000 nodes) each of its walks took 17-20 ms and its garbage; this one 5-10 ms
 * (docs/performance.md). The order is the same: document order, a pair's key before its value,
 * aliases as they are (not followed).
 */

import { isAlias, isCollection, isPair, isScalar, type Document, type Node } from 'yaml';

/** Calls `visit` with every scalar, alias, mapping and list of the document; `isKey` for a pair's key. */
export function eachYamlNode(doc: Document, visit: (node: Node, isKey: boolean) => void): void {
  const walk = (node: unknown, isKey: boolean): void => {
    if (isScalar(node) || isAlias(node)) {
      visit(node, isKey);
    } else if (isCollection(node)) {
      visit(node, isKey);
      for (const item of node.items) {
        if (isPair(item)) {
          walk(item.key, true);
          walk(item.value, false);
        } else {
          walk(item, false);
        }
      }
    }
  };
  walk(doc.contents, false);
}
