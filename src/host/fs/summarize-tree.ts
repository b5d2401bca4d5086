/**
 * Counts what a folder holds, for sizing a move; unreadable parts are listed, not thrown. A file
 * with several names (hard links) is counted once in bytes; names it has outside the folder are
 * reported (linkedOutside), as moving the folder would not free its space.
 */

import { lstatSync, type BigIntStats, type Stats } from 'node:fs';
import { join, posix } from 'node:path';
import type { EntryKind, SummarizeOptions, TreeSummary } from '../host.js';
import { errnoCode } from '../../errors.js';
import { awkwardName } from './name-limits.js';
import { FingerprintRecorder, RECORDED_ENTRIES_MAX } from './tree-fingerprint.js';
import { walkTree, walkTreeStatted } from './walk-tree.js';

/** How many uncopyable entries and awkward names a summary keeps: the plan names the first. */
export const SUMMARY_SAMPLE = 10;

/**
 * Summarizes the tree below root (the root itself is not counted). Entries that are neither
 * files, folders nor links (fifos, sockets, devices) are not counted, but listed as uncopyable;
 * names some drive cannot hold are listed too (host/fs/name-limits.ts), as is the first link.
 * Throws when root is missing, not a directory, or cannot be listed.
 */
export async function summarizeTree(root: string, options: SummarizeOptions = {}): Promise<TreeSummary> {
  const summary: TreeSummary = { files: 0, directories: 0, symlinks: 0, bytes: 0, largestFile: 0, unreadable: [] };
  // Files with several names: names found so far, by inode (only these are held).
  const linked = new Map<string, { found: number; nlink: number; size: number; rel: string }>();
  const count = (rel: string, kind: EntryKind, size: number, stats: Stats | BigIntStats | undefined): void => {
    if (kind === 'file' && stats !== undefined && Number(stats.nlink) > 1) {
      const key = `${stats.dev}:${stats.ino}`;
      const seen = linked.get(key);
      summary.files++;
      if (seen === undefined) {
        linked.set(key, { found: 1, nlink: Number(stats.nlink), size, rel });
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
  };
  const unreadable = (rel: string, error: unknown): void => {
    summary.unreadable.push({ path: rel, code: errnoCode(error) ?? 'UNKNOWN' });
  };
  if (options.withFingerprint === true) {
    let recorder: FingerprintRecorder | undefined = new FingerprintRecorder();
    let recorded = 0;
    await walkTreeStatted(root, {
      entry(rel, kind, size, stats) {
        count(rel, kind, size, stats);
        if (recorder === undefined || stats === undefined) return;
        if (++recorded > RECORDED_ENTRIES_MAX) recorder = undefined;
        else recorder.add(rel, stats);
      },
      unreadable,
    });
    // What could not be read cannot be vouched for: no fingerprint (fingerprintTree throws).
    if (recorder !== undefined && summary.unreadable.length === 0) summary.fingerprint = recorder.finish();
  } else {
    await walkTree(root, { entry: count, unreadable });
  }
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
