import { isProvisionError } from '../../errors.js';
import { DryRunHost } from '../../host/dry-run-host.js';
import type { HostReads } from '../../host/host.js';
import type { BoundResource, StepRunners } from '../kind.js';
import { Journal, isRestoreEntry, type JournalDirs, type JournalEntry, type JournalScan } from '../journal/journal.js';
import { journalProblemChanges } from '../journal/journal-changes.js';
import { findJournalProblems } from '../journal/journal-findings.js';
import { checkResume } from './resume-check.js';
import { FORMAT_VERSION, type Change, type Plan } from '../types.js';

/** Everything a plan says besides its changes. */
export type PlanHeader = Omit<Plan, 'formatVersion' | 'changes'>;

/**
 * Observes every resource and plans it. Resources are planned one after another on a dry-run
 * host that carries out each planned change in simulation, so a resource is planned against
 * the state the changes before it leave behind (two users' folders share a parent on the drive;
 * an interrupted move is finished before its resource is looked at). A change whose simulation
 * fails is blocked: whatever would fail there is found before the first real write.
 */
export async function buildPlan(
  reads: HostReads,
  header: PlanHeader,
  resources: readonly BoundResource[],
  scan: JournalScan,
  journalDirs: JournalDirs,
  runners: StepRunners,
): Promise<Plan> {
  const pending = scan.entries;
  const sim = new DryRunHost(reads);
  const simulation = {
    host: sim,
    runners,
    observer: sim,
    journal: new Journal(sim, journalDirs),
    pending: new Map(pending.map((e) => [e.id, e])),
  };
  const simulate = async (change: Change): Promise<Change> => {
    if (change.blockers.length > 0 || change.steps.length === 0) return change;
    try {
      // The apply code is loaded for the first change to simulate: a converged plan has none.
      const { applyChange } = await import('../apply/apply-change.js');
      await applyChange(change, undefined, simulation);
      return change;
    } catch (e) {
      const why = isProvisionError(e) || e instanceof Error ? e.message : String(e);
      return {
        ...change,
        action: 'blocked',
        steps: [],
        blockers: [
          ...change.blockers,
          {
            code: 'SIMULATION_FAILED',
            reason: `carrying this change out in a dry run failed: ${why}`,
            fix: 'look at the paths named; another resource of this plan may use the same place. Nothing was changed',
          },
        ],
      };
    }
  };

  const users = new Set(header.users);
  // A damaged entry, or an original put aside that no entry accounts for, blocks the plan.
  const changes: Change[] = journalProblemChanges(await findJournalProblems(reads, scan, resources, header.users));
  for (const entry of pending.filter((e) => users.has(e.user))) {
    // The drive must be back, be the one the move began on, and hold what the journal says.
    const verdict = await checkResume(reads, entry);
    const change = resumeChange(entry, verdict.kind === 'redo' ? verdict.why : undefined);
    if (verdict.kind === 'blocked') {
      changes.push({ ...change, action: 'blocked', steps: [], blockers: [verdict.blocker] });
      continue;
    }
    changes.push(await simulate(change));
  }
  for (const r of resources) {
    const change = await r.observeAndPlan(sim);
    if (change !== undefined) changes.push(await simulate(change));
  }
  return { formatVersion: FORMAT_VERSION, ...header, changes };
}

/** Pure: the change that finishes an interrupted move (or restore) recorded in the journal. */
export function resumeChange(e: JournalEntry, copyGone?: string): Change {
  const redo = e.phase === 'copying' || copyGone !== undefined;
  const restore = isRestoreEntry(e);
  const what = restore ? 'restore' : 'move';
  return {
    id: `resume:${e.id}`,
    kind: 'resume',
    user: e.user,
    title: e.title,
    path: e.path,
    action: 'resume',
    before: `a ${what} interrupted ${redo ? 'while copying' : `after the verified copy (phase: ${e.phase})`}`,
    after: restore ? 'a folder in place of the link, the data back from the drive' : `link to ${e.step.link.target}`,
    reason: copyGone !== undefined
      ? `${copyGone}: the original was never touched, so the copy starts over`
      : redo
      ? restore
        ? 'the partial copy beside the link is discarded and the copy starts over; the link and the drive were never touched'
        : 'the partial copy on the drive is discarded and the copy starts over; the original was never touched'
      : `the copy ${restore ? 'beside the link' : 'on the drive'} was verified, so the ${what} is finished from where it stopped`,
    moves: redo ? e.step.volume : { files: 0, bytes: 0 },
    blockers: [],
    warnings: [],
    steps: [e.step],
  };
}
