import { severityOf, type ResourceStatus } from './status-types.js';
import type { Change } from '../types.js';

/**
 * Pure: the status row of a resource whose kind has no status of its own (Time Machine, shared
 * folders: the machine's), read off its plan. Nothing to do is ok; otherwise the row says what
 * differs, or why the plan is blocked, and points at plan for the details.
 */
export function statusFromChange(c: Change): ResourceStatus {
  const blocked = c.action === 'blocked' || c.blockers.length > 0;
  const state = blocked ? 'blocked' : c.action === 'none' ? 'ok' : 'differs';
  const first = c.blockers[0];
  const words =
    state === 'ok' ? 'ok: as declared' : state === 'blocked' ? `blocked: ${first?.reason ?? c.reason}` : `differs: ${c.before}`;
  const hint = state === 'ok' ? undefined : state === 'blocked' ? (first?.fix ?? 'run provision plan for the reasons') : 'run provision plan to see what apply would change';
  return {
    id: c.id,
    kind: c.kind,
    ...(c.user === undefined ? {} : { user: c.user }),
    title: c.title,
    declared: c.path,
    paths: [],
    state,
    words,
    severity: severityOf(state),
    ...(hint === undefined ? {} : { hint }),
    links: [],
    data: [],
    sized: false,
    notes: c.warnings.map((w) => w.message),
  };
}
