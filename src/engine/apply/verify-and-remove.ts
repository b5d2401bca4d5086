import type { CompareOptions } from '../../host/host.js';
import type { DataVolume } from '../types.js';
import type { StepContext } from './step-context.js';

/**
 * Checks a finished copy against its original, reporting progress as "verifying": sizes and
 * entries always, the bytes of the files `contentFor` names (a library's databases) always, and
 * every byte when the user asked for it (apply --verify content).
 */
export async function verifyCopy(
  ctx: StepContext,
  original: string,
  copy: string,
  skipTop: readonly string[],
  volume: DataVolume,
  options: Pick<CompareOptions, 'contentFor' | 'onCopyEntry' | 'originalAttributes'> = {},
): Promise<string | undefined> {
  const activity = ctx.verifyContent === true ? 'verifying every byte' : 'verifying';
  const report = (files: number, bytes: number): void =>
    ctx.onProgress?.({ activity, files, bytes, totalFiles: volume.files, totalBytes: volume.bytes });
  report(0, 0);
  return ctx.host.compareTrees(original, copy, {
    ...options,
    skipTop,
    content: ctx.verifyContent === true,
    onProgress: (p) => report(p.files, p.bytes),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
}

/** Removes a put-aside tree, counting its files as progress (removal takes about as long as the copy). */
export async function removeWithProgress(ctx: StepContext, path: string, activity: string, volume: DataVolume): Promise<void> {
  // Files only: bytes are not counted while removing, so the line shows files.
  const report = (files: number): void => ctx.onProgress?.({ activity, files, bytes: 0, totalFiles: volume.files, totalBytes: 0 });
  report(0);
  await ctx.host.removeTree(path, { onProgress: (p) => report(p.files) });
}
