import { driveStatuses, drivesUsed } from '../../app/drive-status.js';
import { readJournals } from '../../engine/journal/journal.js';
import type { BoundResource } from '../../engine/kind.js';
import { statusFromChange } from '../../engine/status/status-from-plan.js';
import { journalProblemRows, withInterruptions } from '../../engine/status/status-journal.js';
import { findJournalProblems } from '../../engine/journal/journal-findings.js';
import { needsAttention, severityOf, type ResourceStatus, type StatusReport } from '../../engine/status/status-types.js';
import { isProvisionError } from '../../errors.js';
import { noteRunningApply } from '../apply-running-note.js';
import { createHost } from '../../host/create-host.js';
import type { HostReads } from '../../host/host.js';
import { renderStatusJson } from '../views/status-json.js';
import { renderStatusText } from '../views/status-text.js';
import type { Style } from '../../text/style.js';
import { STALE_BACKUP_DAYS } from '../../kinds/mobilesync/device-info.js';
import { outputColumns } from '../output-width.js';
import { createRunContext, type CommonOptions, type RunContext } from '../../app/session.js';

export interface StatusOptions extends CommonOptions {
  json?: boolean;
  detailedExitcode?: boolean;
}

/**
 * What is where now, on a read-only host: status cannot change anything, by construction. Like
 * `git status` it exits 0 whatever it finds (1 only for an error); --detailed-exitcode makes it
 * 2 when anything needs attention, for scripts and login hooks.
 */
export async function statusCommand(opts: StatusOptions, style: Style): Promise<number> {
  const reads = createHost('read-only');
  const { run, report } = await computeStatus(opts, reads);
  await noteRunningApply(reads, run, style);
  if (opts.json) {
    process.stdout.write(renderStatusJson(report));
  } else {
    process.stderr.write(style.dim(`Using ${run.loaded.file} (${run.configSource})\n`));
    process.stdout.write(renderStatusText(report, style, outputColumns(process.stdout, process.env)));
  }
  return opts.detailedExitcode === true && needsAttention(report) ? 2 : 0;
}

export async function computeStatus(opts: CommonOptions, reads: HostReads): Promise<{ run: RunContext; report: StatusReport }> {
  const run = await createRunContext(opts, reads);
  const generatedAt = new Date();
  const statuses: ResourceStatus[] = [];
  for (const r of run.resources) {
    const s = await statusOf(r, reads);
    if (s !== undefined) statuses.push(s);
  }
  const users = run.users.map((u) => u.desired.name);
  const scan = await readJournals(reads, run.journalDirs.read);
  const problems = journalProblemRows(await findJournalProblems(reads, scan, run.resources, users));
  const drives = await driveStatuses(reads, run.ctx, drivesUsed(run.ctx, run.users, opts.user === undefined));
  const report: StatusReport = {
    formatVersion: 1,
    machine: run.ctx.name,
    platform: run.ctx.platform,
    configFile: run.loaded.file,
    ...(run.ctx.paths.root === undefined ? {} : { root: run.ctx.paths.root }),
    users,
    homes: Object.fromEntries(run.users.map((u) => [u.desired.name, u.desired.home.machine])),
    generatedAt,
    staleAfterDays: STALE_BACKUP_DAYS,
    locations: [...problems, ...withInterruptions(statuses, scan.entries, users)],
    drives,
  };
  return { run, report };
}

/**
 * A resource's own status, or one read off its plan. An expected error (a tool that cannot be
 * asked) makes an unreadable row rather than ending status: the other rows still matter.
 */
async function statusOf(r: BoundResource, reads: HostReads): Promise<ResourceStatus | undefined> {
  try {
    if (r.status !== undefined) return await r.status(reads);
    const change = await r.observeAndPlan(reads);
    return change === undefined ? undefined : statusFromChange(change);
  } catch (e) {
    if (!isProvisionError(e)) throw e;
    return {
      id: r.id,
      kind: r.kind,
      ...(r.user === undefined ? {} : { user: r.user }),
      title: r.kind,
      declared: r.id,
      paths: [],
      state: 'unreadable',
      words: `unreadable: ${e.message}`,
      severity: severityOf('unreadable'),
      ...(e.hint === undefined ? {} : { hint: e.hint }),
      links: [],
      data: [],
      sized: false,
      notes: [],
    };
  }
}
