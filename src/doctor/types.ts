/**
 * What `provision doctor` reports: plain data, like the plan and the status report. Each check
 * is ok, a warning (worth knowing, apply still works) or a problem (something the plan needs is
 * missing, and apply as it would be run now fails or blocks); the renderers print them.
 */

import type { Platform } from '../config/model/declared.js';
import type { DriveStatus } from '../engine/status/status-types.js';

export type CheckStatus = 'ok' | 'warning' | 'problem';

/** One tool provision calls on this machine, and whether it is on PATH. */
export interface ToolFinding {
  command: string;
  found: boolean;
  /** What provision asks it for, in words. */
  neededFor: string;
  /** How bad its absence is: a warning when provision has a fallback (statfs for diskutil). */
  ifMissing: Exclude<CheckStatus, 'ok'>;
}

/** A declared drive as found on this machine: the same row status shows. */
export type DriveFinding = DriveStatus;

/** An unfinished move or restore recorded in the journal. */
export interface InterruptedFinding {
  id: string;
  user: string;
  title: string;
  path: string;
  operation: 'relocate' | 'restore';
  phase: string;
  startedAt: string;
}

export interface DoctorCheck {
  /** What is checked: declaration, machine, users, full-disk-access, root, drive, photo-drive, tools, journal, apply-lock, scheduled-runs. */
  id: string;
  /** What it is about, when the check is one of several (a drive's or a user's name). */
  subject?: string;
  /** For people: "Drive archive". */
  title: string;
  status: CheckStatus;
  /** A stable code when not ok (DRIVE_NOT_MOUNTED, TOOL_MISSING...), for scripts and tests. */
  code?: string;
  /** What was found, in words. */
  found: string;
  /** More lines: each validation problem, each user's home, each tool. */
  details: string[];
  /** What to do, when not ok. */
  fix?: string;
  drive?: DriveFinding;
  tools?: ToolFinding[];
  interrupted?: InterruptedFinding[];
}

export interface DoctorReport {
  formatVersion: 1;
  configFile?: string;
  machine?: string;
  platform?: Platform;
  root?: string;
  users: string[];
  /** Each looked-at user's home as the machine sees it, for showing paths with ~. */
  homes: Record<string, string>;
  runningAsRoot: boolean;
  checks: DoctorCheck[];
  /** Why the checks stopped early (an invalid declaration, an unknown machine), if they did. */
  stopped?: string;
}

export function countByStatus(r: DoctorReport): Record<CheckStatus, number> {
  const n: Record<CheckStatus, number> = { ok: 0, warning: 0, problem: 0 };
  for (const c of r.checks) n[c.status]++;
  return n;
}

export function hasProblems(r: DoctorReport): boolean {
  return r.checks.some((c) => c.status === 'problem');
}
