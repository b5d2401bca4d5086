import path from 'node:path';
import { ProvisionError, errnoCode, isProvisionError } from '../../errors.js';
import type { Host } from '../../host/host.js';
import { RESTORE_PHASES, isRestoreEntry, type EntryFacts, type RestoreEntry, type RestoreStep } from '../journal/journal.js';
import { isKnown } from '../../drives/identity.js';
import { driveNow, requireSameDrive } from './drive-check.js';
import { fingerprintOf, requireNoWriters, requireUnchanged } from './source-quiet.js';
import { trackPhases } from './journaled-phases.js';
import { asideName, partialName } from '../journal/temp-names.js';
import { removeWithProgress, verifyCopy } from './verify-and-remove.js';
import type { StepContext } from './step-context.js';

/**
 * Undoes a move, never losing data: copy the folder the link leads to into a partial folder
 * beside the link (on this machine's disk) → verify every file's size and the count → rename
 * the link aside and the copy into its place → remove the old link → rename the folder on the
 * drive aside → remove it. Each phase is journaled before its work starts; a step found in the
 * journal resumes from its recorded phase (rolling forward once the copy was verified,
 * starting over before). Until the swap, the link and the drive are untouched.
 */
export async function runRestore(ctx: StepContext, step: RestoreStep): Promise<void> {
  const { host, journal } = ctx;
  // Once a restore is journaled, its recorded step is what gets finished, not a newer plan's.
  const { step: s, at, record, facts } = trackPhases<RestoreEntry>(ctx, step, RESTORE_PHASES, isRestoreEntry);
  const partial = path.join(path.dirname(s.link), partialName(s.id));
  const oldLink = path.join(path.dirname(s.link), asideName(path.basename(s.link), s.id));
  const aside = path.join(path.dirname(s.source), asideName(path.basename(s.source), s.id));

  const onDrive = `The data on the drive at ${s.source} was not touched.`;
  if (at('copying')) {
    // Which drive the data comes from: the end of the restore removes it from that drive only.
    if (facts.drive !== undefined) await requireSameDrive(host, facts.drive, onDrive);
    else facts.drive = await driveNow(host, s.drive, s.source);
    if ((await host.lstat(s.source)) !== undefined) {
      await requireNoWriters(host, s.source, [], onDrive);
      facts.sourceFingerprint = await fingerprintOf(host, s.source, []);
    }
    await record('copying');
    await copyBack(ctx, s, partial);
    await record('copied');
  }
  if (at('copied')) {
    if ((await host.lstat(partial)) !== undefined && (await host.lstat(s.source)) !== undefined) await startOverIfWritten(ctx, s, facts, partial, onDrive);
    await swap(host, s, partial, oldLink);
    await record('swapped');
  }
  if (at('swapped')) {
    // Never let the drive's copy go unless the restored folder really is in place.
    if ((await host.lstat(s.link))?.kind !== 'directory') {
      throw new ProvisionError('IO', `${s.link} is not the restored folder, so ${s.source} is kept`, {
        hint: 'nothing was lost: the data is still on the drive. Look at both places, then run provision restore again',
      });
    }
    if ((await host.lstat(s.source)) !== undefined) {
      // The journal is not trusted over the disk: this must be the drive the data came from, and
      // the restored folder must hold it, before the drive's copy goes.
      await proveRestored(ctx, s, facts, s.source, onDrive);
      // Nothing may still be writing into the drive's folder, nor have written since the copy began.
      const bothKept = `Both are kept: the restored folder ${s.link} and the drive's ${s.source}; compare them and remove the one you do not need.`;
      await requireNoWriters(host, s.source, [], bothKept);
      await requireUnchanged(host, s.source, [], facts.sourceFingerprint, bothKept);
      // Renamed aside first: a removal cut short leaves a hidden name, never a half-empty
      // folder at the declared place that the next apply would take for real backups.
      await host.rename(s.source, aside);
    }
    await record('aside');
  }
  if ((await host.lstat(aside)) !== undefined) {
    await requireSameDrive(host, facts.drive, `The copy on the drive is kept at ${aside}.`);
    await removeWithProgress(ctx, aside, 'removing the copy on the drive', s.volume);
  }
  await journal.remove(s.id);
}

/**
 * Before the drive's folder is put aside for removal: the drive is the one the data came from,
 * and the restored folder holds every entry of it, of the same kind. A drive without any
 * identity is judged by a full comparison instead (a twin could hold the same names).
 */
async function proveRestored(ctx: StepContext, s: RestoreStep, facts: EntryFacts, onDrive: string, keeps: string): Promise<void> {
  const { host } = ctx;
  await requireSameDrive(host, facts.drive, keeps);
  if (facts.drive === undefined || !isKnown(facts.drive.identity)) {
    const diff = await host.compareTrees(onDrive, s.link);
    if (diff !== undefined) {
      throw new ProvisionError('VERIFY_FAILED', `the restored folder ${s.link} does not match ${onDrive} (${diff}). ${keeps}`, {
        hint: 'nothing was lost: look at both places, then run provision restore again',
      });
    }
    return;
  }
  for (const entry of s.entries) {
    const [there, restored] = await Promise.all([host.lstat(path.join(onDrive, entry)), host.lstat(path.join(s.link, entry))]);
    if (there !== undefined && restored?.kind !== there.kind) {
      throw new ProvisionError('COPY_MISSING', `${path.join(s.link, entry)} is not in the restored folder, so ${onDrive} is kept. ${keeps}`, {
        hint: 'nothing was lost: the data is still on the drive. Look at both places, then run provision restore again',
      });
    }
  }
}

/** Before the swap: a change to the drive's folder since the copy began discards the copy, to start over. */
async function startOverIfWritten(ctx: StepContext, s: RestoreStep, facts: EntryFacts, partial: string, onDrive: string): Promise<void> {
  try {
    await requireNoWriters(ctx.host, s.source, [], onDrive);
    await requireUnchanged(ctx.host, s.source, [], facts.sourceFingerprint, onDrive);
  } catch (e) {
    if (!isProvisionError(e) || (e.code !== 'SOURCE_IN_USE' && e.code !== 'SOURCE_CHANGED')) throw e;
    await ctx.host.removeTree(partial);
    await ctx.journal.remove(s.id);
    throw e;
  }
}

/** Copies the data back beside the link and verifies it; on failure nothing is left but the original. */
async function copyBack(ctx: StepContext, s: RestoreStep, partial: string): Promise<void> {
  const { host } = ctx;
  try {
    // A partial copy from an interrupted run is only a copy: the link and the drive were never touched.
    if ((await host.lstat(partial)) !== undefined) await host.removeTree(partial);
    const sourceThere = await checkUnchanged(host, s);
    if (sourceThere) {
      await host.copyTree(s.source, partial, {
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        onProgress: (p) =>
          ctx.onProgress?.({ activity: 'copying back', files: p.files, bytes: p.bytes, totalFiles: s.volume.files, totalBytes: s.volume.bytes }),
      });
      const diff = await verifyCopy(ctx, s.source, partial, [], s.volume);
      if (diff !== undefined) {
        throw new ProvisionError('VERIFY_FAILED', `the copy of ${s.source} on this machine does not match it: ${diff}`, {
          hint: 'the link and the data on the drive were not touched; check the drive (Disk Utility > First Aid) and run restore again',
        });
      }
    } else {
      await host.mkdir(partial, s.mode);
    }
    // The copy has the drive folder's private mode; the folder in the home gets the usual one.
    await host.chmod(partial, s.mode);
    if (s.owner) await host.chown(partial, s.owner.uid, s.owner.gid);
  } catch (e) {
    throw await failCopy(ctx, s, partial, e);
  }
}

/**
 * The link must still be the link the plan saw, and its folder must hold what the plan saw.
 * Returns whether that folder exists (a link to a missing folder becomes an empty folder).
 */
async function checkUnchanged(host: Host, s: RestoreStep): Promise<boolean> {
  const st = await host.lstat(s.link);
  const raw = st?.kind === 'symlink' ? await host.readlink(s.link) : undefined;
  if (raw !== s.linkTarget) {
    throw new ProvisionError('PLAN_STALE', `${s.link} changed since the plan (it is no longer the link to ${s.linkTarget})`, {
      hint: 'run provision restore again to plan from what is there now',
    });
  }
  const src = await host.lstat(s.source);
  const now = src === undefined ? [] : (await host.readdir(s.source)).sort();
  if (now.join('\0') !== [...s.entries].sort().join('\0')) {
    throw new ProvisionError('PLAN_STALE', `${s.source} changed since the plan (it now holds: ${now.join(', ') || 'nothing'})`, {
      hint: 'run provision restore again',
    });
  }
  return src !== undefined;
}

/**
 * Puts the verified copy where the link is. Two renames, since no portable rename swaps a link
 * for a folder: the link goes aside, then the copy takes its name. Each part is skipped when an
 * interrupted run already did it.
 */
async function swap(host: Host, s: RestoreStep, partial: string, oldLink: string): Promise<void> {
  const now = await host.lstat(s.link);
  const copy = await host.lstat(partial);
  if (now?.kind === 'symlink') {
    if (copy === undefined) {
      throw new ProvisionError('IO', `the verified copy ${partial} is missing, and ${s.link} is still the link`, {
        hint: 'nothing was lost: the data is still on the drive. Remove the journal entry of this restore and run provision restore again',
      });
    }
    await host.rename(s.link, oldLink);
  } else if (now !== undefined && copy !== undefined) {
    // While a swap was cut short, something (an app making a new backup) filled the link's place.
    throw new ProvisionError('PLAN_STALE', `${s.link} appeared while the restore was interrupted`, {
      hint: `the verified copy is kept at ${partial}; merge the two by hand, remove ${partial}, and run provision restore again`,
    });
  }
  if (copy !== undefined) await host.rename(partial, s.link);
  if ((await host.lstat(oldLink)) !== undefined) await host.unlink(oldLink);
}

/** Stops a restore during the copy: the link and the drive are untouched; the partial copy is removed if possible. */
async function failCopy(ctx: StepContext, s: RestoreStep, partial: string, e: unknown): Promise<ProvisionError> {
  const code = errnoCode(e);
  let cleaned = false;
  try {
    if ((await ctx.host.lstat(partial)) !== undefined) await ctx.host.removeTree(partial);
    cleaned = true;
    await ctx.journal.remove(s.id);
  } catch {
    // The journal keeps the restore at "copying": the next run discards the copy and starts over.
  }
  const untouched = `The link and the data at ${s.source} were not touched${cleaned ? ' and the partial copy was removed' : ''}.`;
  if (isProvisionError(e)) return e;
  if (e instanceof Error && e.name === 'AbortError') {
    return new ProvisionError('INTERRUPTED', `interrupted while copying back. ${untouched}`, { hint: 'run provision restore again' });
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new ProvisionError('NO_SPACE', `this machine's disk filled up while copying back. ${untouched}`, {
      hint: 'free space on this machine (provision restore --dry-run shows how much is needed) and run restore again',
      cause: e,
    });
  }
  const driveGone = (await ctx.host.lstat(path.dirname(s.source)).catch(() => undefined)) === undefined;
  if (driveGone || code === 'EIO' || code === 'ENODEV' || code === 'ENXIO' || code === 'ESTALE') {
    return new ProvisionError('DRIVE_GONE', `the drive went away while copying back (${code ?? 'gone'}). ${untouched}`, {
      hint: 'reconnect the drive and run provision restore again',
      cause: e,
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new ProvisionError('PERMISSION', `permission denied while copying back (${code}): ${(e as Error).message}. ${untouched}`, {
      hint: 'on a Mac, give your terminal Full Disk Access (System Settings > Privacy & Security); or run provision as root',
      cause: e,
    });
  }
  return new ProvisionError('IO', `copying back failed: ${e instanceof Error ? e.message : String(e)}. ${untouched}`, {
    hint: 'fix the cause and run provision restore again',
    cause: e,
  });
}
