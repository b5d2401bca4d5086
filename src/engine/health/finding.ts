/**
 * What `provision check` (and status, inline) says about the health of a household's backups:
 * one finding per thing looked at. Kinds, drives and the watch feature all produce findings of
 * this one shape, so that the check's exit code, its JSON and the notification are built from
 * one list.
 */

/** ok: looked at and fine; warning: worth a look soon; problem: backups are at risk now. */
export type HealthSeverity = 'ok' | 'warning' | 'problem';

/** What a finding is about. */
export type HealthSubjectKind = 'device-backup' | 'drive' | 'time-machine' | 'backup-bundle' | 'share' | 'moved-data' | 'scheduled-run';

export interface HealthFinding {
  /** A stable code, e.g. DEVICE_BACKUP_OLD; OK_* codes for findings that are fine. */
  code: string;
  severity: HealthSeverity;
  subject: {
    kind: HealthSubjectKind;
    /** The name a person knows it by: a device's name, a drive's declared name, a destination. */
    name: string;
    /** The household member it concerns, when it concerns one. */
    user?: string;
    /** The machine it was observed from. */
    machine: string;
  };
  /** What was found, in one sentence. */
  words: string;
  /** What to do, in one line; absent for ok findings. */
  fix?: string;
  /** The observed values behind the words (dates as ISO strings), for scripts. */
  facts: Record<string, string | number | boolean | null>;
}

/** Exit codes of `provision check`: 0 healthy, 2 warnings, 3 problems; 1 is "the check could not run". */
export const CHECK_EXIT = { healthy: 0, couldNotRun: 1, warnings: 2, problems: 3 } as const;

export function checkExitCode(findings: readonly HealthFinding[]): number {
  if (findings.some((f) => f.severity === 'problem')) return CHECK_EXIT.problems;
  if (findings.some((f) => f.severity === 'warning')) return CHECK_EXIT.warnings;
  return CHECK_EXIT.healthy;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whole days from then to now (negative when then is in the future: a wrong clock). */
export function daysBetween(then: Date, now: Date): number {
  return Math.floor((now.getTime() - then.getTime()) / DAY_MS);
}
