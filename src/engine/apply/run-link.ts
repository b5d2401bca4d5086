import path from 'node:path';
import { ProvisionError } from '../../errors.js';
import { tempLinkName } from '../journal/temp-names.js';
import type { Step } from '../types.js';
import type { StepContext } from './step-context.js';

type LinkStep = Extract<Step, { op: 'link' }>;

/**
 * Puts a link in place atomically: it is made under a temporary name beside its final place
 * and renamed over it, so at no instant is there neither the old thing nor the new link. An
 * empty folder in the way is removed with rmdir, which refuses if anything appeared in it.
 */
export async function runLink(ctx: StepContext, step: LinkStep, id: string): Promise<void> {
  const { host } = ctx;
  const st = await host.lstat(step.path);
  const now = st === undefined ? 'absent' : st.kind === 'symlink' ? 'symlink' : st.kind === 'directory' ? 'empty-directory' : 'other';
  // Something gone since the plan is no obstacle: the link simply takes the free place.
  if (now !== step.replaces && now !== 'absent') {
    throw new ProvisionError('PLAN_STALE', `${step.path} changed since the plan (expected ${step.replaces}, found ${now})`, {
      hint: 'run provision plan again',
    });
  }
  if (now === 'empty-directory') {
    try {
      await host.rmdir(step.path);
    } catch (e) {
      throw new ProvisionError('PLAN_STALE', `${step.path} is no longer empty: something was written into it since the plan`, {
        hint: 'run provision plan again; its contents will be moved to the drive',
        cause: e,
      });
    }
  }
  await placeLink(ctx, step, id);
}

/** Creates target at a temporary name and renames it to step.path (replacing a link there). */
export async function placeLink(
  ctx: StepContext,
  step: { path: string; target: string; type: 'symlink' | 'junction'; owner?: { uid: number; gid: number } },
  id: string,
): Promise<void> {
  const { host } = ctx;
  const tmp = path.join(path.dirname(step.path), tempLinkName(path.basename(step.path), id));
  if ((await host.lstat(tmp)) !== undefined) await host.unlink(tmp);
  await host.link(step.target, tmp, step.type);
  if (step.owner) await host.chown(tmp, step.owner.uid, step.owner.gid);
  await host.rename(tmp, step.path);
}
