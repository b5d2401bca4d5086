/**
 * `provision check`'s findings for one run: what each resource's kind says of its backups, the
 * drives, the scheduled runs, and the "only one copy" guard, all from what status observes. It
 * reads only; recording that a drive was seen is the caller's choice (the scheduled check).
 */

import { runHeader } from '../app/plan.js';
import type { Session } from '../app/session.js';
import type { HealthFinding, HealthSeverity } from '../engine/health/finding.js';
import { checkExitCode } from '../engine/health/finding.js';
import type { BoundResource } from '../engine/kind.js';
import type { StatusReport } from '../engine/status/status-types.js';
import { isProvisionError } from '../errors.js';
import type { HostReads } from '../host/host.js';
import { onlyOneCopyFindings } from './only-one-copy.js';
import { driveFindings } from './drive-health.js';
import { scheduledRunFindings } from './scheduled-run-health.js';

/** The format of check's JSON; bumped on an incompatible change. */
export const CHECK_FORMAT_VERSION = 1;

export interface HealthReport extends Omit<ReturnType<typeof runHeader>, never> {
  formatVersion: typeof CHECK_FORMAT_VERSION;
  generatedAt: Date;
  findings: HealthFinding[];
  summary: Record<HealthSeverity, number>;
  exitCode: number;
}

export async function collectHealth(run: Session, reads: HostReads, status: StatusReport, now: Date): Promise<HealthReport> {
  const findings: HealthFinding[] = [];
  for (const r of run.resources) findings.push(...(await resourceHealth(r, reads, now, run.ctx.name)));
  findings.push(...(await driveFindings(reads, run.desired, status.drives, run.journalDirs, now)));
  findings.push(...(await onlyOneCopyFindings(reads, run.desired, status.locations, status.drives)));
  findings.push(...(await scheduledRunFindings(run, reads)));
  const summary: Record<HealthSeverity, number> = { ok: 0, warning: 0, problem: 0 };
  for (const f of findings) summary[f.severity]++;
  return { formatVersion: CHECK_FORMAT_VERSION, ...runHeader(run), generatedAt: now, findings, summary, exitCode: checkExitCode(findings) };
}

/**
 * One resource's findings. An expected error (a tool that cannot be asked, a folder that cannot
 * be read) is a warning about that resource, not the end of the check: the rest still matters.
 */
async function resourceHealth(r: BoundResource, reads: HostReads, now: Date, machine: string): Promise<HealthFinding[]> {
  if (r.health === undefined) return [];
  try {
    return await r.health(reads, now);
  } catch (e) {
    if (!isProvisionError(e)) throw e;
    return [
      {
        code: 'CHECK_UNREADABLE',
        severity: 'warning',
        subject: { kind: 'moved-data', name: r.id, machine, ...(r.user === undefined ? {} : { user: r.user }) },
        words: `${r.id} could not be looked at: ${e.message}`,
        ...(e.hint === undefined ? {} : { fix: e.hint }),
        facts: { resource: r.id, code: e.code },
      },
    ];
  }
}
