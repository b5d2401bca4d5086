import type { HostReads } from '../host/host.js';
import type { BoundResource } from './resource-kind.js';
import type { JournalEntry } from './journal.js';
import type { Change, Plan } from './types.js';

export interface PlanHeader {
  machine: string;
  platform: string;
  configFile: string;
  root?: string;
  users: string[];
  homes: Record<string, string>;
}

/**
 * Observes every resource and plans it. A move that a crash or a kill left unfinished comes
 * first, as a "resume" change, in place of its resource's own change: that resource is planned
 * again once the move is finished (apply does this by itself).
 */
export async function buildPlan(
  host: HostReads,
  header: PlanHeader,
  resources: readonly BoundResource[],
  pending: readonly JournalEntry[],
): Promise<Plan> {
  const users = new Set(header.users);
  const resumes = pending.filter((e) => users.has(e.user)).map(resumeChange);
  const resumed = new Set(resumes.map((c) => c.id));
  const changes: Change[] = [...resumes];
  for (const r of resources) {
    if (resumed.has(r.id)) continue;
    changes.push(await r.observeAndPlan(host));
  }
  return { formatVersion: 1, ...header, changes };
}

/** Pure: the change that finishes an interrupted move recorded in the journal. */
export function resumeChange(e: JournalEntry): Change {
  const redo = e.phase === 'copying';
  return {
    id: e.changeId,
    kind: 'resume',
    user: e.user,
    title: e.title,
    path: e.path,
    action: 'resume',
    before: `a move interrupted ${redo ? 'while copying' : `after the verified copy (phase: ${e.phase})`}`,
    after: `link to ${e.step.link.target}`,
    reason: redo
      ? 'the partial copy on the drive is discarded and the copy starts over; the original was never touched'
      : 'the copy on the drive was verified, so the move is finished from where it stopped',
    moves: redo ? e.step.volume : { files: 0, bytes: 0 },
    blockers: [],
    warnings: [{ code: 'PLANNED_AFTER_RESUME', message: 'this resource is planned again once the interrupted move is finished' }],
    steps: [e.step],
  };
}
