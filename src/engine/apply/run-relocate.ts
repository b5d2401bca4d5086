import path from 'node:path';
import { ProvisionError, errnoCode, isProvisionError } from '../../errors.js';
import type { Host } from '../../host/host.js';
import { PHASES, isRelocateEntry, type EntryFacts, type RelocateEntry, type RelocateStep } from '../journal/journal.js';
import { driveNow, requireSameDrive } from './drive-check.js';
import { fingerprintOf, requireNoWriters, requireUnchanged } from './source-quiet.js';
import { trackPhases } from './journaled-phases.js';
import { asideName, partialName } from '../journal/temp-names.js';
import { placeLink } from './run-link.js';
import type { StepContext } from './step-context.js';
import { removeWithProgress, verifyCopy } from './verify-and-remove.js';
import { databaseMatcher } from './database-files.js';
import { keepOriginal } from './keep-original.js';
import { copyIdentity, sameAsVerified, verifiedIdentity } from './copy-identity.js';
import { RECORDED_ENTRIES_MAX } from '../../host/fs/tree-fingerprint.js';
import type { TreeFingerprint } from '../../host/host.js';

/**
 * Moves a folder's contents to the drive and leaves a link in its place, never losing data:
 * copy to a partial folder on the drive → verify every file's size and the count → give the
 * copies their final names and flush them → rename the original aside → swap the link in →
 * remove the aside. Each phase is journaled before its work starts; a step found in the journal
 * resumes from its recorded phase (rolling forward once the copy was verified, starting over
 * before). The journal is never trusted over the disk: before the original is put aside and
 * before it is removed, the drive mounted now must be the one the move began on and hold the
 * copies at their final place (docs: "Safety", the invariants of each phase).
 */
export async function runRelocate(ctx: StepContext, step: RelocateStep): Promise<void> {
  const { host, journal } = ctx;
  // Once a move is journaled, its recorded step is what gets finished, not a newer plan's.
  const tracker = trackPhases<RelocateEntry>(ctx, step, PHASES, isRelocateEntry);
  const { step: s, at, record, facts } = tracker;
  const partial = path.join(s.dest, partialName(s.id));
  const aside = path.join(path.dirname(s.source), asideName(path.basename(s.source), s.id));
  const untouched = `The original at ${s.source} was not touched.`;

  if (!at('copying') && at('promoted') && !(await copyStillThere(ctx, s, facts, partial, untouched))) {
    // The verified copy is gone from the right drive (a partial folder deleted by hand, a copy
    // made on a drive that was then wiped). The original was never touched: copy it again,
    // after discarding what this move had already promoted (copies of that same original).
    for (const entry of s.entries) {
      const promoted = path.join(s.dest, entry);
      if ((await host.lstat(promoted)) !== undefined) await host.removeTree(promoted);
    }
    tracker.restart();
  }
  const background = s.backgroundWriters ?? [];
  // A copy made and verified by this very run goes on to its final names at once: the writers
  // and the fingerprint are checked right before the original is put aside, which is the step
  // that touches it; promoting only renames copies on the drive (an lsof and a walk saved).
  const copiedNow = at('copying');
  // The copy as this run verified it, to know it again at its final names (copy-identity.ts).
  let verified: TreeFingerprint | undefined;
  if (at('copying')) {
    await beginOnDrive(ctx, s, facts, untouched);
    // Before the copy writes anything: the round's listing of open files and fingerprint of the
    // original while recent (the plan's, under a second old with --yes: host/round-reads.ts).
    // A fingerprint older than the copy can only make a change since then show, never hide it.
    const looks = ctx.recent ?? host;
    await requireNoWriters(looks, s.source, background, untouched);
    facts.sourceFingerprint = await guard(() => fingerprintOf(looks, s.source, s.discard), 'looking at the original', s, untouched);
    await record('copying');
    verified = await copyAndVerify(ctx, s, partial);
    await record('copied');
  }
  if (at('copied')) {
    await requireSameDrive(host, facts.drive, untouched);
    if (!copiedNow) await startOverIfWritten(ctx, s, facts, partial, s.source, untouched);
    await guard(() => promote(host, s, partial), 'giving the copies their final names', s, untouched);
    await record('promoted');
  }
  if (at('promoted')) {
    // The last moment the original is whole in its place: prove the copy is where it will be used,
    // and that nothing wrote into the original since the copy began.
    // A run cut short right after the rename left the original aside already.
    const original = (await host.lstat(s.source)) === undefined && (await host.lstat(aside)) !== undefined ? aside : s.source;
    await startOverIfWritten(ctx, s, facts, partial, original, untouched, () => proveMoved(ctx, s, facts, original, untouched, verified));
    if (original === s.source) {
      await guard(() => host.rename(s.source, aside), 'putting the original aside', s, untouched);
    }
    await record('aside');
  }
  const keptAside = `The original is kept, whole, at ${aside}.`;
  if (at('aside')) {
    // The link leads to the drive's folder: on a twin of the same name it would lead apps there.
    await requireSameDrive(host, facts.drive, keptAside);
    await guard(() => placeLink(ctx, s.link, s.id), 'putting the link in place', s, keptAside);
    await record('linked');
  }
  if ((await host.lstat(aside)) !== undefined) {
    await proveStillThere(ctx, s, facts, aside, keptAside);
    if (s.keepOriginal === undefined) await removeWithProgress(ctx, aside, 'removing the original', s.volume);
    else await keepOriginal(ctx, s, facts, aside);
  }
  await journal.remove(s.id);
}

/**
 * Stops the move, and discards its copies on the drive so the next run starts over, when a
 * process has a file of the original open for writing or the original changed since the copy
 * began. The original is untouched at this point; the copies are only copies of it.
 */
async function startOverIfWritten(
  ctx: StepContext,
  s: RelocateStep,
  facts: EntryFacts,
  partial: string,
  original: string,
  untouched: string,
  proveCopy?: () => Promise<void>,
): Promise<void> {
  const { host } = ctx;
  try {
    // The writers are looked for while the copy is compared: lsof is a process of its own and
    // both only read (its listing is at most the comparison's time older). The fingerprint comes
    // last, as close to the rename as it can be: a write the comparison misses still shows there.
    const writers = proveCopy === undefined ? undefined : settled(requireNoWriters(host, original, s.backgroundWriters ?? [], untouched));
    try {
      await proveCopy?.();
    } catch (e) {
      await writers;
      // A copy that differs because the original was written says so (SOURCE_CHANGED).
      if (isProvisionError(e) && e.code === 'VERIFY_FAILED') await requireUnchanged(host, original, s.discard, facts.sourceFingerprint, untouched);
      throw e;
    }
    if (writers === undefined) await requireNoWriters(host, original, s.backgroundWriters ?? [], untouched);
    else await (await writers)();
    await requireUnchanged(host, original, s.discard, facts.sourceFingerprint, untouched);
  } catch (e) {
    // A copy that no longer matches is only a copy: the original is whole, so it starts over.
    if (!isProvisionError(e) || (e.code !== 'SOURCE_IN_USE' && e.code !== 'SOURCE_CHANGED' && e.code !== 'VERIFY_FAILED')) throw e;
    // An original already renamed aside by a run cut short goes back to its place first.
    if (original !== s.source && (await host.lstat(s.source)) === undefined) await host.rename(original, s.source);
    if ((await host.lstat(partial)) !== undefined) await host.removeTree(partial);
    for (const entry of s.entries) {
      const promoted = path.join(s.dest, entry);
      if ((await host.lstat(promoted)) !== undefined) await host.removeTree(promoted);
    }
    await ctx.journal.remove(s.id);
    throw e;
  }
}

/** Runs work now; what it settles to is given (or thrown) by the function it resolves to. */
function settled(work: Promise<void>): Promise<() => void> {
  return work.then(
    () => () => undefined,
    (e: unknown) => () => {
      throw e;
    },
  );
}

/** Journals which drive the copy goes to; a move resumed while copying must find the same drive. */
async function beginOnDrive(ctx: StepContext, s: RelocateStep, facts: EntryFacts, untouched: string): Promise<void> {
  if (facts.drive !== undefined) {
    // The partial copy of the interrupted run is on the journaled drive: it must be that one.
    await requireSameDrive(ctx.host, facts.drive, untouched);
    return;
  }
  const now = await driveNow(ctx.host, s.drive, s.dest);
  if (now === undefined && s.drive !== undefined) {
    throw new ProvisionError('DRIVE_GONE', `the drive holding ${s.dest} is not mounted. ${untouched}`, {
      hint: 'connect the drive and run provision apply again',
    });
  }
  if (now !== undefined) facts.drive = now;
}

/**
 * Whether the verified copy of an interrupted move is still on its drive: in the partial folder,
 * or already at its final names. The drive must be the journaled one (a twin of the same name
 * is refused, never written to).
 */
async function copyStillThere(ctx: StepContext, s: RelocateStep, facts: EntryFacts, partial: string, untouched: string): Promise<boolean> {
  const { host } = ctx;
  await requireSameDrive(host, facts.drive, untouched);
  if (facts.drive === undefined) facts.drive = await driveNow(host, s.drive, s.dest);
  if ((await host.lstat(s.dest)) === undefined) {
    throw new ProvisionError('DRIVE_GONE', `${s.dest} is not there: the drive holding the verified copy is not connected. ${untouched}`, {
      hint: 'connect the drive and run provision apply again: the move is finished from where it stopped',
    });
  }
  // Every entry must be somewhere: in the partial folder, or promoted. A missing one means the copy is not whole.
  for (const entry of s.entries) {
    const inPartial = await host.lstat(path.join(partial, entry));
    const promoted = inPartial === undefined ? await host.lstat(path.join(s.dest, entry)) : undefined;
    if (inPartial === undefined && promoted === undefined) return false;
  }
  return true;
}

/**
 * Before the original is put aside: the drive is the move's, and the copies at their final
 * place on it are, entry by entry, what the original holds (sizes, kinds, links, counts).
 * A copy this run verified is known there by its identity when nothing in it changed since
 * (copy-identity.ts): the original's fingerprint, checked after this, stands for the other side.
 */
async function proveMoved(ctx: StepContext, s: RelocateStep, facts: EntryFacts, original: string, keeps: string, verified: TreeFingerprint | undefined): Promise<void> {
  await requireSameDrive(ctx.host, facts.drive, keeps);
  // A daemon that always holds the files open (Photos' photolibraryd) may rewrite a database's
  // pages in place at the same size, with or without holding the file at the moment provision
  // looks: the databases are compared byte for byte (every file, for such a kind that names none).
  const databases = databaseMatcher(s.databases);
  const everyByte = databases === undefined && (s.backgroundWriters ?? []).length > 0;
  let rewritten: ReadonlySet<string> = new Set();
  // Only a copy of a kind whose end compares no bytes has an identity (copyAndVerify).
  if (verified !== undefined) {
    const now = await guard(() => copyIdentity(ctx.host, s.dest, s.entries), 'checking the copy on the drive', s, keeps);
    const seen = sameAsVerified(verified, now);
    if (seen.same) return;
    rewritten = seen.rewritten;
  }
  const contentFor = databases ?? (rewritten.size > 0 ? (rel: string) => rewritten.has(rel) : undefined);
  const diff = await guard(
    // Not cut short by Ctrl-C: once the copy is verified the move is finished first.
    () => ctx.host.compareTrees(original, s.dest, { onlyTop: s.entries, content: everyByte, ...(contentFor === undefined ? {} : { contentFor }) }),
    'checking the copy on the drive',
    s,
    keeps,
  );
  if (diff !== undefined) {
    throw new ProvisionError('VERIFY_FAILED', `the copy on the drive no longer matches the original (${diff}). ${keeps}`, {
      hint: 'something wrote into the original (or the copy) during the move; the copy is discarded and starts over on the next provision apply',
    });
  }
}

/**
 * Before the put-aside original is removed: the drive is the move's and every moved entry is at
 * its final place on it, of the same kind. Its content was proven equal before the original
 * went aside; since then the link may be in use (a new device backup changes the copy).
 */
async function proveStillThere(ctx: StepContext, s: RelocateStep, facts: EntryFacts, aside: string, keeps: string): Promise<void> {
  const { host } = ctx;
  await requireSameDrive(host, facts.drive, keeps);
  for (const entry of s.entries) {
    const [kept, moved] = await guard(
      () => Promise.all([host.lstat(path.join(aside, entry)), host.lstat(path.join(s.dest, entry))]),
      'checking the copy on the drive',
      s,
      keeps,
    );
    if (kept !== undefined && moved?.kind !== kept.kind) {
      throw new ProvisionError('COPY_MISSING', `${path.join(s.dest, entry)} is ${moved === undefined ? 'not there' : `a ${moved.kind}`} on the drive, so the original is not removed. ${keeps}`, {
        hint: `connect the drive the move went to and run provision apply again; if the copy was deleted, move ${aside} back to ${s.source} by hand`,
      });
    }
  }
}

/**
 * Runs one step of a phase, turning the OS errors a user can meet (a drive that went away or
 * turned read-only, a folder that may not be written) into clear errors saying what is kept.
 */
async function guard<T>(work: () => Promise<T>, doing: string, s: RelocateStep, keeps: string): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (isProvisionError(e)) throw e;
    throw phaseError(e, doing, s, keeps);
  }
}

function phaseError(e: unknown, doing: string, s: RelocateStep, keeps: string): ProvisionError {
  const code = errnoCode(e);
  const detail = e instanceof Error ? e.message : String(e);
  if (code === 'EROFS') {
    return new ProvisionError('DRIVE_READ_ONLY', `a drive or folder became read-only while ${doing} (${detail}). ${keeps}`, {
      hint: 'check the drive (Disk Utility > First Aid; a drive with errors is mounted read-only), connect it again, and run provision apply again',
      cause: e,
    });
  }
  if (code === 'ENOENT' || code === 'EIO' || code === 'ENODEV' || code === 'ENXIO' || code === 'ESTALE' || code === 'ENOTCONN') {
    return new ProvisionError('DRIVE_GONE', `the drive went away while ${doing} (${code}). ${keeps}`, {
      hint: 'reconnect the drive and run provision apply again to finish the move',
      cause: e,
    });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new ProvisionError('PERMISSION', `permission denied while ${doing} (${detail}). ${keeps}`, {
      hint: `make ${path.dirname(s.source)} and ${s.dest} writable for the account running provision (on a Mac, give your terminal Full Disk Access), then run provision apply again`,
      cause: e,
    });
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new ProvisionError('NO_SPACE', `no space left while ${doing}. ${keeps}`, { hint: 'free some space and run provision apply again', cause: e });
  }
  return new ProvisionError('IO', `${doing} failed: ${detail}. ${keeps}`, { hint: 'fix the cause and run provision apply again', cause: e });
}

/**
 * Copies the entries that move into the partial folder in one copier run (an entry may be a
 * folder, a file or a link: a library holds all three), then verifies the whole copy against
 * the original: names, kinds, sizes, link targets, and the metadata the drive keeps
 * (host/fs/compare-trees.ts).
 */
async function copyAndVerify(ctx: StepContext, s: RelocateStep, partial: string): Promise<TreeFingerprint | undefined> {
  const { host } = ctx;
  let partialMade = false;
  try {
    // A partial copy from an interrupted run is only a copy: the original was never touched.
    if ((await host.lstat(partial)) !== undefined) await host.removeTree(partial);
    await checkSourceUnchanged(host, s);
    await host.mkdir(partial, 0o700);
    partialMade = true;
    // One run of the copier for every entry: files that are one inode under two entries (hard
    // links, as a photo library migrated from iPhoto shares its originals) stay one on the drive.
    const copied = await host.copyTree(s.source, partial, {
      entries: s.entries,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onProgress: (p) => ctx.onProgress?.({ activity: 'copying', files: p.files, bytes: p.bytes, totalFiles: s.volume.files, totalBytes: s.volume.bytes }),
    });
    // Each entry of the copy as the verification judged it, to know it again (copy-identity.ts);
    // not for more entries than are kept in memory (the full comparison then stands).
    let judged = identityProves(s) ? new Map<string, string>() : undefined;
    const record = judged === undefined ? undefined : (rel: string, r: string): void => {
      if (judged !== undefined && judged.size >= RECORDED_ENTRIES_MAX) judged = undefined;
      judged?.set(rel, r);
    };
    // The copier's read of the original's attributes stands for a second one: the original is
    // fingerprinted again before it goes aside, and an attribute set on it since shows there.
    const contentFor = databaseMatcher(s.databases);
    const diff = await verifyCopy(ctx, s.source, partial, s.discard, s.volume, {
      ...(contentFor === undefined ? {} : { contentFor }),
      ...(record === undefined ? {} : { onCopyEntry: record }),
      ...(copied.originalAttributes === undefined ? {} : { originalAttributes: copied.originalAttributes }),
    });
    if (diff !== undefined) {
      throw new ProvisionError('VERIFY_FAILED', `the copy on the drive does not match the original: ${diff}`, {
        hint: 'the original was not touched; check the drive (Disk Utility > First Aid) and run apply again',
      });
    }
    return judged === undefined ? undefined : verifiedIdentity(judged, s.entries);
  } catch (e) {
    throw await failCopy(ctx, s, partial, partialMade, e);
  }
}

/**
 * Whether the copy's identity may stand for the last comparison: not for a kind whose end
 * compares bytes (databases a daemon may rewrite without their times showing it).
 */
function identityProves(s: RelocateStep): boolean {
  return databaseMatcher(s.databases) === undefined && (s.backgroundWriters ?? []).length === 0;
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

/**
 * Gives each verified copy its final name on the drive (renames within one folder are atomic),
 * then flushes the folder so the names are on the disk before the original may go. Entries
 * promoted before an interruption are skipped; copyStillThere has made sure none is missing.
 */
async function promote(host: Host, s: RelocateStep, partial: string): Promise<void> {
  if ((await host.lstat(partial)) !== undefined) {
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
  await host.flush(s.dest);
}
