import path from 'node:path';
import { ProvisionError } from '../../errors.js';
import type { Style } from '../../text/style.js';
import type { CommonOptions } from '../../app/session.js';
import { readSavedPlan, type SavedOptions } from '../../app/saved-plan.js';
import { computePlan } from '../../app/plan.js';
import { runChanges } from './run-changes.js';

export interface ApplyOptions extends CommonOptions {
  yes?: boolean;
  /** How copies are verified: size (the default) or content (every byte). */
  verify?: 'size' | 'content';
  json?: boolean;
  /** Set by the scheduled job. */
  scheduled?: boolean;
}

/**
 * Plans again, refuses a plan with blockers, asks (or needs --yes), then carries the changes
 * out (see run-changes.ts, shared with restore). Given a plan saved with plan --out, applies
 * exactly that plan, with the options it was made with, or refuses it as stale.
 */
export async function applyCommand(planFile: string | undefined, opts: ApplyOptions, style: Style): Promise<number> {
  if (opts.scheduled === true && planFile === undefined && opts.json !== true) {
    return (await import('./scheduled-apply.js')).scheduledApply({ ...opts, scheduled: true }, opts.verify, style);
  }
  const saved = planFile === undefined ? undefined : await readSavedPlan(path.resolve(planFile));
  const given: CommonOptions = saved === undefined ? opts : optionsOfSavedPlan(saved.saved.options, opts, planFile ?? '');
  const options: CommonOptions = opts.scheduled === true ? { ...given, scheduled: true } : given;
  return runChanges(
    {
      verb: 'apply',
      options,
      ...(opts.yes ? { yes: true } : {}),
      ...(opts.verify === 'content' ? { verifyContent: true } : {}),
      ...(opts.json ? { json: true } : {}),
      ...(saved === undefined ? {} : { saved }),
      plan: (run, reads) => computePlan(run, reads),
      doneMessage: 'Apply complete. Everything is as declared.',
    },
    style,
  );
}

/**
 * A saved plan carries the options it was made with. One given again on the command line must
 * say the same (a path may be written differently): a different machine or user is refused
 * rather than silently ignored.
 */
function optionsOfSavedPlan(saved: SavedOptions, given: CommonOptions, planFile: string): CommonOptions {
  const same = (a: string, b: string, isPath: boolean): boolean => (isPath ? path.resolve(a) === path.resolve(b) : a === b);
  const checks: ['config' | 'machine' | 'user' | 'root', string, string | undefined, boolean][] = [
    ['config', '-c', saved.config, true],
    ['machine', '--machine', saved.machine, false],
    ['user', '--user', saved.user, false],
    ['root', '--root', saved.root, true],
  ];
  for (const [key, flag, was, isPath] of checks) {
    const now = given[key];
    if (now === undefined) continue;
    if (was === undefined || !same(now, was, isPath)) {
      throw new ProvisionError('USAGE', `${flag} ${now} differs from the saved plan ${planFile}, which was made ${was === undefined ? `without ${flag}` : `with ${flag} ${was}`}`, {
        hint: 'a saved plan is applied with the options it was made with: leave the option out, or make a new plan',
      });
    }
  }
  return {
    config: saved.config,
    machine: saved.machine,
    ...(saved.user === undefined ? {} : { user: saved.user }),
    ...(saved.root === undefined ? {} : { root: saved.root }),
  };
}
