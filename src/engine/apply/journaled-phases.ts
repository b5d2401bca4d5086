import type { EntryFacts, JournalEntry } from '../journal/journal.js';
import type { StepContext } from './step-context.js';

export interface PhaseTracker<S, P extends string> {
  /** The step to carry out: the journaled one when resuming, so a newer plan cannot change it. */
  step: S;
  /** Whether the work of this phase still has to be done. */
  at(phase: P): boolean;
  /** Journals that the work after this phase is starting (atomically, fsynced), with the facts known so far. */
  record(phase: P): Promise<void>;
  /** What the move has learnt (its drive's identity); journaled with every record. */
  facts: EntryFacts;
  /** Starts the step over from its first phase (only while the original is untouched). */
  restart(): void;
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
  let from = previous ? phases.indexOf(previous.phase) : -1;
  const facts: EntryFacts = {
    ...(previous?.drive === undefined ? {} : { drive: previous.drive }),
    ...(previous?.sourceFingerprint === undefined ? {} : { sourceFingerprint: previous.sourceFingerprint }),
  };
  const { change } = ctx;
  return {
    step: s,
    facts,
    at: (phase) => from <= phases.indexOf(phase),
    restart: () => {
      from = -1;
    },
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
        ...facts,
        // The cast joins step and phase, which TypeScript cannot relate through E.
      } as Parameters<StepContext['journal']['record']>[0]),
  };
}
