/**
 * `apply --scheduled`: the run the mount agent starts. launchd starts it on every mount (disk
 * images and Time Machine's snapshots too), with its output going to a log, and nobody watching.
 * So it differs from an apply a person runs in three ways:
 * - a mount that concerns none of its declared drives (none of them is mounted) returns at
 *   once, printing and recording nothing;
 * - otherwise it rotates its log when large, prints one dated line, plans, and records what
 *   happened (app/scheduled-runs.ts) in words that tell "needs Full Disk Access for <node>" apart
 *   from "nothing to do" (app/scheduled-verdict.ts);
 * - the normal results of a run started by some mount (nothing to do, a drive still away,
 *   another apply busy) exit 0; only what needs the user exits 1.
 */

import path from 'node:path';
import { computePlan } from '../../app/plan.js';
import { drivesUsed, observeUsedDrives } from '../../app/drive-status.js';
import { nodeProgram } from '../../app/node-program.js';
import { fallbackRecordPath, recordRun, rotateLog, runRecordPath, SCHEDULE_FOLDER_SEGMENTS, type ScheduledRun } from '../../app/scheduled-runs.js';
import { appliedVerdict, verdictOfError, verdictOfPlan, type ScheduledVerdict } from '../../app/scheduled-verdict.js';
import { openSession, type CommonOptions, type Session } from '../../app/session.js';
import { pendingChanges } from '../../engine/types.js';
import { createHost } from '../../host/create-host.js';
import type { Host } from '../../host/host.js';
import { localTime } from '../../text/age.js';
import type { Style } from '../../text/style.js';
import { runChanges } from './run-changes.js';

export async function scheduledApply(options: CommonOptions, verify: 'size' | 'content' | undefined, style: Style): Promise<number> {
  const startedAt = new Date();
  const program = await nodeProgram();
  const host = createHost('real');
  const reads = createHost('read-only');
  let run: Session;
  try {
    run = await openSession(options, reads);
  } catch (e) {
    // No session: the record goes where the agent's home would be (launchd sets HOME).
    await record(host, fallbackRecordPath(options), startedAt, verdictOfError(e, program));
    throw e;
  }
  const file = recordFile(run);

  const used = drivesUsed(run.resources);
  if (used.size > 0) {
    const seen = await observeUsedDrives(reads, run.desired, used);
    // Another volume mounted (a disk image, a snapshot) while every drive of ours is away.
    if (!seen.some((d) => d.observed.kind === 'mounted')) return 0;
  }
  const home = run.users[0]?.desired.home;
  if (home !== undefined) await rotateLog(host, run.ctx.paths.toHost(path.posix.join(home.machine, ...SCHEDULE_FOLDER_SEGMENTS, 'apply.log')));
  process.stdout.write(`--- scheduled apply, ${localTime(startedAt)} ---\n`);

  let verdict: ScheduledVerdict | undefined;
  let changes = 0;
  try {
    const { plan } = await computePlan(run, reads);
    verdict = verdictOfPlan(plan, program);
    changes = pendingChanges(plan).length;
  } catch (e) {
    verdict = verdictOfError(e, program);
  }
  if (verdict === undefined) {
    try {
      await runChanges(
        {
          verb: 'apply',
          options,
          yes: true,
          ...(verify === 'content' ? { verifyContent: true } : {}),
          plan: (r, rd) => computePlan(r, rd),
          doneMessage: 'Apply complete. Everything is as declared.',
        },
        style,
      );
      verdict = appliedVerdict(changes);
    } catch (e) {
      verdict = verdictOfError(e, program);
      await record(host, file, startedAt, verdict);
      if (verdict.exitCode === 0) {
        process.stdout.write(`${verdict.words}\n`);
        return 0;
      }
      throw e;
    }
  } else {
    process.stdout.write(`${verdict.words}\n`);
    if (verdict.fix !== undefined) process.stdout.write(`  fix: ${verdict.fix}\n`);
  }
  await record(host, file, startedAt, verdict);
  return verdict.exitCode;
}

async function record(host: Host, file: string, startedAt: Date, v: ScheduledVerdict): Promise<void> {
  const entry: ScheduledRun = {
    command: 'apply',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    outcome: v.outcome,
    exitCode: v.exitCode,
    codes: v.codes,
    words: v.words,
    ...(v.fix === undefined ? {} : { fix: v.fix }),
    ...(v.program === undefined ? {} : { program: v.program }),
  };
  await recordRun(host, file, entry);
}

/** The run's record: in the home of its one user (the agent passes --user). */
function recordFile(run: Session): string {
  const home = run.users[0]?.desired.home.machine;
  return home === undefined ? fallbackRecordPath({}) : runRecordPath(run.ctx, home).host;
}
