import type { JournalEntry } from '../journal.js';
import type { StepContext } from './step-context.js';

export interface PhaseTracker<S, P extends string> {
  /** The step to carry out: the journaled one when resuming, so a newer plan cannot change it. */
  step: S;
  /** Whether the work of this phase still has to be done. */
  at(phase: P): boolean;
  /** Journals that the work after this phase is starting (atomically, fsynced). */
  record(phase: P): Promise<void>;
}

/**
 * Where a journaled step stands: from its entry in the journal when an earlier run was
 * interrupted, or from the start. Moves and restores share this bookkeeping; only their
 * phases differ.
 */
export function trackPhases<E extends JournalEntry>(
  ctx: StepContext,
  step: E['step'],
  phases: readonly E['phase'][],
  isOwn: (e: JournalEntry) => e is E,
): PhaseTracker<E['step'], E['phase']> {
  const found = ctx.pending.get(step.id);
  const previous = found !== undefined && isOwn(found) ? found : undefined;
  const startedAt = previous?.startedAt ?? new Date().toISOString();
  const s = previous?.step ?? step;
  const from = previous ? phases.indexOf(previous.phase) : -1;
  const { change } = ctx;
  return {
    step: s,
    at: (phase) => from <= phases.indexOf(phase),
    record: (phase) =>
      ctx.journal.record({
        id: s.id,
        changeId: change.id,
        user: change.user ?? '',
        title: change.title,
        path: change.path,
        phase,
        step: s,
        startedAt,
        // The cast joins step and phase, which TypeScript cannot relate through E.
      } as Parameters<StepContext['journal']['record']>[0]),
  };
}
