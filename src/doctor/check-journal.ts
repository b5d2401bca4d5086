import type { RunContext } from '../cli/run-context.js';
import { lockPath } from '../engine/apply-lock.js';
import { folderOnDrive, isRestoreEntry, readJournals } from '../engine/journal.js';
import { runningApply } from '../engine/running-apply.js';
import type { HostReads } from '../host/host.js';
import type { DoctorCheck, InterruptedFinding } from './types.js';

/**
 * Moves (and restores) cut off before they finished, from the journal plan reads, for the
 * users looked at. Each is finished by running the same command again; nothing was lost.
 */
export async function checkJournal(run: RunContext, reads: HostReads): Promise<DoctorCheck> {
  const users = new Set(run.users.map((u) => u.desired.name));
  const entries = (await readJournals(reads, run.journalDirs.read)).filter((e) => users.has(e.user));
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

/** Whether an apply or restore holds the machine's lock now (read without taking it). */
export async function checkApplyLock(run: RunContext, reads: HostReads): Promise<DoctorCheck> {
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
