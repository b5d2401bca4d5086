/** Counts what a folder holds, for sizing a move; unreadable parts are listed, not thrown. */

import type { TreeSummary } from '../host/host.js';
import { errnoCode } from '../errors.js';
import { walkTree } from './walk-tree.js';

/**
 * Summarizes the tree below root (the root itself is not counted). Entries that are neither
 * files, folders nor links (fifos, sockets, devices) are not counted anywhere.
 * Throws when root is missing, not a directory, or cannot be listed.
 */
export async function summarizeTree(root: string): Promise<TreeSummary> {
  const summary: TreeSummary = { files: 0, directories: 0, symlinks: 0, bytes: 0, largestFile: 0, unreadable: [] };
  await walkTree(root, {
    entry(_rel, kind, size) {
      if (kind === 'file') {
        summary.files++;
        summary.bytes += size;
        if (size > summary.largestFile) summary.largestFile = size;
      } else if (kind === 'directory') {
        summary.directories++;
      } else if (kind === 'symlink') {
        summary.symlinks++;
      }
    },
    unreadable(rel, error) {
      summary.unreadable.push({ path: rel, code: errnoCode(error) ?? 'UNKNOWN' });
    },
  });
  return summary;
}
