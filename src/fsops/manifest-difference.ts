/**
 * Compares two whole manifests, for hosts that have no trees on disk to walk (the dry-run host's
 * overlay); the real host compares trees folder by folder instead (compare-trees.ts).
 */

import type { TreeManifest } from '../host/host.js';

/** Why the copy's manifest differs from the original's (entries under skipTop left out), or undefined. */
export function manifestDifference(original: TreeManifest, copy: TreeManifest, skipTop: readonly string[] = []): string | undefined {
  const kept = skipTop.length === 0 ? original : withoutTop(original, skipTop);
  if (kept.size !== copy.size) return `${kept.size} entries in the original, ${copy.size} in the copy`;
  for (const [p, size] of kept) {
    const other = copy.get(p);
    if (other === undefined) return `${p} is missing from the copy`;
    if (other !== size) return `${p} has ${other} bytes in the copy, ${size} in the original`;
  }
  return undefined;
}

function withoutTop(m: TreeManifest, skipTop: readonly string[]): TreeManifest {
  const out: TreeManifest = new Map();
  for (const [rel, size] of m) {
    const top = rel.split('/')[0] ?? rel;
    if (!skipTop.includes(top)) out.set(rel, size);
  }
  return out;
}
