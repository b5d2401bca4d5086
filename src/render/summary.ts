import type { Action, Plan } from '../engine/types.js';

export type PlanCounts = Record<Action, number>;

export function countActions(plan: Plan): PlanCounts {
  const counts: PlanCounts = { create: 0, update: 0, relocate: 0, resume: 0, blocked: 0, none: 0 };
  for (const c of plan.changes) counts[c.blockers.length > 0 ? 'blocked' : c.action]++;
  return counts;
}

/** The one line a plan ends with. */
export function summaryLine(plan: Plan): string {
  const n = countActions(plan);
  if (n.create + n.update + n.relocate + n.resume + n.blocked === 0) return 'No changes. Everything is as declared.';
  const parts = [`${n.relocate} to relocate`, `${n.create} to create`, `${n.update} to update`];
  if (n.resume > 0) parts.unshift(`${n.resume} interrupted move${n.resume === 1 ? '' : 's'} to finish`);
  const blocked = n.blocked > 0 ? ` ${n.blocked} blocked: nothing will be applied until ${n.blocked === 1 ? 'it is' : 'they are'} resolved.` : '';
  return `Plan: ${parts.join(', ')}.${blocked}`;
}
