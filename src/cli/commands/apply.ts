import type { Style } from '../../render/style.js';
import type { CommonOptions } from '../run-context.js';
import { computePlan } from './plan.js';
import { runChanges } from './run-changes.js';

export interface ApplyOptions extends CommonOptions {
  yes?: boolean;
  /** How copies are verified: size (the default) or content (every byte). */
  verify?: 'size' | 'content';
}

/**
 * Plans again, refuses a plan with blockers, asks (or needs --yes), then carries the changes
 * out (see run-changes.ts, shared with restore).
 */
export async function applyCommand(opts: ApplyOptions, style: Style): Promise<number> {
  return runChanges(
    {
      verb: 'apply',
      options: opts,
      ...(opts.yes ? { yes: true } : {}),
      ...(opts.verify === 'content' ? { verifyContent: true } : {}),
      plan: (reads) => computePlan(opts, reads),
      doneMessage: 'Apply complete. Everything is as declared.',
    },
    style,
  );
}
