import path from 'node:path';
import type { HostReads } from '../../host/host.js';
import { compareIdentity, describeIdentity, isKnown, readIdentity } from '../../drives/identity.js';
import { isMountPoint } from '../../drives/is-mount-point.js';
import { folderOnDrive, isRestoreEntry, type JournalEntry } from '../journal/journal.js';
import { asideName, partialName } from '../journal/temp-names.js';
import type { Blocker } from '../types.js';

/** What the disk says of an interrupted move, before the plan offers to finish it. */
export type ResumeVerdict = { kind: 'finish' } | { kind: 'redo'; why: string } | { kind: 'blocked'; blocker: Blocker };

/**
 * The plan never trusts the journal over the disk: the drive must be back, be the drive the move
 * began on, and hold the verified copy the journal speaks of. A copy gone while the original
 * was never touched (phases copied and promoted) is simply made again.
 */
export async function checkResume(reads: HostReads, e: JournalEntry): Promise<ResumeVerdict> {
  const restore = isRestoreEntry(e);
  const what = restore ? `a restore from ${path.basename(e.step.source)}` : `a move to ${e.step.link.target}`;
  const verb = restore ? 'restore' : 'apply';
  if ((await reads.lstat(folderOnDrive(e))) === undefined || (e.drive !== undefined && !(await isMountPoint(reads, e.drive.mount)))) {
    return {
      kind: 'blocked',
      blocker: {
        code: 'DRIVE_NOT_MOUNTED',
        reason: `${what} was interrupted, and the drive holding it is not there`,
        fix: `connect the drive and run ${verb} again: it is finished from where it stopped (no data was lost)`,
      },
    };
  }
  if (e.drive !== undefined && isKnown(e.drive.identity)) {
    const live = await readIdentity(reads, e.drive.mount);
    if (compareIdentity(e.drive.identity, live) !== 'same') {
      return {
        kind: 'blocked',
        blocker: {
          code: 'DRIVE_MISMATCH',
          reason: `${what} was interrupted, and the volume mounted at ${e.drive.mount} is not the drive it began on: it has ${describeIdentity(live)}, the move's drive has ${describeIdentity(e.drive.identity)}`,
          fix: `eject it and connect the drive the ${restore ? 'restore' : 'move'} began on (drive ${e.drive.name}), then run ${verb} again. Nothing was touched`,
        },
      };
    }
  }
  if (restore) return { kind: 'finish' };
  const s = e.step;
  const partial = path.join(s.dest, partialName(s.id));
  if (e.phase === 'copied' || e.phase === 'promoted') {
    for (const entry of s.entries) {
      const there = (await reads.lstat(path.join(partial, entry))) ?? (await reads.lstat(path.join(s.dest, entry)));
      if (there === undefined) return { kind: 'redo', why: `the verified copy of ${entry} is no longer on the drive` };
    }
  }
  if (e.phase === 'linked') {
    const aside = path.join(path.dirname(s.source), asideName(path.basename(s.source), s.id));
    for (const entry of s.entries) {
      if ((await reads.lstat(path.join(s.dest, entry))) === undefined && (await reads.lstat(path.join(aside, entry))) !== undefined) {
        return {
          kind: 'blocked',
          blocker: {
            code: 'COPY_MISSING',
            reason: `${what} was interrupted after the original was put aside, and ${path.join(s.dest, entry)} is not on the drive: the original is kept, whole, at ${aside}`,
            fix: `connect the drive the move went to and run apply again; if its copy was deleted, remove the link ${s.link.path} and rename ${aside} back to ${s.source}`,
          },
        };
      }
    }
  }
  return { kind: 'finish' };
}
