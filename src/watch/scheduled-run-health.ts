/**
 * The scheduled runs in `provision check`: on a Mac, each user's record of the mount agent's
 * runs (app/scheduled-runs.ts). A last run that needs the user (no Full Disk Access for node, a
 * blocked plan, an error) is a problem: the agent exists to keep the backups linked, and it is
 * not doing that. No record means no agent ran yet: nothing to say (status says whether one is
 * installed).
 */

import { lastRun, NEEDS_USER, readRunRecord, runRecordPath } from '../app/scheduled-runs.js';
import type { Session } from '../app/session.js';
import type { HealthFinding } from '../engine/health/finding.js';
import type { HostReads } from '../host/host.js';
import { localTime } from '../text/age.js';

export async function scheduledRunFindings(run: Session, reads: HostReads): Promise<HealthFinding[]> {
  if (run.ctx.platform !== 'macos') return [];
  const out: HealthFinding[] = [];
  for (const u of run.users) {
    const user = u.desired;
    const record = await readRunRecord(reads, runRecordPath(run.ctx, user.home.machine).host);
    const subject = { kind: 'scheduled-run' as const, name: 'apply on mount', user: user.name, machine: run.ctx.name };
    if (record.kind === 'unreadable') {
      out.push({ code: 'SCHEDULED_RUN_UNKNOWN', severity: 'warning', subject, words: `${user.name}'s record of scheduled runs cannot be read (${record.code})`, fix: 'run provision schedule status as that user', facts: { code: record.code } });
      continue;
    }
    const last = lastRun(record, 'apply');
    if (last === undefined) continue;
    const facts = { outcome: last.outcome, startedAt: last.startedAt, codes: last.codes.join(' '), exitCode: last.exitCode, program: last.program ?? null };
    if (NEEDS_USER.includes(last.outcome)) {
      out.push({
        code: last.outcome === 'needs-full-disk-access' ? 'SCHEDULED_RUN_NEEDS_FULL_DISK_ACCESS' : 'SCHEDULED_RUN_FAILED',
        severity: 'problem',
        subject,
        words: `${user.name}'s scheduled apply (${localTime(new Date(last.startedAt))}) did not work: ${last.words}`,
        ...(last.fix === undefined ? {} : { fix: last.fix }),
        facts,
      });
    } else {
      out.push({ code: 'OK_SCHEDULED_RUN', severity: 'ok', subject, words: `${user.name}'s last scheduled apply (${localTime(new Date(last.startedAt))}): ${last.outcome}`, facts });
    }
  }
  return out;
}
