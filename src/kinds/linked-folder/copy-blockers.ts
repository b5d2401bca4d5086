import type { Blocker, Warning } from '../../engine/types.js';
import { formatBytes, plural } from '../../text/units.js';
import { nameRefusedBy, refusesLinks } from '../../host/fs/name-limits.js';
import type { LinkedFolderDesired, PathState } from './types.js';
import type { DriveObserved } from '../../drives/types.js';
import type { TreeSummaryLite } from './tree-summary-lite.js';

const FAT32_MAX_FILE = 4 * 1024 ** 3 - 1;
const FAT_TYPES = new Set(['msdos', 'vfat', 'fat32', 'fat']);
/** Drives that hold no owners, modes, xattrs, ACLs or hard links (FAT and exFAT). */
const NO_UNIX_METADATA = new Set([...FAT_TYPES, 'exfat']);
/** The allocation unit assumed when the drive does not say (statfs gives it on every platform here). */
const DEFAULT_BLOCK = 4096;

/** A folder to move and what a walk of it found. */
export interface SourceToCopy {
  /** Its path on the machine, for messages. */
  from: string;
  summary: TreeSummaryLite | undefined;
}

/** The walked summary of what is at a link path: the folder itself, or the folder a link points at. */
export function sourceSummary(s: PathState): TreeSummaryLite | undefined {
  return s.kind === 'directory' ? s.summary : s.kind === 'symlink' && s.at.kind === 'directory' ? s.at.summary : undefined;
}

/**
 * Everything the copy onto this drive would meet too late, found by the plan instead: too
 * little room, a file too large for FAT32, an entry a copy cannot carry (fifo, socket, device),
 * a name the drive refuses, a link on a drive without links.
 */
export function copyBlockers(d: LinkedFolderDesired, drive: Extract<DriveObserved, { kind: 'mounted' }>, sources: readonly SourceToCopy[]): Blocker[] {
  if (sources.length === 0) return [];
  const blockers: Blocker[] = [];
  const sum = (f: (s: TreeSummaryLite) => number): number => sources.reduce((n, s) => n + (s.summary === undefined ? 0 : f(s.summary)), 0);
  const files = sum((s) => s.files);
  const folders = sum((s) => s.directories ?? 0);
  // Without hard links on the drive, every name of a file becomes its own copy.
  const noLinks = NO_UNIX_METADATA.has(drive.fsType?.toLowerCase() ?? '');
  const bytes = sum((s) => s.bytes + (noLinks ? (s.extraNames?.bytes ?? 0) : 0));

  // A safe upper bound: each file wastes less than one allocation unit at its end, and each
  // folder takes at least one. On a 128 KiB-cluster exFAT drive a 1-byte file takes 128 KiB.
  const unit = Math.max(drive.blockSize ?? DEFAULT_BLOCK, DEFAULT_BLOCK);
  const needed = bytes + (files + folders) * unit;
  // fusefat reports a size of 0 (it answers statfs with zeros): then free space is unknown,
  // and a full drive stops the copy cleanly (ENOSPC) with the original untouched.
  const sizeUnknown = drive.totalBytes === 0;
  if (!sizeUnknown && needed > drive.freeBytes) {
    const clusters = unit > DEFAULT_BLOCK ? `, as each file and folder takes at least ${formatBytes(unit)} there` : '';
    blockers.push({
      code: 'NOT_ENOUGH_SPACE',
      reason: `moving ${formatBytes(bytes)} in ${plural(files, 'file')} needs about ${formatBytes(needed)} on drive ${d.drive.name}${clusters}, which has ${formatBytes(drive.freeBytes)} free`,
      fix: `free at least ${formatBytes(needed - drive.freeBytes)} on ${d.drive.name}, or declare a bigger drive${unit > DEFAULT_BLOCK ? ' (or one formatted with a smaller allocation unit)' : ''}`,
    });
  }

  const largest = Math.max(0, ...sources.map((s) => s.summary?.largestFile ?? 0));
  if (FAT_TYPES.has(drive.fsType?.toLowerCase() ?? '') && largest > FAT32_MAX_FILE) {
    blockers.push({
      code: 'FAT32_FILE_TOO_LARGE',
      reason: `drive ${d.drive.name} is FAT32, which cannot hold files over 4 GiB, and the largest file to move is ${formatBytes(largest)}`,
      fix: 'reformat the drive as APFS or Mac OS Extended (or exFAT to share it with Windows), or use another drive',
    });
  }

  for (const src of sources) {
    const outside = src.summary?.linkedOutside;
    if (outside !== undefined) blockers.push(hardLinksOutside(src.from, outside));
    const first = src.summary?.uncopyable?.[0];
    if (first !== undefined) {
      blockers.push({
        code: 'SOURCE_UNCOPYABLE',
        reason: `${src.from}/${first.path} is ${first.what}, which a copy cannot carry${more(src.summary?.uncopyable?.length ?? 0)}`,
        fix: `a program left it there: quit the program that uses it, move it out of ${src.from} (or delete it if it is not needed), then plan again. Nothing was touched.`,
      });
    }
    const refused = (src.summary?.awkwardNames ?? []).map((n) => ({ n, why: nameRefusedBy(drive.fsType, n) })).filter((x) => x.why !== undefined);
    const name = refused[0];
    if (name !== undefined) {
      blockers.push({
        code: 'NAME_NOT_ALLOWED_ON_DRIVE',
        reason: `${src.from}/${name.n.path} cannot be written to drive ${d.drive.name}: ${name.why ?? ''}${more(refused.length)}`,
        fix: `rename it (and any others like it) to a shorter name without those characters, or use a drive formatted APFS or Mac OS Extended; then plan again. Nothing was touched.`,
      });
    }
    const link = src.summary?.firstLink;
    if (link !== undefined && refusesLinks(drive.fsType)) {
      blockers.push({
        code: 'LINKS_NOT_ALLOWED_ON_DRIVE',
        reason: `${src.from}/${link} is a link, and drive ${d.drive.name} is ${drive.fsType ?? ''}, which cannot hold links`,
        fix: 'use a drive formatted APFS or Mac OS Extended, or replace the link by what it points at; then plan again. Nothing was touched.',
      });
    }
  }
  return blockers;
}

/**
 * A folder whose files are also reachable by names outside it (hard links): moving it copies
 * them to the drive while their other names keep every byte on this disk. The numbers stay on
 * the summary (linkedOutside) so a kind can word this for its own case (a photo library
 * migrated from iPhoto shares its originals with the old library this way).
 */
export function hardLinksOutside(from: string, outside: { files: number; bytes: number; first: string }): Blocker {
  return {
    code: 'HARD_LINKS_OUTSIDE',
    reason: `${from} shares ${plural(outside.files, 'file')} (${formatBytes(outside.bytes)}) by hard links with something outside it (${from}/${outside.first}, for one): moving it would copy ${plural(outside.files, 'file')} (${formatBytes(outside.bytes)}) that stay on this Mac through their other names: it frees almost nothing and doubles them on the drive`,
    fix: `find the other names (ls -i shows the shared inode; find / -samefile "${from}/${outside.first}"), and move the folder that holds them together with this one (declare their common parent), or delete the other names if they are not needed; then plan again. Nothing was touched.`,
  };
}

/**
 * What the drive cannot hold, said before anything moves: a FAT32 or exFAT drive keeps names,
 * bytes and modification times only. The copy goes on without the rest (as it always did).
 */
export function copyWarnings(d: LinkedFolderDesired, drive: Extract<DriveObserved, { kind: 'mounted' }>, sources: readonly SourceToCopy[]): Warning[] {
  const fs = drive.fsType?.toLowerCase() ?? '';
  if (sources.length === 0 || !NO_UNIX_METADATA.has(fs)) return [];
  const extra = sources.reduce((n, s) => ({ files: n.files + (s.summary?.extraNames?.files ?? 0), bytes: n.bytes + (s.summary?.extraNames?.bytes ?? 0) }), { files: 0, bytes: 0 });
  const links =
    extra.files === 0
      ? ''
      : `; ${plural(extra.files, 'file')} that share${extra.files === 1 ? 's' : ''} its data with another by a hard link become${extra.files === 1 ? 's' : ''} separate copies (${formatBytes(extra.bytes)} more on the drive, counted in the space check)`;
  return [
    {
      code: 'METADATA_NOT_KEPT',
      message: `drive ${d.drive.name} is ${fs === 'exfat' ? 'exFAT' : 'FAT32'}, which cannot hold owners, permissions, extended attributes (Finder tags, resource forks) or ACLs: the copy keeps names, bytes and modification times only${links}. Use a drive formatted APFS or Mac OS Extended to keep everything`,
    },
  ];
}

function more(n: number): string {
  return n > 1 ? ` (and ${plural(n - 1, 'other')} found)` : '';
}
