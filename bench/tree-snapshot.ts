/**
 * What a moved tree must keep: every entry's kind, size, mode, owner and modification time, folders
 * included (Node's fs.cp with preserveTimestamps keeps no folder times; cp -a does). Times are
 * compared to within 2 microseconds: Node passes times to utimes as double seconds, which near
 * 2024 resolve only about a quarter of a microsecond, and libuv keeps whole microseconds
 * (copy-tree.ts says sub-microsecond parts are not kept). A folder that lost its time is off by
 * the time of the run, far beyond that.
 */

import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface EntryFacts {
  kind: 'file' | 'folder' | 'link' | 'other';
  size: bigint;
  mode: bigint;
  mtimeNs: bigint;
  owner: string;
}

export type Snapshot = Map<string, EntryFacts>;

const TIME_TOLERANCE_NS = 2000n;

/** Every entry under `root` (the root itself as "."), by path relative to it; links not followed. */
export function snapshotTree(root: string): Snapshot {
  const snapshot: Snapshot = new Map();
  const visit = (rel: string): void => {
    const abs = rel === '.' ? root : join(root, rel);
    const st = lstatSync(abs, { bigint: true });
    const kind = st.isDirectory() ? 'folder' : st.isFile() ? 'file' : st.isSymbolicLink() ? 'link' : 'other';
    snapshot.set(rel, { kind, size: kind === 'folder' ? 0n : st.size, mode: st.mode, mtimeNs: st.mtimeNs, owner: `${st.uid}:${st.gid}` });
    if (kind === 'folder') for (const name of readdirSync(abs)) visit(rel === '.' ? name : join(rel, name));
  };
  visit('.');
  return snapshot;
}

export interface TreeDifferences {
  /** Counts by what differs, e.g. { 'folder mtime': 257 }. */
  counts: Record<string, number>;
  /** The first few differences, one line each. */
  examples: string[];
}

/**
 * How `after` differs from `before`; empty counts mean identical. `skipRoot` leaves out the
 * root folder's own facts, for a move whose destination folder is made by the mover.
 */
export function compareTrees(before: Snapshot, after: Snapshot, options: { skipRoot?: boolean } = {}): TreeDifferences {
  const counts: Record<string, number> = {};
  const examples: string[] = [];
  const note = (what: string, detail: string): void => {
    counts[what] = (counts[what] ?? 0) + 1;
    if (examples.length < 5) examples.push(`${what}: ${detail}`);
  };
  for (const [path, was] of before) {
    if (path === '.' && options.skipRoot === true) continue;
    const now = after.get(path);
    if (now === undefined) {
      note('missing', path);
      continue;
    }
    if (now.kind !== was.kind) note('kind', `${path} was a ${was.kind}, is a ${now.kind}`);
    else if (now.size !== was.size) note('size', `${path} ${was.size} -> ${now.size} bytes`);
    if (now.mode !== was.mode) note(`${was.kind} mode`, `${path} ${octal(was.mode)} -> ${octal(now.mode)}`);
    if (now.owner !== was.owner) note(`${was.kind} owner`, `${path} ${was.owner} -> ${now.owner}`);
    const drift = now.mtimeNs - was.mtimeNs;
    if (drift > TIME_TOLERANCE_NS || drift < -TIME_TOLERANCE_NS) {
      note(`${was.kind} mtime`, `${path} off by ${describeDrift(drift)}`);
    }
  }
  for (const path of after.keys()) if (!before.has(path)) note('extra', path);
  return { counts, examples };
}

export function describeDifferences(d: TreeDifferences): string {
  const parts = Object.entries(d.counts).map(([what, n]) => `${what} x${n}`);
  return parts.length === 0 ? 'identical' : parts.join(', ');
}

function octal(mode: bigint): string {
  return (mode & 0o7777n).toString(8).padStart(4, '0');
}

function describeDrift(ns: bigint): string {
  const abs = ns < 0n ? -ns : ns;
  if (abs < 1_000_000n) return `${abs / 1000n} us`;
  if (abs < 1_000_000_000n) return `${abs / 1_000_000n} ms`;
  return `${abs / 1_000_000_000n} s`;
}
