import { restoreView, type BoundResource } from '../engine/kind.js';
import { ProvisionError } from '../errors.js';
import type { HostReads } from '../host/host.js';
import { computePlan, type PlannedRun } from './plan.js';
import type { Session } from './session.js';

/** Observes and plans the restore of every selected resource on a read-only host. */
export async function computeRestorePlan(run: Session, reads: HostReads, only: string | undefined): Promise<PlannedRun> {
  return computePlan(run, reads, { select: (all) => selectResources(all, only), intent: 'restore' });
}

/** The resources to restore, each seen through its kind's restore planner. */
function selectResources(all: readonly BoundResource[], only: string | undefined): BoundResource[] {
  const chosen = only === undefined ? all : all.filter((r) => r.kind === only);
  if (only !== undefined && chosen.length === 0) {
    const kinds = [...new Set(all.map((r) => r.kind))];
    throw new ProvisionError('USAGE', `--only ${only}: no resource of that kind is declared for these users on this machine`, {
      hint: kinds.length > 0 ? `kinds declared here: ${kinds.join(', ')}` : 'nothing is declared for these users on this machine',
    });
  }
  const views = chosen.map(restoreView).filter((r): r is BoundResource => r !== undefined);
  if (only !== undefined && views.length === 0) {
    throw new ProvisionError('USAGE', `--only ${only}: resources of that kind cannot be restored`);
  }
  return views;
}
