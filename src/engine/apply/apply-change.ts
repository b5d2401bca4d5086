import { ProvisionError } from '../../errors.js';
import type { Host, HostReads } from '../../host/host.js';
import type { BoundResource, StepRunners } from '../kind.js';
import type { Journal, JournalEntry } from '../journal/journal.js';
import type { Change } from '../types.js';
import { runStep } from './run-step.js';
import type { StepProgress } from './step-context.js';

export interface ApplyOptions {
  host: Host;
  /** The kinds' runners for their own steps (kinds/registry.ts). */
  runners: StepRunners;
  /** A read-only view of the same machine, for observing again right before acting. */
  observer: HostReads;
  /**
   * What the round read a moment ago, given again while recent (host/round-reads.ts): for a
   * change's first checks, never for those right before a destructive step. None: the Host.
   */
  recent?: HostReads;
  journal: Journal;
  pending: ReadonlyMap<string, JournalEntry>;
  signal?: AbortSignal;
  onProgress?: (p: StepProgress) => void;
  /** Compare every copied byte, not only sizes (apply --verify content). */
  verifyContent?: boolean;
  /** Called once the change is known to be current, before its first step writes anything. */
  onStart?: () => void;
}

/**
 * Carries out one change. Unless it finishes an interrupted move, its resource is observed and
 * planned again first: if the world moved since the plan, it stops (plan is stale).
 */
export async function applyChange(change: Change, resource: BoundResource | undefined, o: ApplyOptions): Promise<void> {
  if (change.action !== 'resume' && resource !== undefined) {
    const fresh = await resource.observeAndPlan(o.observer);
    if (fresh === undefined || JSON.stringify(fresh.steps) !== JSON.stringify(change.steps) || fresh.blockers.length > 0) {
      const now = fresh === undefined ? 'it is no longer there' : `now ${fresh.before}`;
      throw new ProvisionError('PLAN_STALE', `${change.title} of ${change.user ?? 'this machine'} changed since the plan: ${now}`, {
        hint: 'nothing of this change was done; run provision plan again to see what changed',
      });
    }
  }
  o.onStart?.();
  for (const [i, step] of change.steps.entries()) {
    if (o.signal?.aborted) {
      throw new ProvisionError('INTERRUPTED', 'interrupted before the next step', { hint: 'run provision apply again to finish' });
    }
    await runStep(
      {
        host: o.host,
        runners: o.runners,
        journal: o.journal,
        change,
        pending: o.pending,
        ...(o.recent ? { recent: o.recent } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        ...(o.onProgress ? { onProgress: o.onProgress } : {}),
        ...(o.verifyContent === true ? { verifyContent: true } : {}),
      },
      step,
      i,
    );
  }
}
