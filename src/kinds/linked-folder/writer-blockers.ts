/**
 * "Never move what is being written", at plan time: the folders a move would copy are looked at
 * with lsof (machine/open-writers.ts) when a draft plan moves something (ResourceKind.refine,
 * so a converged plan starts no process), and a process writing into one of them blocks the
 * move, naming the file and the process. lsof missing or failing blocks too, as does a run
 * that cannot see other users' processes (not root); run as root, processes that even root
 * cannot look into (a container) are a warning.
 */

import { MOBILESYNC_BACKUP_WRITERS, WRITERS_RUN_AS_THEIR_USER } from '../../assumptions.js';
import type { Blocker, Warning } from '../../engine/types.js';
import type { HostReads } from '../../host/host.js';
import type { MachineFacts } from '../../desired/machine-context.js';
import { findOpenWriters, type OpenWriter, type OpenWritersResult, type ProcessRef } from '../../machine/open-writers.js';
import type { LinkedFolderDesired, LinkedFolderObserved } from './types.js';

/**
 * The folders (host paths) whose contents a plan made from `o` would move: each link path that
 * is a folder with entries, and the folder an old link points at when it is not the declared
 * place and holds entries (as planLinkedFolder's sources).
 */
export function movedFolders(d: LinkedFolderDesired, o: LinkedFolderObserved): string[] {
  const roots: string[] = [];
  for (const link of o.links) {
    const s = link.state;
    if (s.kind === 'directory' && s.entries.length > 0) roots.push(link.path.host);
    else if (s.kind === 'symlink' && !s.pointsAtTarget && s.at.kind === 'directory' && s.at.entries.length > 0) {
      if (!d.links.some((l) => l.host === s.resolved.host)) roots.push(s.resolved.host);
    }
  }
  return roots;
}

/**
 * For refine: who writes into the folders a move would copy; undefined when nothing would be
 * copied (a link to make or re-point only), so no lsof is started for that.
 */
export async function observeWriters(
  host: HostReads,
  ctx: MachineFacts,
  d: LinkedFolderDesired,
  o: LinkedFolderObserved,
): Promise<OpenWritersResult | undefined> {
  const roots = movedFolders(d, o);
  if (roots.length === 0) return undefined;
  return findOpenWriters(host, roots, { background: d.backgroundWriters ?? [], asRoot: ctx.runningAsRoot });
}

/** At most this many files and processes are named in one message; the rest are counted. */
const NAMED = 3;

function who(p: ProcessRef): string {
  return `${p.command} (pid ${p.pid}${p.user === undefined ? '' : `, user ${p.user}`})`;
}

function listed<T>(items: readonly T[], show: (t: T) => string): string {
  const shown = items.slice(0, NAMED).map(show);
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join('; ')}; and ${more} more` : shown.join('; ');
}

/** The apps that are backing up a device, in words, from the writers' process names (iOS backups only). */
function backupApps(d: LinkedFolderDesired, writers: readonly OpenWriter[]): string[] {
  if (d.kind !== 'mobilesync') return [];
  return [...new Set(writers.map((w) => MOBILESYNC_BACKUP_WRITERS[w.command]).filter((s): s is string => s !== undefined))];
}

/**
 * The blockers for a move of `d`'s folders given what refine found: `writers` is
 * LinkedFolderObserved.writers. undefined with folders to move means refine has not looked yet
 * (the draft plan): that is a blocker too, which makes the engine refine and plan again.
 * Codes: SOURCE_IN_USE, LSOF_MISSING, LSOF_FAILED, WRITERS_UNSEEN, WRITERS_NOT_CHECKED.
 */
export function writerBlockers(d: LinkedFolderDesired, o: LinkedFolderObserved): Blocker[] {
  const found = o.writers;
  const again = 'run provision again';
  if (found === undefined) {
    if (movedFolders(d, o).length === 0) return [];
    return [{ code: 'WRITERS_NOT_CHECKED', reason: `whether an app is writing into ${d.user}'s ${d.wholeNoun} was not checked`, fix: again }];
  }
  if (!found.ok) return [{ code: found.code, reason: found.reason, fix: found.fix }];
  const blockers: Blocker[] = [];
  if (found.writers.length > 0) {
    const files = listed(found.writers, (w) => `${who(w)} has ${w.path} open for writing`);
    const apps = backupApps(d, found.writers);
    const commands = [...new Set(found.writers.map((w) => w.command))].join(' and ');
    blockers.push({
      code: 'SOURCE_IN_USE',
      reason: `${apps.length > 0 ? `${apps.join('; ')}: ` : ''}${files}. Moving the ${d.wholeNoun} now would lose what is written after the copy`,
      fix:
        apps.length > 0
          ? `wait for the backup to finish (the device's page in Finder shows its progress) or cancel it, then ${again}`
          : `quit ${commands} (or wait until it has finished writing), then ${again}`,
    });
  }
  if (found.unseen !== undefined && !found.unseen.asRoot && !WRITERS_RUN_AS_THEIR_USER) {
    blockers.push({
      code: 'WRITERS_UNSEEN',
      reason: `provision does not run as root, so lsof cannot see other accounts' processes: one of them could be writing into ${d.user}'s ${d.wholeNoun}`,
      fix: `run it as root: sudo provision apply --user ${d.user}`,
    });
  }
  return blockers;
}

/** What is worth saying but blocks nothing: the named background daemons, and processes even root cannot see. */
export function writerWarnings(d: LinkedFolderDesired, o: LinkedFolderObserved): Warning[] {
  const found = o.writers;
  if (found === undefined || !found.ok) return [];
  const warnings: Warning[] = [];
  if (found.background.length > 0) {
    warnings.push({
      code: 'BACKGROUND_WRITER',
      message: `${listed(found.background, (w) => `${who(w)} has ${w.path} open`)}: it always does; what it writes during the move is caught by comparing the ${d.wholeNoun} before the original is removed`,
    });
  }
  if (found.unseen !== undefined && !found.unseen.asRoot && WRITERS_RUN_AS_THEIR_USER) {
    // Not a blocker (decided against issue 14's wording): the apps that write a person's
    // backups and libraries (Finder's device backup agent, Photos, Music) run as that person, so
    // lsof sees them without root, and a scheduled run (a LaunchAgent, never root) must still be
    // able to move. Other accounts' processes cannot write into a private home folder but for
    // root's daemons; what any of them writes before the original goes aside is caught by the
    // fingerprint comparison.
    // The processes are not named: they change from run to run, and a saved plan must match.
    warnings.push({
      code: 'WRITERS_UNSEEN',
      message: `provision does not run as root, so lsof sees only this account's processes; a change by another account's process before the original goes aside is still caught by comparing the ${d.wholeNoun}. To check every process, run sudo provision apply --user ${d.user}`,
    });
  }
  if (found.unseen !== undefined && found.unseen.asRoot && found.unseen.processes.length > 0) {
    warnings.push({
      code: 'WRITERS_PARTLY_UNSEEN',
      // No count or names: they change from one run to the next, and a saved plan is compared
      // with the plan made again when it is applied.
      message: `lsof could not look into some processes even as root, as in a container; what they write during the move is caught by comparing the ${d.wholeNoun} before the original is removed`,
    });
  }
  return warnings;
}
