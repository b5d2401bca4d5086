import { driveStatuses, drivesUsed } from './drive-status.js';
import { readJournals } from '../engine/journal/journal.js';
import type { BoundResource } from '../engine/kind.js';
import { statusFromChange } from '../engine/status/status-from-plan.js';
import { journalProblemRows, withInterruptions } from '../engine/status/status-journal.js';
import { findJournalProblems } from '../engine/journal/journal-findings.js';
import { severityOf, type ResourceStatus, type StatusReport } from '../engine/status/status-types.js';
import { FORMAT_VERSION } from '../engine/types.js';
import { isProvisionError } from '../errors.js';
import type { HostReads } from '../host/host.js';
import { runHeader } from './plan.js';
import type { Session } from './session.js';

/** What is where now, for every resource of the session, its drives and what an unfinished move left: reads only. */
export async function computeStatus(run: Session, reads: HostReads): Promise<StatusReport> {
  const generatedAt = new Date();
  const statuses: ResourceStatus[] = [];
  for (const r of run.resources) {
    const s = await statusOf(r, reads);
    if (s !== undefined) statuses.push(s);
  }
  const users = run.users.map((u) => u.desired.name);
  const scan = await readJournals(reads, run.journalDirs.read);
  const problems = journalProblemRows(await findJournalProblems(reads, scan, run.resources, users));
  const drives = await driveStatuses(reads, run.desired, drivesUsed(run.resources));
  return {
    formatVersion: FORMAT_VERSION,
    ...runHeader(run),
    generatedAt,
    staleAfterDays: run.desired.watch.deviceBackupDays,
    locations: [...problems, ...withInterruptions(statuses, scan.entries, users)],
    drives,
  };
}

/**
 * A resource's own status, or one read off its plan. An expected error (a tool that cannot be
 * asked) makes an unreadable row rather than ending status: the other rows still matter.
 */
async function statusOf(r: BoundResource, reads: HostReads): Promise<ResourceStatus | undefined> {
  try {
    if (r.status !== undefined) return await r.status(reads);
    const change = await r.observeAndPlan(reads);
    return change === undefined ? undefined : statusFromChange(change);
  } catch (e) {
    if (!isProvisionError(e)) throw e;
    return {
      id: r.id,
      kind: r.kind,
      ...(r.user === undefined ? {} : { user: r.user }),
      title: r.kind,
      declared: r.id,
      paths: [],
      state: 'unreadable',
      words: `unreadable: ${e.message}`,
      severity: severityOf('unreadable'),
      ...(e.hint === undefined ? {} : { hint: e.hint }),
      links: [],
      data: [],
      sized: false,
      notes: [],
    };
  }
}
