import { createHost } from '../../host/create-host.js';
import { openSession, type CommonOptions, type Session } from '../../app/session.js';
import { isProvisionError } from '../../errors.js';
import { computeStatus } from '../../app/status.js';
import { noteDrivesSeen } from '../../app/drives-seen.js';
import type { Style } from '../../text/style.js';
import { collectHealth, type HealthReport } from '../../watch/collect-health.js';
import { noticeOf, postNotice } from '../../watch/notify.js';
import { fallbackRecordPath, recordRun, rotateLog, runRecordPath, SCHEDULE_FOLDER_SEGMENTS, type ScheduledRun } from '../../app/scheduled-runs.js';
import path from 'node:path';
import { localTime } from '../../text/age.js';
import { outputColumns } from '../output-width.js';
import { renderCheckJson } from '../views/check-json.js';
import { renderCheckText } from '../views/check-text.js';

export interface CheckOptions extends CommonOptions {
  json?: boolean;
  notify?: boolean;
  /** Started by the daily check agent: the run is recorded for schedule status. */
  scheduled?: boolean;
}

/**
 * `provision check`: the health of the household's backups, from what status observes, with an
 * exit code for scripts and monitors: 0 healthy, 2 warnings, 3 problems (1, as everywhere, when
 * the check could not run). A command of its own rather than a mode of status: status exits 0
 * whatever it finds (like git status) and shows where things are; check judges them against the
 * declared limits and is what a monitor or the daily agent runs. It reads only, on the
 * read-only host.
 */
export async function checkCommand(opts: CheckOptions, style: Style): Promise<number> {
  const reads = createHost('read-only');
  const startedAt = new Date();
  let run: Session;
  try {
    run = await openSession(opts, reads);
  } catch (e) {
    // The daily agent's run that cannot even read its declaration is recorded too, as failed.
    if (opts.scheduled === true && isProvisionError(e)) {
      await recordRun(createHost('real'), fallbackRecordPath(opts), {
        command: 'check',
        startedAt: startedAt.toISOString(),
        finishedAt: new Date().toISOString(),
        outcome: 'failed',
        exitCode: 1,
        codes: [e.code],
        words: e.message,
        ...(e.hint === undefined ? {} : { fix: e.hint }),
      });
    }
    throw e;
  }
  const home = run.users[0]?.desired.home.machine;
  const scheduledHere = opts.scheduled === true && run.ctx.platform === 'macos' && home !== undefined;
  // The daily agent's log grows by one report a day: bounded the same way as the mount agent's.
  if (scheduledHere) await rotateLog(createHost('real'), run.ctx.paths.toHost(path.posix.join(home, ...SCHEDULE_FOLDER_SEGMENTS, 'check.log')));
  const status = await computeStatus(run, reads);
  const now = new Date();
  const report = await collectHealth(run, reads, status, now);
  if (opts.json) {
    process.stdout.write(renderCheckJson(report));
  } else {
    process.stderr.write(style.dim(`Using ${run.loaded.file} (${run.configSource})\n`));
    if (opts.scheduled) process.stdout.write(`--- scheduled check, ${localTime(now)} ---\n`);
    process.stdout.write(renderCheckText(report, style, outputColumns(process.stdout, process.env)));
  }
  if (opts.notify) {
    const host = createHost('real');
    // The daily check is one of the runs that records which drives were seen (apply is the other).
    await noteDrivesSeen(run, host, now);
    const notice = noticeOf(report);
    if (notice !== undefined) await postNotice(host, run.ctx.platform, notice, (line) => process.stderr.write(`${line}\n`));
  }
  if (scheduledHere) await recordRun(createHost('real'), runRecordPath(run.ctx, home).host, checkRun(now, report));
  return report.exitCode;
}

/** The daily check's entry in the record of scheduled runs. */
function checkRun(startedAt: Date, report: HealthReport): ScheduledRun {
  const outcome = report.exitCode === 3 ? 'problems' : report.exitCode === 2 ? 'warnings' : 'healthy';
  const words = outcome === 'healthy' ? 'all fine' : `${report.summary.problem} problem(s) and ${report.summary.warning} warning(s) found`;
  return { command: 'check', startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), outcome, exitCode: report.exitCode, codes: report.findings.filter((f) => f.severity !== 'ok').map((f) => f.code), words };
}
