import type { Plan } from '../../engine/types.js';
import { changesPending, countActions, summaryLine } from './summary.js';

/**
 * The plan as versioned JSON for scripts (schemas/plan.schema.json). format_version changes
 * only when a field changes meaning or goes away; new fields may be added within a version.
 * `saved` is the fingerprint a saved plan carries (plan --out; app/saved-plan.ts).
 */
export function planDocument(plan: Plan, saved?: object): Record<string, unknown> {
  const counts = countActions(plan);
  return {
    format_version: plan.formatVersion,
    machine: plan.machine,
    platform: plan.platform,
    config_file: plan.configFile,
    root: plan.root ?? null,
    users: plan.users,
    changes: plan.changes,
    summary: { ...counts, text: summaryLine(plan) },
    blocked: counts.blocked > 0,
    changes_pending: changesPending(counts),
    ...(saved === undefined ? {} : { saved }),
  };
}

export function renderPlanJson(plan: Plan, saved?: object): string {
  return `${JSON.stringify(planDocument(plan, saved), null, 2)}\n`;
}
