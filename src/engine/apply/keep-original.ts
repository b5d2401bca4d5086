import path from 'node:path';
import { ProvisionError } from '../../errors.js';
import type { EntryFacts, RelocateStep } from '../journal/journal.js';
import { writeKeptRecord } from '../kept/kept-record.js';
import type { StepContext } from './step-context.js';

/**
 * The end of a move that keeps its original (RelocateStep.keepOriginal): once the link is in
 * place, the original, already aside and proven to have its copy on the right drive, gets a
 * record of the move written into it and is renamed to a name its owner recognises. Re-run
 * after a crash it writes the record again; once renamed, the aside name is gone and this is
 * not called. Nothing of the original is removed here.
 */
export async function keepOriginal(ctx: StepContext, s: RelocateStep, facts: EntryFacts, aside: string): Promise<void> {
  const keep = s.keepOriginal;
  if (keep === undefined) return;
  const { host } = ctx;
  const kept = await freeName(ctx, path.join(path.dirname(s.source), keep.as));
  await writeKeptRecord(host, aside, {
    version: 1,
    keptAt: new Date().toISOString(),
    user: ctx.change.user ?? '',
    title: ctx.change.title,
    movedTo: s.dest,
    link: s.link.path,
    linkTarget: s.link.target,
    entries: [...s.entries],
    volume: s.volume,
    ...(facts.drive === undefined ? {} : { drive: facts.drive }),
    context: { ...(keep.context ?? {}) },
  });
  await host.rename(aside, kept);
  await host.flush(path.dirname(kept));
}

/** `wanted`, or `wanted 2`, `wanted 3`...: an earlier kept original of the same name is never replaced. */
async function freeName(ctx: StepContext, wanted: string): Promise<string> {
  for (let n = 1; n < 100; n++) {
    const candidate = n === 1 ? wanted : `${wanted} ${n}`;
    if ((await ctx.host.lstat(candidate)) === undefined) return candidate;
  }
  throw new ProvisionError('KEPT_NAME_TAKEN', `${wanted} and 98 numbered names beside it are all taken, so the original is left where it was put aside`, {
    hint: `remove the kept originals you no longer need from ${path.dirname(wanted)} and run provision apply again`,
  });
}
