import type { Session } from '../app/session.js';
import { lockPath } from '../engine/lock/apply-lock.js';
import { folderOnDrive, isRestoreEntry, readJournals, type JournalEntry } from '../engine/journal/journal.js';
import { damagedFix, damagedLeftBehind, findJournalProblems, orphanFix, orphanReason, type JournalFindings } from '../engine/journal/journal-findings.js';
import { runningApply } from '../engine/lock/running-apply.js';
import type { HostReads } from '../host/host.js';
import type { DoctorCheck, InterruptedFinding } from './types.js';

/**
 * Moves (and restores) cut off before they finished, from the journal plan reads, for the
 * users looked at. Each is finished by running the same command again; nothing was lost.
 */
export async function checkJournal(run: Session, reads: HostReads): Promise<DoctorCheck> {
  const users = new Set(run.users.map((u) => u.desired.name));
  const scan = await readJournals(reads, run.journalDirs.read);
  const problems = await findJournalProblems(reads, scan, run.resources, [...users]);
  const entries = scan.entries.filter((e) => users.has(e.user));
  if (problems.damaged.length + problems.orphans.length > 0) return journalProblemCheck(problems, entries);
  const title = 'Interrupted moves';
  if (entries.length === 0) return { id: 'journal', title, status: 'ok', found: 'none: no move or restore was cut off', details: [] };
  // As the plan checks it: the folder on the drive that holds the move must be there.
  const away: string[] = [];
  for (const e of entries) if ((await reads.lstat(folderOnDrive(e))) === undefined) away.push(e.id);
  const interrupted: InterruptedFinding[] = entries.map((e) => ({
    id: e.id,
    user: e.user,
    title: e.title,
    path: e.path,
    operation: isRestoreEntry(e) ? 'restore' : 'relocate',
    phase: e.phase,
    startedAt: e.startedAt,
  }));
  const restores = interrupted.some((i) => i.operation === 'restore');
  const moves = interrupted.some((i) => i.operation === 'relocate');
  const command = moves && restores ? 'provision apply for the moves and provision restore for the restores' : restores ? 'provision restore' : 'provision apply';
  return {
    id: 'journal',
    title,
    status: 'problem',
    code: 'INTERRUPTED',
    found: entries.length === 1 ? `a ${restores ? 'restore' : 'move'} was cut off before it finished` : `${entries.length} moves and restores were cut off before they finished`,
    details: interrupted.map(
      (i) =>
        `${i.user}: ${i.title} (${i.operation === 'restore' ? 'restore' : 'move'} at phase ${i.phase}, started ${i.startedAt}): ${i.path}` +
        (away.includes(i.id) ? '; the drive holding it is not connected' : ''),
    ),
    fix: `with the drive connected, run ${command}: each is finished from where it stopped, and no data was lost`,
    interrupted,
  };
}

/**
 * A damaged journal entry, or an original put aside that no entry accounts for: a problem
 * (plan blocks on it), each named with its path and what to do.
 */
function journalProblemCheck(f: JournalFindings, interrupted: readonly JournalEntry[]): DoctorCheck {
  const details = [
    ...interrupted.map((e) => `${e.user}: ${e.title} (${isRestoreEntry(e) ? 'restore' : 'move'} at phase ${e.phase}, started ${e.startedAt}): ${e.path}; finished by provision ${isRestoreEntry(e) ? 'restore' : 'apply'}`),
    ...f.damaged.map((d) => `${d.entry.file}: ${d.entry.reason}; ${damagedLeftBehind(d)}. To do: ${damagedFix(d)}`),
    ...f.orphans.map((o) => `${orphanReason(o)}. To do: ${orphanFix(o)}`),
  ];
  const damaged = f.damaged.length > 0;
  return {
    id: 'journal',
    title: 'Interrupted moves',
    status: 'problem',
    code: damaged ? 'JOURNAL_DAMAGED' : 'LEFTOVER_ASIDE',
    found: damaged
      ? `${f.damaged.length === 1 ? 'a journal entry of an unfinished move is' : `${f.damaged.length} journal entries of unfinished moves are`} damaged`
      : `${f.orphans.length === 1 ? 'a folder' : `${f.orphans.length} folders`} put aside by an unfinished move, with no journal entry`,
    details,
    fix: damaged
      ? 'check what each one left (named above), then run provision journal set-aside ID: it keeps the file and deletes no data'
      : 'check each folder named above against the declared folder on the drive; provision never deletes it',
  };
}

/** Whether an apply or restore holds the machine's lock now (read without taking it). */
export async function checkApplyLock(run: Session, reads: HostReads): Promise<DoctorCheck> {
  const file = lockPath(run.ctx.platform, run.ctx.paths.toHost);
  const busy = await runningApply(reads, file);
  const title = 'Apply running';
  if (busy === undefined) return { id: 'apply-lock', title, status: 'ok', found: 'no apply or restore is running', details: [] };
  return {
    id: 'apply-lock',
    title,
    status: 'warning',
    code: 'APPLY_RUNNING',
    found: `${busy} is running now (lock ${file}); a move it is making shows as interrupted until it ends`,
    details: [],
    fix: 'let it finish before applying again; a second apply would stop and say who holds the lock',
  };
}
