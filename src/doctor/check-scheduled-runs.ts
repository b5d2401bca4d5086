import { lastRun, NEEDS_USER, readRunRecord, runRecordPath } from '../app/scheduled-runs.js';
import type { Session } from '../app/session.js';
import type { HostReads } from '../host/host.js';
import { localTime } from '../text/age.js';
import type { DoctorCheck } from './types.js';

/**
 * The scheduled apply (Macs only): how each user's last scheduled run ended, from the record it
 * left (app/scheduled-runs.ts). A run refused by macOS for want of Full Disk Access is a
 * problem naming the program that needs it; a normal result (nothing to do, a drive away) is
 * ok. No record, no check: no agent has run yet (schedule status says whether one is installed).
 */
export async function checkScheduledRuns(run: Session, reads: HostReads): Promise<DoctorCheck[]> {
  if (run.ctx.platform !== 'macos') return [];
  const out: DoctorCheck[] = [];
  for (const u of run.users) {
    const user = u.desired;
    const file = runRecordPath(run.ctx, user.home.machine);
    const record = await readRunRecord(reads, file.host);
    const base = { id: 'scheduled-runs', subject: user.name, title: `Scheduled runs of ${user.name}` };
    if (record.kind === 'unreadable') {
      out.push({ ...base, status: 'warning', code: 'SCHEDULED_RUN_UNKNOWN', found: `the record of scheduled runs ${file.machine} cannot be read (${record.code})`, details: [], fix: `run provision doctor as ${user.name}` });
      continue;
    }
    const last = lastRun(record, 'apply');
    if (last === undefined) continue;
    const when = localTime(new Date(last.startedAt));
    if (NEEDS_USER.includes(last.outcome)) {
      out.push({
        ...base,
        status: 'problem',
        code: last.outcome === 'needs-full-disk-access' ? 'SCHEDULED_RUN_NEEDS_FULL_DISK_ACCESS' : 'SCHEDULED_RUN_FAILED',
        found: `the scheduled apply of ${when} did not work (${last.outcome}): ${last.words}`,
        details: [`codes: ${last.codes.join(', ') || 'none'}`, `record: ${file.machine}`],
        ...(last.fix === undefined ? {} : { fix: last.fix }),
      });
    } else {
      out.push({ ...base, status: 'ok', found: `the last scheduled apply (${when}) ended normally: ${last.outcome}, ${last.words}`, details: [] });
    }
  }
  return out;
}
