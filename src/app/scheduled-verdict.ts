/**
 * What a scheduled apply's plan or error means for the person who set it up: the outcome the
 * run record keeps, the exit code launchd sees, and the one sentence and fix `schedule status`
 * and `doctor` repeat. Pure: the run itself is cli/commands/scheduled-apply.ts.
 *
 * Exit codes: 0 for the normal results of a run started by some mount (changes made, nothing to
 * do, a declared drive still away, another apply busy); 1 when the user must act.
 */

import { errnoCode, isProvisionError } from '../errors.js';
import { pendingChanges, type Plan } from '../engine/types.js';
import { fullDiskAccessSteps, type NodeProgram } from './node-program.js';
import type { ScheduledRun } from './scheduled-runs.js';

/** What a run's record says of its outcome: everything but the command and the times. */
export type ScheduledVerdict = Omit<ScheduledRun, 'command' | 'startedAt' | 'finishedAt'>;

/** A drive that is away (or left a stale folder behind): nothing is wrong, the run waits for it. */
const DRIVE_AWAY = ['DRIVE_NOT_MOUNTED', 'DRIVE_STALE_FOLDER'];

function needsAccess(program: NodeProgram, what: string, codes: string[]): ScheduledVerdict {
  return {
    outcome: 'needs-full-disk-access',
    exitCode: 1,
    codes,
    words: `macOS refused ${what} to the scheduled run: ${program.path} needs Full Disk Access (the access given to your terminal does not carry over to a job launchd starts)`,
    fix: `${fullDiskAccessSteps(program.path)}${program.versioned === undefined ? '' : `; after each ${program.versioned.after}, node's path changes: run provision schedule install again and give the new path access`}`,
    program: program.path,
  };
}

/** The verdict on the first plan, or undefined when it has changes to carry out. */
export function verdictOfPlan(plan: Plan, program: NodeProgram): ScheduledVerdict | undefined {
  const blockers = plan.changes.flatMap((c) => c.blockers);
  const codes = [...new Set(blockers.map((b) => b.code))];
  if (codes.includes('NEEDS_FULL_DISK_ACCESS')) {
    const refused = blockers.find((b) => b.code === 'NEEDS_FULL_DISK_ACCESS');
    const what = /refused to read (.+) \(EPERM\)/.exec(refused?.reason ?? '')?.[1] ?? 'a protected folder';
    return needsAccess(program, what, codes);
  }
  if (codes.length > 0 && codes.every((c) => DRIVE_AWAY.includes(c))) {
    return { outcome: 'waiting-for-drive', exitCode: 0, codes, words: 'a declared drive is not plugged in: nothing was changed, and the next mount of it runs apply again' };
  }
  if (codes.length > 0) {
    const first = blockers[0];
    return {
      outcome: 'blocked',
      exitCode: 1,
      codes,
      words: `the plan is blocked (${codes.join(', ')}): ${first?.reason ?? 'see the log'}`,
      fix: `${first?.fix ?? 'run provision plan to see why'}; then the next mount runs it again (or run provision apply yourself)`,
    };
  }
  if (pendingChanges(plan).length === 0) return { outcome: 'nothing-to-do', exitCode: 0, codes: [], words: 'everything is as declared: nothing to do' };
  return undefined;
}

/** The verdict on an error that ended the run. */
export function verdictOfError(e: unknown, program: NodeProgram): ScheduledVerdict {
  if (isProvisionError(e)) {
    if (e.code === 'LOCKED') return { outcome: 'busy', exitCode: 0, codes: ['LOCKED'], words: 'another apply was running: this run left it alone' };
    // Refused mid-way (a folder under ~/Library read during the move): the same missing access.
    if (errnoCode(e.cause) === 'EPERM' && /\/Library\//.test(e.message)) return needsAccess(program, 'a folder under ~/Library', [e.code, 'EPERM']);
    return { outcome: 'failed', exitCode: 1, codes: [e.code], words: e.message, ...(e.hint === undefined ? {} : { fix: e.hint }) };
  }
  const code = errnoCode(e);
  if (code === 'EPERM' && e instanceof Error && /\/Library\//.test(e.message)) return needsAccess(program, 'a folder under ~/Library', ['EPERM']);
  return {
    outcome: 'failed',
    exitCode: 1,
    codes: [code ?? 'INTERNAL'],
    words: e instanceof Error ? e.message : String(e),
    fix: code === undefined ? 'this is a bug in provision: please report it with the log' : 'see the log, then run provision plan',
  };
}

/** The verdict on a finished apply. */
export function appliedVerdict(changes: number): ScheduledVerdict {
  return { outcome: 'applied', exitCode: 0, codes: [], words: `applied ${changes} change${changes === 1 ? '' : 's'}` };
}
