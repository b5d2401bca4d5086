import path from 'node:path';
import { ProvisionError } from '../../errors.js';
import { requireSameDrive } from '../../engine/apply/drive-check.js';
import type { StepContext } from '../../engine/apply/step-context.js';
import { KEPT_RECORD, readKeptRecord } from '../../engine/kept/kept-record.js';
import type { RemoveKeptOriginalStep } from './steps.js';

/** Finder's own file, which may appear in any folder the user opened: not part of the library. */
const FINDER_FILES = new Set(['.DS_Store']);

/**
 * Removes an original kept after a move, once its owner opened the moved library or confirmed
 * it. The plan's reasons are not trusted alone; right before anything goes: the record is still
 * there and names the same moved library, the link still leads there, the drive mounted is the
 * one the move went to, and every entry of the kept original is on it, of the same kind. The
 * kept folder may hold nothing the move did not (anything else stops it). Entries go first and
 * the record last, so a removal cut short is found and finished by the next apply.
 */
export async function runRemoveKept(ctx: StepContext, step: RemoveKeptOriginalStep): Promise<void> {
  const { host } = ctx;
  const keeps = `The original at ${step.kept} was not touched by this step.`;
  const read = await readKeptRecord(host, step.kept);
  if (!read.ok) {
    throw new ProvisionError('NOTHING_KEPT', `${step.kept} is no longer an original provision kept (${read.reason}). ${keeps}`, { hint: 'run provision plan again' });
  }
  const r = read.record;
  if (r.movedTo !== step.movedTo) {
    throw new ProvisionError('PLAN_STALE', `${step.kept} now says its library moved to ${r.movedTo}, not ${step.movedTo}. ${keeps}`, { hint: 'run provision plan again' });
  }
  const link = await host.lstat(r.link);
  const target = link?.kind === 'symlink' ? await host.readlink(r.link) : undefined;
  if (target !== r.linkTarget) {
    throw new ProvisionError('COPY_MISSING', `${r.link} no longer links to ${r.linkTarget}, the moved library, so the original kept at ${step.kept} stays. ${keeps}`, {
      hint: `if you moved the library back or elsewhere yourself, check it, then delete ${step.kept} yourself; otherwise run provision plan`,
    });
  }
  await requireSameDrive(host, r.drive, keeps);
  const inKept = (await host.readdir(step.kept)).filter((n) => n !== KEPT_RECORD);
  const moved = new Set(r.entries);
  const foreign = inKept.filter((n) => !moved.has(n) && !FINDER_FILES.has(n));
  if (foreign.length > 0) {
    throw new ProvisionError('PLAN_STALE', `${step.kept} holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ' and more' : ''}, which the move did not copy. ${keeps}`, {
      hint: `move what you added out of ${step.kept}, then run provision apply again`,
    });
  }
  for (const name of inKept) {
    if (!moved.has(name)) continue;
    const [kept, copy] = await Promise.all([host.lstat(path.join(step.kept, name)), host.lstat(path.join(r.movedTo, name))]);
    if (kept !== undefined && copy?.kind !== kept.kind) {
      throw new ProvisionError('COPY_MISSING', `${path.join(r.movedTo, name)} is ${copy === undefined ? 'not there' : `a ${copy.kind}`} on the drive, so the original kept at ${step.kept} stays. ${keeps}`, {
        hint: `connect drive ${r.drive?.name ?? 'that holds the library'} and run provision apply again; if the library on the drive was deleted, move ${step.kept} back to ${r.link} yourself`,
      });
    }
  }
  const report = (files: number): void => ctx.onProgress?.({ activity: 'removing the kept original', files, bytes: 0, totalFiles: step.volume.files, totalBytes: 0 });
  let done = 0;
  for (const name of inKept) {
    const before = done;
    let inThis = 0;
    await host.removeTree(path.join(step.kept, name), {
      onProgress: (p) => {
        inThis = p.files;
        report(before + p.files);
      },
    });
    done = before + inThis;
  }
  await host.removeTree(path.join(step.kept, KEPT_RECORD));
  await host.rmdir(step.kept);
}
