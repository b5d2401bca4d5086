import { needsAttention } from '../../engine/status/status-types.js';
import { noteRunningApply } from '../apply-running-note.js';
import { createHost } from '../../host/create-host.js';
import { renderStatusJson } from '../views/status-json.js';
import { renderStatusText } from '../views/status-text.js';
import type { Style } from '../../text/style.js';
import { outputColumns } from '../output-width.js';
import { openSession, type CommonOptions } from '../../app/session.js';
import { computeStatus } from '../../app/status.js';
import { collectHealth } from '../../watch/collect-health.js';

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
  const run = await openSession(opts, reads);
  const report = await computeStatus(run, reads);
  const health = await collectHealth(run, reads, report, report.generatedAt);
  await noteRunningApply(reads, run, style);
  if (opts.json) {
    process.stdout.write(renderStatusJson(report, health.findings));
  } else {
    process.stderr.write(style.dim(`Using ${run.loaded.file} (${run.configSource})\n`));
    process.stdout.write(renderStatusText(report, style, outputColumns(process.stdout, process.env), health.findings));
  }
  return opts.detailedExitcode === true && needsAttention(report) ? 2 : 0;
}
