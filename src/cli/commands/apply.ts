import { Listr } from 'listr2';
import { ProvisionError } from '../../errors.js';
import { createHost } from '../../host/create-host.js';
import { Journal, readJournals } from '../../engine/journal.js';
import { applyChange } from '../../engine/apply-change.js';
import { pendingChanges, type Plan } from '../../engine/types.js';
import type { StepProgress } from '../../engine/steps/step-context.js';
import { countActions } from '../../render/summary.js';
import { renderPlanText } from '../../render/plan-text.js';
import { ACTION_SYMBOL } from '../../render/symbols.js';
import type { Style } from '../../render/style.js';
import { formatBytes } from '../../render/units.js';
import { confirm } from '../confirm.js';
import type { CommonOptions } from '../run-context.js';
import { computePlan } from './plan.js';

export interface ApplyOptions extends CommonOptions {
  yes?: boolean;
}

/**
 * Plans again, refuses a plan with blockers, asks (or needs --yes), then carries the changes
 * out. Interrupted moves are finished first; then everything is planned again and applied, so
 * one apply converges. Ctrl-C stops at the next safe point.
 */
export async function applyCommand(opts: ApplyOptions, style: Style): Promise<number> {
  const reads = createHost('read-only');
  const host = createHost('real');
  const controller = new AbortController();
  const onSigint = (): void => {
    process.stderr.write('\nStopping at the next safe point; the original data stays where it is...\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    let confirmed = false;
    for (let round = 0; round < 3; round++) {
      const { run, plan } = await computePlan(opts, reads);
      if (round === 0) process.stderr.write(style.dim(`Using ${run.loaded.file} (${run.configSource})\n`));
      const todo = pendingChanges(plan);
      if (round === 0 || todo.length > 0) process.stdout.write(renderPlanText(plan, style));
      if (countActions(plan).blocked > 0) {
        throw new ProvisionError('PLAN_BLOCKED', 'the plan is blocked: nothing was changed', { hint: 'fix what the plan says is blocked, then run apply again' });
      }
      if (todo.length === 0) {
        if (round > 0) process.stdout.write(style.bold('Apply complete. Everything is as declared.\n'));
        return 0;
      }
      if (!confirmed) {
        confirmed = await askToGoAhead(opts, plan);
        if (!confirmed) throw new ProvisionError('DECLINED', 'apply cancelled: nothing was changed');
      }
      const journal = new Journal(host, run.journalDirs.write);
      const pending = new Map((await readJournals(reads, run.journalDirs.read)).map((e) => [e.id, e]));
      const byId = new Map(run.resources.map((r) => [r.id, r]));
      await runTasks(todo, (change, onProgress) =>
        applyChange(change, byId.get(change.id), { host, observer: reads, journal, pending, signal: controller.signal, onProgress }),
      );
    }
    throw new ProvisionError('IO', 'apply did not converge after three rounds', { hint: 'run provision plan to see what keeps changing' });
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function askToGoAhead(opts: ApplyOptions, plan: Plan): Promise<boolean> {
  if (opts.yes) return true;
  if (!process.stdin.isTTY) {
    throw new ProvisionError('NEEDS_YES', 'apply needs confirmation, and there is no terminal to ask on', {
      hint: 'review the plan above, then run again with --yes',
    });
  }
  return confirm(`Apply these ${pendingChanges(plan).length} change(s) to ${plan.machine}?`);
}

type Runner = (change: Plan['changes'][number], onProgress: (p: StepProgress) => void) => Promise<void>;

/** One listr2 task per change: a live bar on a terminal, a plain line per step elsewhere. */
async function runTasks(changes: Plan['changes'], run: Runner): Promise<void> {
  const live = process.stdout.isTTY === true && !process.env['CI'];
  const tasks = new Listr(
    changes.map((change) => ({
      title: `${ACTION_SYMBOL[change.action]} ${change.user === undefined ? '' : `${change.user}: `}${change.title}`,
      task: async (_: unknown, task: { output: string }) => {
        let last = 0;
        await run(change, (p) => {
          // Off a terminal, a progress line every few seconds is plenty for a log.
          const now = Date.now();
          if (!live && now - last < 3000 && p.activity === 'copying') return;
          last = now;
          task.output = progressLine(p);
        });
      },
    })),
    {
      concurrent: false,
      exitOnError: true,
      // listr2 would exit the process on Ctrl-C; apply stops at the next safe point instead.
      registerSignalListeners: false,
      renderer: live ? 'default' : 'simple',
      rendererOptions: live ? { collapseSubtasks: false } : {},
    },
  );
  await tasks.run();
}

function progressLine(p: StepProgress): string {
  if (p.totalBytes === 0) return p.activity;
  const pct = Math.min(100, Math.floor((p.bytes / p.totalBytes) * 100));
  return `${p.activity}: ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)} (${pct}%), ${p.files.toLocaleString('en-US')} of ${p.totalFiles.toLocaleString('en-US')} files`;
}
