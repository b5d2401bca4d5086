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

/**
 * Creates the link at a temporary name and renames it to step.path, replacing a link there.
 * On POSIX the rename replaces the old link atomically. Windows cannot: a junction is a
 * directory, and rename (MoveFileExW with MOVEFILE_REPLACE_EXISTING) refuses to replace one
 * (docs/platform-facts.md, "Windows links"). So a junction is swapped in three renames: the old
 * junction is moved aside under a temporary name, the new one takes its place, then the old
 * reparse point is removed (unlink removes only the link, never what it points at). Should the
 * second rename fail, the old junction is put back. A run cut off in between leaves only links
 * under provision's temporary names, which hold no data; the next run removes them here.
 */
export async function placeLink(
  ctx: StepContext,
  step: { path: string; target: string; type: 'symlink' | 'junction'; owner?: { uid: number; gid: number } },
  id: string,
): Promise<void> {
  const { host } = ctx;
  const dir = path.dirname(step.path);
  const base = path.basename(step.path);
  const tmp = path.join(dir, tempLinkName(base, id));
  const previous = path.join(dir, tempLinkName(`${base}.previous`, id));
  for (const leftover of [tmp, previous]) await removeOwnLink(ctx, leftover);
  await host.link(step.target, tmp, step.type);
  if (step.owner) await host.chown(tmp, step.owner.uid, step.owner.gid);
  const there = await host.lstat(step.path);
  if (step.type !== 'junction' || there?.kind !== 'symlink') {
    await host.rename(tmp, step.path);
    return;
  }
  await host.rename(step.path, previous);
  try {
    await host.rename(tmp, step.path);
  } catch (e) {
    // Put the old junction back: the folder keeps working as before, and the error is reported.
    if ((await host.lstat(step.path)) === undefined) await host.rename(previous, step.path);
    throw e;
  }
  await host.unlink(previous);
}

/** Removes a temporary link of provision's left by an earlier run: only ever a link, never a folder. */
async function removeOwnLink(ctx: StepContext, p: string): Promise<void> {
  const st = await ctx.host.lstat(p);
  if (st === undefined) return;
  if (st.kind !== 'symlink') {
    throw new ProvisionError('PLAN_STALE', `${p} is in the way of the link and is not a link provision left`, {
      hint: `look at ${p}, move it away, and run provision apply again`,
    });
  }
  await ctx.host.unlink(p);
}
