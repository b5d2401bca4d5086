import os from 'node:os';
import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import { isProvisionError, ProvisionError } from '../../errors.js';
import { createHost } from '../../host/create-host.js';
import type { HostReads } from '../../host/host.js';
import { RecordingReads } from '../../host/recording-reads.js';
import { Journal, readJournals } from '../../engine/journal/journal.js';
import { applyChange } from '../../engine/apply/apply-change.js';
import { acquireApplyLock, lockPath, type ApplyLock } from '../../engine/lock/apply-lock.js';
import type { BoundResource } from '../../engine/kind.js';
import { pendingChanges, type Change, type Plan } from '../../engine/types.js';
import type { StepProgress } from '../../engine/apply/step-context.js';
import { renderApplyJson, type ApplyReport, type ChangeOutcome } from '../views/apply-json.js';
import { countActions } from '../views/summary.js';
import { renderPlanText } from '../views/plan-text.js';
import { ProgressMeter } from '../views/progress-line.js';
import { ACTION_SYMBOL } from '../views/symbols.js';
import type { Style } from '../../text/style.js';
import { confirm } from '../confirm.js';
import { terminalWidth } from '../output-width.js';
import { createRunContext, type CommonOptions, type RunContext } from '../../app/session.js';
import { staleReasons, type SavedPlanDoc } from '../../app/saved-plan.js';
import { provisionVersion } from '../version.js';

/** A plan, with the context it was made in and the resources its changes came from. */
export interface PlannedRun {
  run: RunContext;
  plan: Plan;
  /** Observed and planned again right before each change, to catch a stale plan. */
  resources: readonly BoundResource[];
}

/** What apply and restore tell runChanges. */
export interface ChangeRun {
  /** The command, for messages: "apply" or "restore". */
  verb: 'apply' | 'restore';
  /** The command's options, to find the machine whose lock is taken before planning. */
  options: CommonOptions;
  /** Do not ask for confirmation. */
  yes?: boolean;
  /** Compare every copied byte with the original before it goes (--verify content). */
  verifyContent?: boolean;
  /** Show the plan and stop: exit 0, or 1 when anything is blocked. */
  dryRun?: boolean;
  /** Print the result as JSON on stdout (everything for people goes to stderr then). */
  json?: boolean;
  /**
   * A plan saved with plan --out: the first round must find the world exactly as it was saved,
   * needs no confirmation (the saved plan is what was reviewed), and nothing beyond it is applied.
   */
  saved?: SavedPlanDoc;
  /** Observes and plans on the read-only host; called again for each round. */
  plan(reads: HostReads): Promise<PlannedRun>;
  /** Printed under the first plan and again when done (restore's reminder); '' for nothing. */
  notes?(first: PlannedRun): string;
  /** The line printed when everything was carried out. */
  doneMessage: string;
}

/**
 * The one place where changes are carried out, for apply and restore alike: show the plan,
 * refuse it when anything is blocked, ask (or need --yes), then run the changes one by one
 * with live progress. Interrupted moves are finished first; then everything is planned again
 * and carried out, so one run converges. Ctrl-C stops at the next safe point. With --json,
 * one JSON document (cli/views/apply-json.ts) is printed on stdout whatever happens.
 */
export async function runChanges(spec: ChangeRun, style: Style): Promise<number> {
  const report: ApplyReport = { command: spec.verb, outcomes: [] };
  try {
    const code = await carryOut(spec, style, report);
    if (spec.json) process.stdout.write(renderApplyJson(report));
    return code;
  } catch (e) {
    if (spec.json && isProvisionError(e)) process.stdout.write(renderApplyJson({ ...report, error: e }));
    throw e;
  }
}

async function carryOut(spec: ChangeRun, style: Style, report: ApplyReport): Promise<number> {
  // Text for people: stdout, or stderr when stdout carries the JSON.
  const say = (text: string): void => {
    (spec.json ? process.stderr : process.stdout).write(text);
  };
  const reads = createHost('read-only');
  const host = createHost('real');
  const controller = new AbortController();
  const onSigint = (): void => {
    process.stderr.write('\nStopping at the next safe point; the original data stays where it is...\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let lock: ApplyLock | undefined;
  try {
    // One apply at a time per machine root, taken before planning: a plan made while another
    // apply is moving data would mistake its move in progress for an interrupted one.
    if (!spec.dryRun) {
      const where = await createRunContext(spec.options, reads);
      lock = await acquireApplyLock(host, lockPath(where.ctx.platform, where.ctx.paths.toHost), {
        command: `provision ${spec.verb}`,
        user: os.userInfo().username,
        ...(where.ctx.paths.root === undefined ? {} : { root: where.ctx.paths.root }),
      });
    }
    let confirmed = spec.saved !== undefined;
    let notes = '';
    for (let round = 0; round < 3; round++) {
      const planned = round === 0 && spec.saved !== undefined ? await planAsSaved(spec, spec.saved, reads) : await spec.plan(reads);
      const { run, plan } = planned;
      if (round === 0) {
        report.plan = plan;
        process.stderr.write(style.dim(`Using ${run.loaded.file} (${spec.saved === undefined ? run.configSource : 'named by the saved plan'})\n`));
      }
      const todo = pendingChanges(plan);
      if (round > 0 && spec.saved !== undefined && todo.length > 0) {
        // The saved plan is done; what is planned now was not reviewed, so it is not applied.
        say(style.bold(`The saved plan was applied. ${todo.length} more change(s) are planned now, which it did not hold: run provision plan to see them.\n`));
        return 0;
      }
      if (round === 0 || todo.length > 0) say(renderPlanText(plan, style, terminalWidth(spec.json ? process.stderr : process.stdout)));
      if (round === 0) {
        notes = spec.notes?.(planned) ?? '';
        if (notes !== '') say(`\n${style.yellow(notes)}`);
      }
      if (countActions(plan).blocked > 0) {
        throw new ProvisionError('PLAN_BLOCKED', 'the plan is blocked: nothing was changed', {
          hint: `fix what the plan says is blocked, then run ${spec.verb} again`,
        });
      }
      if (spec.dryRun) return 0;
      if (todo.length === 0) {
        if (round > 0) {
          say(style.bold(`${spec.doneMessage}\n`));
          if (notes !== '') say(`\n${style.yellow(notes)}`);
        }
        return 0;
      }
      if (!confirmed) {
        confirmed = await askToGoAhead(spec, plan);
        if (!confirmed) throw new ProvisionError('DECLINED', `${spec.verb} cancelled: nothing was changed`);
      }
      const journal = new Journal(host, run.journalDirs);
      const pending = new Map((await readJournals(reads, run.journalDirs.read)).entries.map((e) => [e.id, e]));
      const byId = new Map(planned.resources.map((r) => [r.id, r]));
      await runTasks(todo, spec.json === true, report.outcomes, (change, hooks) =>
        applyChange(change, byId.get(change.id), {
          host,
          observer: reads,
          journal,
          pending,
          signal: controller.signal,
          onProgress: hooks.onProgress,
          onStart: hooks.onStart,
          verifyContent: spec.verifyContent === true,
        }),
      );
    }
    throw new ProvisionError('IO', `${spec.verb} did not converge after three rounds`, { hint: 'run provision plan to see what keeps changing' });
  } finally {
    await lock?.release();
    process.off('SIGINT', onSigint);
  }
}

/**
 * The first round of a saved plan: planned again through a recorder, and refused unless the
 * version, the declaration, every observation and the changes are what was saved.
 */
async function planAsSaved(spec: ChangeRun, saved: SavedPlanDoc, reads: HostReads): Promise<PlannedRun> {
  const recorder = new RecordingReads(reads);
  const planned = await spec.plan(recorder);
  const reasons = staleReasons(saved, {
    version: provisionVersion(),
    declarationSha256: planned.run.loaded.sha256,
    observations: recorder.observations(),
    changes: planned.plan.changes,
  });
  if (reasons.length > 0) {
    const shown = reasons.slice(0, 10).map((r) => `\n  - ${r}`).join('');
    const more = reasons.length > 10 ? `\n  - and ${reasons.length - 10} more` : '';
    throw new ProvisionError('PLAN_STALE', `the saved plan is stale: ${reasons.length === 1 ? 'this has' : 'these have'} changed since it was made:${shown}${more}`, {
      hint: 'nothing was changed; make a new plan with provision plan --out FILE, review it, and apply that',
    });
  }
  return planned;
}

async function askToGoAhead(spec: ChangeRun, plan: Plan): Promise<boolean> {
  if (spec.yes) return true;
  if (!process.stdin.isTTY) {
    throw new ProvisionError('NEEDS_YES', `${spec.verb} needs confirmation, and there is no terminal to ask on`, {
      hint: 'review the plan above, then run again with --yes (or save it with plan --out FILE and apply FILE)',
    });
  }
  const n = pendingChanges(plan).length;
  return confirm(spec.verb === 'apply' ? `Apply these ${n} change(s) to ${plan.machine}?` : `Restore these ${n} change(s) on ${plan.machine}?`);
}

type Runner = (change: Change, hooks: { onProgress: (p: StepProgress) => void; onStart: () => void }) => Promise<void>;

/**
 * One listr2 task per change: a live bar on a terminal, a plain line per step elsewhere (with
 * --json, on stderr). Each change's outcome is recorded in `outcomes` as it goes.
 */
async function runTasks(changes: Change[], json: boolean, outcomes: ChangeOutcome[], run: Runner): Promise<void> {
  const stream = json ? process.stderr : process.stdout;
  const live = stream.isTTY === true && !process.env['CI'];
  const mine = changes.map((change): ChangeOutcome => ({ change, outcome: 'not-run', started: false }));
  outcomes.push(...mine);
  const logger = json ? new ListrLogger({ useIcons: true, toStderr: [], processOutput: new ProcessOutput(process.stderr, process.stderr) }) : undefined;
  const tasks = new Listr(
    mine.map((o) => ({
      title: `${ACTION_SYMBOL[o.change.action]} ${o.change.user === undefined ? '' : `${o.change.user}: `}${o.change.title}`,
      task: async (_: unknown, task: { output: string }) => {
        let last = 0;
        const meter = new ProgressMeter();
        try {
          await run(o.change, {
            onStart: () => {
              o.started = true;
            },
            onProgress: (p) => {
              // Off a terminal, a progress line every few seconds is plenty for a log; the meter
              // still sees every report, for its rate.
              const now = Date.now();
              const text = meter.line(p, now, live ? stream.columns : undefined);
              if (!live && now - last < 3000 && p.files > 0) return;
              last = now;
              task.output = text;
            },
          });
          o.outcome = 'applied';
        } catch (e) {
          o.outcome = 'failed';
          if (isProvisionError(e)) o.error = e;
          throw e;
        }
      },
    })),
    {
      concurrent: false,
      exitOnError: true,
      // listr2 would exit the process on Ctrl-C; apply stops at the next safe point instead.
      registerSignalListeners: false,
      renderer: live ? 'default' : 'simple',
      rendererOptions: { ...(live ? { collapseSubtasks: false } : {}), ...(logger === undefined ? {} : { logger }) },
    },
  );
  await tasks.run();
}
