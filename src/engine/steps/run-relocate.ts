import path from 'node:path';
import { ProvisionError, errnoCode, isProvisionError } from '../../errors.js';
import type { Host } from '../../host/host.js';
import { PHASES, isRelocateEntry, type RelocateEntry, type RelocateStep } from '../journal.js';
import { trackPhases } from './journaled-phases.js';
import { asideName, partialName } from '../temp-names.js';
import { placeLink } from './run-link.js';
import type { StepContext } from './step-context.js';
import { removeWithProgress, verifyCopy } from './verify-and-remove.js';

/**
 * Moves a folder's contents to the drive and leaves a link in its place, never losing data:
 * copy to a partial folder on the drive → verify every file's size and the count → give the
 * copies their final names → rename the original aside → swap the link in → remove the aside.
 * Each phase is journaled before its work starts; a step found in the journal resumes from
 * its recorded phase (rolling forward once the copy was verified, starting over before).
 */
export async function runRelocate(ctx: StepContext, step: RelocateStep): Promise<void> {
  const { host, journal } = ctx;
  // Once a move is journaled, its recorded step is what gets finished, not a newer plan's.
  const { step: s, at, record } = trackPhases<RelocateEntry>(ctx, step, PHASES, isRelocateEntry);
  const partial = path.join(s.dest, partialName(s.id));
  const aside = path.join(path.dirname(s.source), asideName(path.basename(s.source), s.id));

  if (at('copying')) {
    await record('copying');
    await copyAndVerify(ctx, s, partial);
    await record('copied');
  }
  if (at('copied')) {
    await promote(host, s, partial);
    await record('promoted');
  }
  if (at('promoted')) {
    if ((await host.lstat(s.source)) !== undefined) await host.rename(s.source, aside);
    await record('aside');
  }
  if (at('aside')) {
    await placeLink(ctx, s.link, s.id);
    await record('linked');
  }
  if ((await host.lstat(aside)) !== undefined) await removeWithProgress(ctx, aside, 'removing the original', s.volume);
  await journal.remove(s.id);
}

/**
 * Copies each entry that moves into the partial folder (an entry may be a folder, a file or a
 * link: a library holds all three), then verifies the whole copy against the original: every
 * entry's size, and the number of entries.
 */
async function copyAndVerify(ctx: StepContext, s: RelocateStep, partial: string): Promise<void> {
  const { host } = ctx;
  let partialMade = false;
  try {
    // A partial copy from an interrupted run is only a copy: the original was never touched.
    if ((await host.lstat(partial)) !== undefined) await host.removeTree(partial);
    await checkSourceUnchanged(host, s);
    await host.mkdir(partial, 0o700);
    partialMade = true;
    let doneFiles = 0;
    let doneBytes = 0;
    for (const entry of s.entries) {
      const base = { files: doneFiles, bytes: doneBytes };
      const copied = await host.copyTree(path.join(s.source, entry), path.join(partial, entry), {
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        onProgress: (p) =>
          ctx.onProgress?.({ activity: 'copying', files: base.files + p.files, bytes: base.bytes + p.bytes, totalFiles: s.volume.files, totalBytes: s.volume.bytes }),
      });
      doneFiles += copied.files;
      doneBytes += copied.bytes;
    }
    const diff = await verifyCopy(ctx, s.source, partial, s.discard, s.volume);
    if (diff !== undefined) {
      throw new ProvisionError('VERIFY_FAILED', `the copy on the drive does not match the original: ${diff}`, {
        hint: 'the original was not touched; check the drive (Disk Utility > First Aid) and run apply again',
      });
    }
  } catch (e) {
    throw await failCopy(ctx, s, partial, partialMade, e);
  }
}

/** Stops a move during the copy: the original is untouched; the partial copy is removed if possible. */
async function failCopy(ctx: StepContext, s: RelocateStep, partial: string, partialMade: boolean, e: unknown): Promise<ProvisionError> {
  const code = errnoCode(e);
  let cleaned = false;
  try {
    const there = (await ctx.host.lstat(partial)) !== undefined;
    if (there) await ctx.host.removeTree(partial);
    // A partial copy that was made but is no longer there went away with its drive: it is
    // still on the drive, so the journal keeps the move at "copying" and the next apply, with
    // the drive back, discards it and starts over.
    cleaned = there || !partialMade;
    if (cleaned) await ctx.journal.remove(s.id);
  } catch {
    // The drive may be gone; the journal keeps the move, as above.
  }
  const driveGone = (!cleaned && partialMade) || code === 'EIO' || code === 'ENODEV' || code === 'ENXIO' || code === 'ESTALE';
  const untouched = `The original at ${s.source} was not touched${cleaned ? ' and the partial copy was removed' : ''}.`;
  if (isProvisionError(e)) return e;
  if (e instanceof Error && e.name === 'AbortError') {
    return new ProvisionError('INTERRUPTED', `interrupted while copying. ${untouched}`, { hint: 'run provision apply again to move it' });
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new ProvisionError('NO_SPACE', `the drive filled up while copying. ${untouched}`, {
      hint: 'free space on the drive (provision plan shows how much is needed) and run apply again',
      cause: e,
    });
  }
  if (driveGone) {
    return new ProvisionError('DRIVE_GONE', `the drive went away while copying (${code}). ${untouched}`, {
      hint: 'reconnect the drive and run provision apply again to finish the move',
      cause: e,
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new ProvisionError('PERMISSION', `permission denied while copying (${code}): ${(e as Error).message}. ${untouched}`, {
      hint: 'on a Mac, give your terminal Full Disk Access (System Settings > Privacy & Security); check that the drive is writable',
      cause: e,
    });
  }
  return new ProvisionError('IO', `copy failed: ${e instanceof Error ? e.message : String(e)}. ${untouched}`, {
    hint: 'fix the cause and run provision apply again',
    cause: e,
  });
}

/** The entries planned for the move must still be what the source holds. */
async function checkSourceUnchanged(host: Host, s: RelocateStep): Promise<void> {
  const now = (await host.readdir(s.source)).filter((n) => !s.discard.includes(n)).sort();
  const planned = [...s.entries].sort();
  if (now.join('\0') !== planned.join('\0')) {
    throw new ProvisionError('PLAN_STALE', `${s.source} changed since the plan (it now holds: ${now.join(', ') || 'nothing'})`, {
      hint: 'run provision plan again',
    });
  }
}

/** Gives each verified copy its final name on the drive; renames within one folder are atomic. */
async function promote(host: Host, s: RelocateStep, partial: string): Promise<void> {
  if ((await host.lstat(partial)) === undefined) return;
  for (const entry of s.entries) {
    const from = path.join(partial, entry);
    if ((await host.lstat(from)) === undefined) continue; // promoted before an interruption
    const to = path.join(s.dest, entry);
    if ((await host.lstat(to)) !== undefined) {
      throw new ProvisionError('PLAN_STALE', `${to} appeared on the drive during the move`, {
        hint: `the verified copy is kept at ${from}; move one of them aside and run apply again`,
      });
    }
    await host.rename(from, to);
  }
  await host.rmdir(partial);
}
