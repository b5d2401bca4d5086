/**
 * An iterative walk of a folder that never follows links and has no depth limit.
 *
 * Speed: listings use readdir withFileTypes (no stat per entry); only regular files are
 * lstat'ed, for their size. Both are synchronous, in chunks. Measured on 100,096 files in 256
 * folders (ext4, 2 cores): promise lstat with 16-64 in flight took 740-1040 ms, lstatSync
 * 350-450 ms. On a backup's shape (2,000 files in 515 folders) a promise readdir per folder
 * made the walk 65-75 ms against 30 ms synchronous, and a move walks its tree about ten times.
 * The walk yields to the event loop after every chunk of entries (folders counted), so a
 * signal handler or a spinner still runs.
 */

import { lstatSync, readdirSync, type BigIntStats, type Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { EntryKind } from '../host.js';
import { errnoCode } from '../../errors.js';
import { fsError } from './fs-error.js';
import { kindOf } from './entry-kind.js';

const CHUNK = 256;

export interface WalkVisitor<S extends Stats | BigIntStats = Stats> {
  /**
   * Every entry below the root (not the root). rel is a posix path; size is -1 except for files;
   * stats is the lstat of a file (the walk takes it anyway), for its inode and link count, or
   * of every entry in walkTreeStatted.
   */
  entry(rel: string, kind: EntryKind, size: number, stats?: S): void;
  /**
   * A folder that could not be listed or an entry that could not be lstat'ed (not ENOENT: an
   * entry that vanished during the walk is skipped). Return to go on; throw to stop the walk.
   */
  unreadable(rel: string, error: unknown): void;
}

interface Pending {
  abs: string;
  rel: string;
}

/** Which entries a walk lstats, and how. */
interface Lstatting<S extends Stats | BigIntStats> {
  every: boolean;
  lstat(abs: string): S;
}

const FILES: Lstatting<Stats> = { every: false, lstat: (abs) => lstatSync(abs) };
const EVERY_ENTRY: Lstatting<BigIntStats> = { every: true, lstat: (abs) => lstatSync(abs, { bigint: true }) };

/** Walks root, which must be a directory (not a link to one); errors on the root itself propagate. */
export function walkTree(root: string, visitor: WalkVisitor<Stats>): Promise<void> {
  return walk(root, visitor, FILES);
}

/**
 * walkTree, but every entry is lstat'ed (folders and links too), with times in nanoseconds: what
 * a fingerprint records of each (tree-fingerprint.ts), so that one walk can size a folder and
 * fingerprint it. An entry's kind is its lstat's.
 */
export function walkTreeStatted(root: string, visitor: WalkVisitor<BigIntStats>): Promise<void> {
  return walk(root, visitor, EVERY_ENTRY);
}

async function walk<S extends Stats | BigIntStats>(root: string, visitor: WalkVisitor<S>, lstatting: Lstatting<S>): Promise<void> {
  const rootStats = await lstat(root);
  if (!rootStats.isDirectory()) throw fsError('ENOTDIR', 'scandir', root);

  const stack: Pending[] = [{ abs: root, rel: '' }];
  let sinceYield = 0;
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    let entries;
    try {
      entries = readdirSync(next.abs, { withFileTypes: true });
    } catch (error) {
      if (next.rel === '') throw error;
      if (errnoCode(error) === 'ENOENT') continue;
      visitor.unreadable(next.rel, error);
      continue;
    }
    if (++sinceYield >= CHUNK) {
      sinceYield = 0;
      await yieldToLoop();
    }
    for (const dirent of entries) {
      const rel = next.rel === '' ? dirent.name : `${next.rel}/${dirent.name}`;
      const abs = join(next.abs, dirent.name);
      let kind = kindOf(dirent);
      if (kind !== 'file' && !lstatting.every) {
        visitor.entry(rel, kind, -1);
        if (kind === 'directory') stack.push({ abs, rel });
        continue;
      }
      let stats: S;
      try {
        stats = lstatting.lstat(abs);
      } catch (error) {
        if (errnoCode(error) !== 'ENOENT') visitor.unreadable(rel, error);
        continue;
      }
      if (lstatting.every) kind = kindOf(stats);
      visitor.entry(rel, kind, kind === 'file' ? Number(stats.size) : -1, stats);
      if (kind === 'directory') stack.push({ abs, rel });
      if (++sinceYield >= CHUNK) {
        sinceYield = 0;
        await yieldToLoop();
      }
    }
  }
}
