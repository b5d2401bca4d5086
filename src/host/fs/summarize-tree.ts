/**
 * Counts what a folder holds, for sizing a move; unreadable parts are listed, not thrown. A file
 * with several names (hard links) is counted once in bytes; names it has outside the folder are
 * reported (linkedOutside), as moving the folder would not free its space.
 */

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
  // Files with several names: names found so far, by inode (only these are held).
  const linked = new Map<string, { found: number; nlink: number; size: number; rel: string }>();
  await walkTree(root, {
    entry(rel, kind, size, stats) {
      if (kind === 'file' && stats !== undefined && stats.nlink > 1) {
        const key = `${stats.dev}:${stats.ino}`;
        const seen = linked.get(key);
        summary.files++;
        if (seen === undefined) {
          linked.set(key, { found: 1, nlink: stats.nlink, size, rel });
          summary.bytes += size;
          if (size > summary.largestFile) summary.largestFile = size;
        } else {
          seen.found++;
          const extra = (summary.extraNames ??= { files: 0, bytes: 0 });
          extra.files++;
          extra.bytes += size;
        }
        return;
      }
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
  for (const file of linked.values()) {
    if (file.found >= file.nlink) continue;
    const outside = (summary.linkedOutside ??= { files: 0, bytes: 0, first: file.rel });
    outside.files++;
    outside.bytes += file.size;
  }
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
