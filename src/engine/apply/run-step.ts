import { isCoreStep, type Step } from '../types.js';
import { runLink } from './run-link.js';
import { runMkdir } from './run-mkdir.js';
import { runRelocate } from './run-relocate.js';
import { runRestore } from './run-restore.js';
import { runRememberDrive } from './run-remember-drive.js';
import type { StepContext } from './step-context.js';

/**
 * Runs one step: the engine's own data-moving steps here; any other step goes to the runner its
 * change's kind registered (StepContext.runners, from kinds/registry.ts). The engine names no kind.
 */
export async function runStep(ctx: StepContext, step: Step, index: number): Promise<void> {
  if (!isCoreStep(step)) {
    const runner = ctx.runners.get(ctx.change.kind);
    if (runner === undefined || !runner.ops.includes(step.op)) throw new Error(`internal: no runner for step ${step.op} of kind ${ctx.change.kind}`);
    return runner.run(ctx, step);
  }
  switch (step.op) {
    case 'mkdir':
      return runMkdir(ctx, step);
    case 'link':
      return runLink(ctx, step, `${ctx.change.id.replace(/[^A-Za-z0-9._-]/g, '_')}.${index}`);
    case 'relocate':
      return runRelocate(ctx, step);
    case 'restore':
      return runRestore(ctx, step);
    case 'remember-drive':
      return runRememberDrive(ctx, step);
  }
}
