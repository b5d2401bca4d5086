import { buildPlan, type PlanHeader } from '../engine/plan/build-plan.js';
import { readJournals } from '../engine/journal/journal.js';
import type { BoundResource } from '../engine/kind.js';
import type { Plan } from '../engine/types.js';
import type { HostReads } from '../host/host.js';
import { STEP_RUNNERS } from '../kinds/registry.js';
import type { Session } from './session.js';

/** A plan, with the session it was made in and the resources its changes came from. */
export interface PlannedRun {
  run: Session;
  plan: Plan;
  /** Observed and planned again right before each change, to catch a stale plan. */
  resources: readonly BoundResource[];
}

/** What a plan or a status report says about where it comes from. */
export function runHeader(run: Session): Omit<PlanHeader, 'intent'> {
  return {
    machine: run.ctx.name,
    platform: run.ctx.platform,
    configFile: run.loaded.file,
    ...(run.ctx.paths.root === undefined ? {} : { root: run.ctx.paths.root }),
    users: run.users.map((u) => u.desired.name),
    homes: Object.fromEntries(run.users.map((u) => [u.desired.name, u.desired.home.machine])),
  };
}

/**
 * Observes and plans the session's resources (or those `select` picks) on `reads`: given the
 * read-only host, planning cannot change anything, by construction.
 */
export async function computePlan(
  run: Session,
  reads: HostReads,
  how: { select?: (all: BoundResource[]) => BoundResource[]; intent?: Plan['intent'] } = {},
): Promise<PlannedRun> {
  const resources = how.select ? how.select(run.resources) : run.resources;
  const scan = await readJournals(reads, run.journalDirs.read);
  const plan = await buildPlan(
    reads,
    { ...runHeader(run), ...(how.intent === undefined ? {} : { intent: how.intent }) },
    resources,
    scan,
    run.journalDirs,
    STEP_RUNNERS,
  );
  return { run, plan, resources };
}
