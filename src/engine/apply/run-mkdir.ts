import { ProvisionError } from '../../errors.js';
import type { Step } from '../types.js';
import type { StepContext } from './step-context.js';

/** Creates one folder with an exact mode and owner; a folder already there is left as it is. */
export async function runMkdir(ctx: StepContext, step: Extract<Step, { op: 'mkdir' }>): Promise<void> {
  const st = await ctx.host.lstat(step.path);
  if (st?.kind === 'directory') return;
  if (st !== undefined) {
    throw new ProvisionError('PLAN_STALE', `${step.path} appeared since the plan and is not a folder`, {
      hint: 'run provision plan again and look at what is there',
    });
  }
  await ctx.host.mkdir(step.path, step.mode);
  if (step.owner) await ctx.host.chown(step.path, step.owner.uid, step.owner.gid);
}
