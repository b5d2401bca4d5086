import os from 'node:os';
import { noteDrivesSeen } from './drives-seen.js';
import { isProvisionError, ProvisionError } from '../errors.js';
import type { Host, HostReads } from '../host/host.js';
import { RecordingReads } from '../host/recording-reads.js';
import { RoundReads } from '../host/round-reads.js';
import { Journal, readJournals } from '../engine/journal/journal.js';
import { applyChange } from '../engine/apply/apply-change.js';
import { acquireApplyLock, lockPath, type ApplyLock } from '../engine/lock/apply-lock.js';
import { pendingChanges, type Change, type Plan } from '../engine/types.js';
import type { StepProgress } from '../engine/apply/step-context.js';
import { STEP_RUNNERS } from '../kinds/registry.js';
import type { PlannedRun } from './plan.js';
import { staleReasons, type SavedPlanDoc } from './saved-plan.js';
import type { Session } from './session.js';
import { provisionVersion } from './version.js';

/** What became of one change apply (or restore) set out to make. */
export interface ChangeOutcome {
  change: Change;
  /** applied: carried out; failed: stopped with an error; not-run: an earlier change failed, or apply was stopped. */
  outcome: 'applied' | 'failed' | 'not-run';
  /** Whether it had begun to write (a failed change may have created a folder before it stopped). */
  started: boolean;
  error?: ProvisionError;
}

/** Everything `apply --json` reports: see schemas/apply.schema.json. */
export interface ApplyReport {
  command: 'apply' | 'restore';
  /** The first plan, as made before anything was changed; undefined when apply stopped before planning. */
  plan?: Plan;
  outcomes: ChangeOutcome[];
  error?: ProvisionError;
}

/**
 * Everything apply and restore show or ask, so that the apply use case never writes to a
 * terminal itself (cli/views/apply-view.ts is the text one, with listr2's progress display).
 */
export interface ApplyView {
  /** The declaration in use: where it is and how it was found. */
  using(file: string, how: string): void;
  /** A plan about to be carried out: the first one, and each later round's that has something to do. */
  showPlan(plan: Plan): void;
  /** Notes under the first plan, and again when done (restore's reminder). */
  showNotes(text: string): void;
  /** A line for people, in bold. */
  say(text: string): void;
  /** Whether to go ahead with the plan's changes; false: declined. */
  confirm(plan: Plan): Promise<boolean>;
  /**
   * Carries out the changes in order with a progress display: `run` does one change and reports
   * its progress. Stops at the first that fails, with its error.
   */
  carryOut(changes: readonly Change[], run: (change: Change, onProgress: (p: StepProgress) => void) => Promise<void>): Promise<void>;
}

/** What apply and restore ask of runApply. */
export interface ApplyRequest {
  /** The command, for messages: "apply" or "restore". */
  verb: 'apply' | 'restore';
  /** Do not ask for confirmation. */
  yes?: boolean;
  /** Compare every copied byte with the original before it goes (--verify content). */
  verifyContent?: boolean;
  /** Show the plan and stop: exit 0, or PLAN_BLOCKED when anything is blocked. */
  dryRun?: boolean;
  /**
   * A plan saved with plan --out: the first round must find the world exactly as it was saved,
   * needs no confirmation (the saved plan is what was reviewed), and nothing beyond it is applied.
   */
  saved?: SavedPlanDoc;
  /** Observes and plans on the read-only host; called again for each round. */
  plan(run: Session, reads: HostReads): Promise<PlannedRun>;
  /** Shown under the first plan and again when done (restore's reminder); '' for nothing. */
  notes?(first: PlannedRun): string;
  /** The line said when everything was carried out. */
  doneMessage: string;
  /** Stops at the next safe point (Ctrl-C). */
  signal: AbortSignal;
}

/**
 * The one place where changes are carried out, for apply and restore alike: show the plan,
 * refuse it when anything is blocked, ask (or need --yes), then run the changes one by one.
 * Interrupted moves are finished first; then everything is planned again and carried out, so
 * one run converges. One apply at a time per machine root. Every outcome goes into `report`,
 * whatever happens, for the JSON view.
 */
export async function runApply(
  run: Session,
  req: ApplyRequest,
  view: ApplyView,
  hosts: { reads: HostReads; host: Host },
  report: ApplyReport,
): Promise<void> {
  const { reads, host } = hosts;
  let lock: ApplyLock | undefined;
  // Set once the plan is accepted (not stale, not blocked, not declined): only then is the state
  // folder written. A refused apply changes nothing at all, not even the record of drives seen.
  let accepted = false;
  try {
    // One apply at a time per machine root, taken before planning: a plan made while another
    // apply is moving data would mistake its move in progress for an interrupted one.
    if (!req.dryRun) {
      lock = await acquireApplyLock(host, lockPath(run.ctx.platform, run.ctx.paths.toHost), {
        command: `provision ${req.verb}`,
        user: os.userInfo().username,
        ...(run.ctx.paths.root === undefined ? {} : { root: run.ctx.paths.root }),
      });
    }
    let confirmed = req.saved !== undefined;
    let notes = '';
    for (let round = 0; round < 3; round++) {
      // What the round's plan read is given again to the look at each change right before it
      // runs and, while recent, to the change's first steps (host/round-reads.ts); the checks
      // right before a destructive step read afresh through the Host.
      const roundReads = new RoundReads(reads);
      const planned = round === 0 && req.saved !== undefined ? await planAsSaved(run, req, req.saved, roundReads) : await req.plan(run, roundReads);
      const { plan } = planned;
      if (round === 0) {
        report.plan = plan;
        view.using(run.loaded.file, req.saved === undefined ? run.configSource : 'named by the saved plan');
      }
      const todo = pendingChanges(plan);
      if (round > 0 && req.saved !== undefined && todo.length > 0) {
        // The saved plan is done; what is planned now was not reviewed, so it is not applied.
        view.say(`The saved plan was applied. ${todo.length} more change(s) are planned now, which it did not hold: run provision plan to see them.`);
        return;
      }
      if (round === 0 || todo.length > 0) view.showPlan(plan);
      if (round === 0) {
        notes = req.notes?.(planned) ?? '';
        if (notes !== '') view.showNotes(notes);
      }
      if (plan.changes.some((c) => c.action === 'blocked')) {
        throw new ProvisionError('PLAN_BLOCKED', 'the plan is blocked: nothing was changed', {
          hint: `fix what the plan says is blocked, then run ${req.verb} again`,
        });
      }
      if (req.dryRun) return;
      if (todo.length === 0) {
        accepted = true;
        if (round > 0) {
          view.say(req.doneMessage);
          if (notes !== '') view.showNotes(notes);
        }
        return;
      }
      if (!confirmed) {
        confirmed = req.yes === true || (await view.confirm(plan));
        if (!confirmed) throw new ProvisionError('DECLINED', `${req.verb} cancelled: nothing was changed`);
      }
      accepted = true;
      await carryOutRound(run, req, view, { reads: roundReads, host }, planned, todo, report);
    }
    throw new ProvisionError('IO', `${req.verb} did not converge after three rounds`, { hint: 'run provision plan to see what keeps changing' });
  } finally {
    // Recorded last: written before planning it would change the state folder a saved plan
    // observed, and every saved plan applied on a new machine would be stale.
    if (lock !== undefined && accepted) await noteDrivesSeen(run, host, new Date());
    await lock?.release();
  }
}

/** One round's changes, each observed again right before it acts, its outcome recorded as it goes. */
async function carryOutRound(
  run: Session,
  req: ApplyRequest,
  view: ApplyView,
  { reads, host }: { reads: RoundReads; host: Host },
  planned: PlannedRun,
  todo: Change[],
  report: ApplyReport,
): Promise<void> {
  const journal = new Journal(host, run.journalDirs);
  const pending = new Map((await readJournals(reads, run.journalDirs.read)).entries.map((e) => [e.id, e]));
  const byId = new Map(planned.resources.map((r) => [r.id, r]));
  const outcomes = new Map(todo.map((change): [Change, ChangeOutcome] => [change, { change, outcome: 'not-run', started: false }]));
  report.outcomes.push(...outcomes.values());
  await view.carryOut(todo, async (change, onProgress) => {
    const o = outcomes.get(change);
    try {
      await applyChange(change, byId.get(change.id), {
        host,
        runners: STEP_RUNNERS,
        observer: reads,
        recent: reads.recent(),
        journal,
        pending,
        signal: req.signal,
        onProgress,
        onStart: () => {
          if (o !== undefined) o.started = true;
        },
        verifyContent: req.verifyContent === true,
      });
      if (o !== undefined) o.outcome = 'applied';
    } catch (e) {
      if (o !== undefined) {
        o.outcome = 'failed';
        if (isProvisionError(e)) o.error = e;
      }
      throw e;
    } finally {
      // What this change wrote may be what the next one looks at: read it afresh.
      reads.settle();
    }
  });
}

/**
 * The first round of a saved plan: planned again through a recorder, and refused unless the
 * version, the declaration, every observation and the changes are what was saved.
 */
async function planAsSaved(run: Session, req: ApplyRequest, saved: SavedPlanDoc, reads: HostReads): Promise<PlannedRun> {
  const recorder = new RecordingReads(reads);
  const planned = await req.plan(run, recorder);
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
