import type { Action, Plan } from '../../engine/types.js';

export type PlanCounts = Record<Action, number>;

export function countActions(plan: Plan): PlanCounts {
  const counts: PlanCounts = { create: 0, update: 0, relocate: 0, resume: 0, restore: 0, blocked: 0, none: 0 };
  for (const c of plan.changes) counts[c.blockers.length > 0 ? 'blocked' : c.action]++;
  return counts;
}

/** Whether anything would be changed (blocked changes aside). */
export function changesPending(n: PlanCounts): boolean {
  return n.create + n.update + n.relocate + n.resume + n.restore > 0;
}

/** The one line a plan ends with. */
export function summaryLine(plan: Plan): string {
  const n = countActions(plan);
  const restore = plan.intent === 'restore';
  if (!changesPending(n) && n.blocked === 0) {
    return restore ? 'Nothing to restore: no managed folder is a link.' : 'No changes. Everything is as declared.';
  }
  const parts = restore ? [`${n.restore} to restore`] : [`${n.relocate} to relocate`, `${n.create} to create`, `${n.update} to update`];
  if (n.resume > 0) parts.unshift(`${n.resume} interrupted move${n.resume === 1 ? '' : 's'} to finish`);
  const blocked = n.blocked > 0 ? ` ${n.blocked} blocked: nothing will be applied until ${n.blocked === 1 ? 'it is' : 'they are'} resolved.` : '';
  return `Plan: ${parts.join(', ')}.${blocked}`;
}
