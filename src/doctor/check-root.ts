import type { Change, Plan } from '../engine/types.js';
import type { DoctorCheck } from './types.js';

/**
 * Root: whether the plan, made just now on the read-only host exactly as `provision plan`
 * makes it, has changes that need root, and whether provision runs as root. Each change's kind
 * says what of it needs root (engine/kind.ts, needsRoot): Time Machine and File Sharing from
 * their planners' warnings, Samba's configuration in /etc/samba. Windows has no root to ask
 * for: junctions need no administrator.
 */
export function checkRoot(plan: Plan, runningAsRoot: boolean, needsRoot: (change: Change) => string | undefined): DoctorCheck | undefined {
  if (plan.platform === 'windows') return undefined;
  const title = 'Root';
  if (runningAsRoot) {
    const what = plan.platform === 'macos' ? 'Time Machine and File Sharing can be changed, and ' : '';
    return { id: 'root', title, status: 'ok', found: `running as root: ${what}every user of the machine is looked at`, details: [] };
  }
  const needing = new Map<Change, string>();
  for (const c of plan.changes) {
    const what = needsRoot(c);
    if (what !== undefined) needing.set(c, what);
  }
  if (needing.size === 0) {
    return { id: 'root', title, status: 'ok', found: 'not running as root, and nothing in the plan needs it', details: [] };
  }
  const what = [...new Set(needing.values())];
  return {
    id: 'root',
    title,
    status: 'problem',
    code: 'NEEDS_ROOT',
    found: `the plan changes ${what.join(' and ')}, which needs root, and provision is not running as root`,
    details: [...needing.keys()].map((c) => `${c.title}: ${c.before} -> ${c.after}`),
    fix: 'run sudo provision apply: without root, apply cannot make these changes',
  };
}
