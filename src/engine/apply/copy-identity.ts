import type { HostReads, TreeFingerprint } from '../../host/host.js';
import { fingerprintOfRecords } from '../../host/fs/tree-fingerprint.js';

/**
 * Knowing a verified copy again at its final place without comparing it with the original a
 * second time. While the copy is verified, each of its entries is recorded from the very lstat
 * its size and metadata were compared by (inode, kind, size, times: CompareOptions.onCopyEntry);
 * once they have their final names, the same records are read there (a fingerprint,
 * tree-fingerprint.ts). Equal records mean the very entries that were verified are there, and
 * none changed since it was judged: the change time, which every write, chmod, chown, xattr or
 * link count change sets and no unprivileged call sets back, vouches for each one. The
 * original's side is its own fingerprint, taken before the copy began and again last
 * (source-quiet.ts).
 *
 * Any difference leaves the proof to the full comparison. Where an entry kept its inode but its
 * record changed (rewritten in place, perhaps at the same size with its time put back), that
 * comparison also reads the entry's bytes: a same-size rewrite is exactly what sizes and times
 * cannot show. A drive that numbers entries anew after a rename (some FAT and exFAT drivers)
 * keeps no inode, so it gets the comparison it always had.
 */

/**
 * The copy as its verification judged it, from the records the comparison gave; undefined when
 * it gave none for some moved entry (a host that does not read the disk, such as a dry run's).
 */
export function verifiedIdentity(records: ReadonlyMap<string, string>, entries: readonly string[]): TreeFingerprint | undefined {
  if (!entries.every((e) => records.has(e))) return undefined;
  return fingerprintOfRecords(records);
}

/** The copy's entries below root, as they are now, recorded for `sameAsVerified`. */
export function copyIdentity(host: HostReads, root: string, entries?: readonly string[]): Promise<TreeFingerprint> {
  return host.fingerprint(root, { keepEntries: true, renamedTop: true, ...(entries === undefined ? {} : { onlyTop: entries }) });
}

export interface CopyAsVerified {
  /** Every entry is the one verified, unchanged. */
  same: boolean;
  /** Relative paths of entries that kept their inode but whose record changed: their bytes must be compared. */
  rewritten: ReadonlySet<string>;
}

/** Whether the copy now (at its final names) is what its verification judged (verifiedIdentity). */
export function sameAsVerified(verified: TreeFingerprint, now: TreeFingerprint): CopyAsVerified {
  if (verified.digest === now.digest && verified.entries === now.entries) return { same: true, rewritten: new Set() };
  const rewritten = new Set<string>();
  const before = verified.records;
  const after = now.records;
  if (before === undefined || after === undefined) return { same: false, rewritten };
  for (const [path, record] of after) {
    const was = before.get(path);
    if (was === undefined || was === record) continue;
    if (inodeOf(was) === inodeOf(record) && record.startsWith('file ')) rewritten.add(path);
  }
  return { same: false, rewritten };
}

/** The inode number, the last field of a record (tree-fingerprint.ts). */
function inodeOf(record: string): string {
  return record.slice(record.lastIndexOf(' ') + 1);
}
