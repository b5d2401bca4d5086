import path from 'node:path';
import { noteRunningApply } from '../apply-running-note.js';
import { createHost } from '../../host/create-host.js';
import { computePlan } from '../../app/plan.js';
import { openSession, type CommonOptions } from '../../app/session.js';
import { provisionVersion } from '../../app/version.js';
import { terminalWidth } from '../output-width.js';
import { stderr, stdout } from '../std-output.js';
import { shellWord } from '../../text/shell-quote.js';
import { countActions } from '../views/summary.js';
import { renderPlanJson } from '../views/plan-json.js';
import { renderPlanText } from '../views/plan-text.js';
import type { Style } from '../../text/style.js';

export interface PlanOptions extends CommonOptions {
  detailedExitcode?: boolean;
  json?: boolean;
  /** Save the plan, with the fingerprint of what it observed, for apply FILE. */
  out?: string;
}

export async function planCommand(opts: PlanOptions, style: Style): Promise<number> {
  const reads = createHost('read-only');
  // A plan to be saved observes through a recorder: what it saw is its fingerprint.
  // The machine is found first, without it: apply FILE names the machine, so finding it again
  // (scutil) is not part of what must be unchanged.
  // Its code is loaded only then (docs/performance.md: what a converged plan loads).
  const recorder = opts.out === undefined ? undefined : new (await import('../../host/recording-reads.js')).RecordingReads(reads);
  const run = await openSession(opts, reads);
  const { plan } = await computePlan(run, recorder ?? reads);
  await noteRunningApply(reads, run, style);
  if (opts.json) {
    stdout.write(renderPlanJson(plan));
  } else {
    stderr.write(style.dim(`Using ${run.loaded.file} (${run.configSource})\n`));
    stdout.write(renderPlanText(plan, style, terminalWidth(stdout)));
  }
  if (recorder !== undefined && opts.out !== undefined) {
    const { savedMeta, writeSavedPlan } = await import('../../app/saved-plan.js');
    const saved = savedMeta(
      provisionVersion(),
      {
        config: run.loaded.file,
        machine: run.ctx.name,
        ...(opts.user === undefined ? {} : { user: opts.user }),
        ...(run.ctx.paths.root === undefined ? {} : { root: run.ctx.paths.root }),
      },
      { file: run.loaded.file, sha256: run.loaded.sha256 ?? '' },
      recorder.observations(),
    );
    const file = path.resolve(opts.out);
    await writeSavedPlan(file, renderPlanJson(plan, saved));
    const blocked = countActions(plan).blocked > 0;
    stderr.write(
      blocked
        ? style.yellow(`Saved the plan to ${file}, but it is blocked: apply will refuse it.\n`)
        : `Saved the plan to ${file}. Apply exactly this plan with: provision apply ${shellWord(file)}\n`,
    );
  }
  const n = countActions(plan);
  if (n.blocked > 0) return 1;
  const pending = n.create + n.update + n.relocate + n.resume > 0;
  return opts.detailedExitcode && pending ? 2 : 0;
}
