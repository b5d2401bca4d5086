import type { Plan } from '../engine/types.js';
import { changesPending, countActions, summaryLine } from './summary.js';

/**
 * The plan as versioned JSON for scripts. format_version changes only when a field changes
 * meaning or goes away; new fields may be added within a version.
 */
export function renderPlanJson(plan: Plan): string {
  const counts = countActions(plan);
  const doc = {
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
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
