import type { Change, Plan } from '../engine/types.js';
import type { DoctorCheck } from './types.js';

/**
 * The warnings a plan made without root carries for changes only root may make: Time Machine
 * (tmutil) and File Sharing (sharing, dscl). Apply without root stops before them.
 */
const NEEDS_ROOT: Record<string, string> = {
  TM_NEEDS_ROOT: 'Time Machine',
  SHARING_NEEDS_ROOT: 'File Sharing',
};

/**
 * Root: whether the plan, made just now on the read-only host exactly as `provision plan`
 * makes it, has changes that need root, and whether provision runs as root. The planner
 * decides what needs root (its warnings); the one thing read off the plan itself is a Samba
 * change on a Linux machine's own disk, whose configuration lives in /etc/samba, which only
 * root may write. Windows has no root to ask for: junctions need no administrator.
 */
export function checkRoot(plan: Plan, runningAsRoot: boolean): DoctorCheck | undefined {
  if (plan.platform === 'windows') return undefined;
  const title = 'Root';
  if (runningAsRoot) {
    const what = plan.platform === 'macos' ? 'Time Machine and File Sharing can be changed, and ' : '';
    return { id: 'root', title, status: 'ok', found: `running as root: ${what}every user of the machine is looked at`, details: [] };
  }
  const needing = new Map<Change, string>();
  for (const c of plan.changes) {
    for (const w of c.warnings) {
      const what = NEEDS_ROOT[w.code];
      if (what !== undefined) needing.set(c, what);
    }
    const samba = plan.platform === 'linux' && plan.root === undefined && c.kind === 'shares' && c.steps.length > 0;
    if (samba) needing.set(c, "Samba's configuration in /etc/samba");
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
