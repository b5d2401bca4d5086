/** Counts what a folder holds, for sizing a move; unreadable parts are listed, not thrown. */

import { lstatSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { TreeSummary } from '../host.js';
import { errnoCode } from '../../errors.js';
import { awkwardName } from './name-limits.js';
import { walkTree } from './walk-tree.js';

/** How many uncopyable entries and awkward names a summary keeps: the plan names the first. */
export const SUMMARY_SAMPLE = 10;

/**
 * Summarizes the tree below root (the root itself is not counted). Entries that are neither
 * files, folders nor links (fifos, sockets, devices) are not counted, but listed as uncopyable;
 * names some drive cannot hold are listed too (host/fs/name-limits.ts), as is the first link.
 * Throws when root is missing, not a directory, or cannot be listed.
 */
export async function summarizeTree(root: string): Promise<TreeSummary> {
  const summary: TreeSummary = { files: 0, directories: 0, symlinks: 0, bytes: 0, largestFile: 0, unreadable: [] };
  await walkTree(root, {
    entry(rel, kind, size) {
      const awkward = awkwardName(rel, posix.basename(rel));
      if (awkward !== undefined && (summary.awkwardNames ??= []).length < SUMMARY_SAMPLE) summary.awkwardNames.push(awkward);
      if (kind === 'file') {
        summary.files++;
        summary.bytes += size;
        if (size > summary.largestFile) summary.largestFile = size;
      } else if (kind === 'directory') {
        summary.directories++;
      } else if (kind === 'symlink') {
        summary.symlinks++;
        summary.firstLink ??= rel;
      } else if ((summary.uncopyable ??= []).length < SUMMARY_SAMPLE) {
        summary.uncopyable.push({ path: rel, what: whatIs(join(root, rel)) });
      }
    },
    unreadable(rel, error) {
      summary.unreadable.push({ path: rel, code: errnoCode(error) ?? 'UNKNOWN' });
    },
  });
  return summary;
}

/** Words for an entry that is neither a file, a folder nor a link. */
function whatIs(path: string): string {
  try {
    const s = lstatSync(path);
    if (s.isFIFO()) return 'a named pipe (fifo)';
    if (s.isSocket()) return 'a socket';
    if (s.isBlockDevice() || s.isCharacterDevice()) return 'a device';
  } catch {
    // Gone since it was listed: still not something a copy could carry.
  }
  return 'not a file, folder or link';
}
