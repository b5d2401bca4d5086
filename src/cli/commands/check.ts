import { createHost } from '../../host/create-host.js';
import { openSession, type CommonOptions } from '../../app/session.js';
import { computeStatus } from '../../app/status.js';
import { noteDrivesSeen } from '../../app/drives-seen.js';
import type { Style } from '../../text/style.js';
import { collectHealth } from '../../watch/collect-health.js';
import { outputColumns } from '../output-width.js';
import { renderCheckJson } from '../views/check-json.js';
import { renderCheckText } from '../views/check-text.js';

export interface CheckOptions extends CommonOptions {
  json?: boolean;
  notify?: boolean;
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
  const run = await openSession(opts, reads);
  const status = await computeStatus(run, reads);
  const now = new Date();
  const report = await collectHealth(run, reads, status, now);
  // The daily check is one of the runs that records which drives were seen (apply is the other).
  if (opts.notify) await noteDrivesSeen(run, createHost('real'), now);
  if (opts.json) {
    process.stdout.write(renderCheckJson(report));
  } else {
    process.stderr.write(style.dim(`Using ${run.loaded.file} (${run.configSource})\n`));
    process.stdout.write(renderCheckText(report, style, outputColumns(process.stdout, process.env)));
  }
  return report.exitCode;
}
