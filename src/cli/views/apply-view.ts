import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import { ProvisionError } from '../../errors.js';
import type { ApplyView } from '../../app/apply.js';
import type { StepProgress } from '../../engine/apply/step-context.js';
import { pendingChanges, type Change, type Plan } from '../../engine/types.js';
import type { Style } from '../../text/style.js';
import { confirm } from '../confirm.js';
import { terminalWidth } from '../output-width.js';
import { renderPlanText } from './plan-text.js';
import { ProgressMeter } from './progress-line.js';
import { ACTION_SYMBOL } from './symbols.js';

/**
 * Apply and restore for people: the plan as text, the question on the terminal, and one listr2
 * task per change (a live bar on a terminal, a plain line per step elsewhere). With --json the
 * text goes to stderr, so that stdout carries only the JSON document.
 */
export function textApplyView(verb: 'apply' | 'restore', style: Style, json: boolean): ApplyView {
  const stream = json ? process.stderr : process.stdout;
  const say = (text: string): void => {
    stream.write(text);
  };
  return {
    using: (file, how) => process.stderr.write(style.dim(`Using ${file} (${how})\n`)),
    showPlan: (plan) => say(renderPlanText(plan, style, terminalWidth(stream))),
    showNotes: (text) => say(`\n${style.yellow(text)}`),
    say: (text) => say(style.bold(`${text}\n`)),
    confirm: (plan) => askToGoAhead(verb, plan),
    carryOut: (changes, run) => runTasks(changes, json, run),
  };
}

async function askToGoAhead(verb: 'apply' | 'restore', plan: Plan): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new ProvisionError('NEEDS_YES', `${verb} needs confirmation, and there is no terminal to ask on`, {
      hint: 'review the plan above, then run again with --yes (or save it with plan --out FILE and apply FILE)',
    });
  }
  const n = pendingChanges(plan).length;
  return confirm(verb === 'apply' ? `Apply these ${n} change(s) to ${plan.machine}?` : `Restore these ${n} change(s) on ${plan.machine}?`);
}

type Runner = (change: Change, onProgress: (p: StepProgress) => void) => Promise<void>;

/** One listr2 task per change, stopping at the first that fails. */
async function runTasks(changes: readonly Change[], json: boolean, run: Runner): Promise<void> {
  const stream = json ? process.stderr : process.stdout;
  const live = stream.isTTY === true && !process.env['CI'];
  const logger = json ? new ListrLogger({ useIcons: true, toStderr: [], processOutput: new ProcessOutput(process.stderr, process.stderr) }) : undefined;
  const tasks = new Listr(
    changes.map((change) => ({
      title: `${ACTION_SYMBOL[change.action]} ${change.user === undefined ? '' : `${change.user}: `}${change.title}`,
      task: async (_: unknown, task: { output: string }) => {
        let last = 0;
        const meter = new ProgressMeter();
        await run(change, (p) => {
          // Off a terminal, a progress line every few seconds is plenty for a log; the meter
          // still sees every report, for its rate.
          const now = Date.now();
          const text = meter.line(p, now, live ? stream.columns : undefined);
          if (!live && now - last < 3000 && p.files > 0) return;
          last = now;
          task.output = text;
        });
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
