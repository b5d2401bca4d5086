/**
 * One apply at a time per machine root. Two applies moving the same folder at once would each
 * copy, verify and swap a link the other is changing; the journal cannot sort that out, so a
 * second apply must stop before its first write and say who is running.
 *
 * The lock is a file created with O_EXCL (Host.createExclusive), holding a LockHolder record.
 * It goes through the Host so that a read-only host can never take it. Its place is given by
 * the caller (lockPath): in the machine's /tmp on macOS and Linux, which is world-writable
 * and emptied at boot, so a lock cannot outlive a reboot.
 *
 * A lock whose holder is gone (killed, crashed, power cut) is taken over, safely against
 * several processes doing that at once:
 * 1. Whoever creates `<lock>.takeover` exclusively may take over; the others wait briefly and
 *    look again (by then they see the winner's live lock).
 * 2. The winner checks that the lock is still the very file it judged dead (same inode and
 *    bytes), renames it aside, checks the moved file once more (had it moved a live lock, it
 *    puts it back), creates its own lock exclusively and removes the aside and the marker.
 * Because the new lock is always created exclusively, two processes can never both create it;
 * the marker only keeps a taker from moving aside a lock someone else has just created.
 * A marker is itself stale when its process is gone or it is older than 60 s.
 *
 * A lock file that is empty or not JSON may be one whose holder is between creating and
 * writing it: it counts as stale only when older than 10 s. After creating its lock, a
 * process reads it back and goes on only if it still holds its own record.
 */

import { readFileSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Platform } from '../../config/model/declared.js';
import { errnoCode, ProvisionError } from '../../errors.js';
import type { Host } from '../../host/host.js';
import { beingWritten, cannotCreate, cannotCreateFolder, cannotRemoveDead, cannotRemoveMarker, heldBy, heldElsewhere, keepsChanging, takerBusy, TORN_LOCK_GRACE_MS, unreadable } from './lock-errors.js';
import { formatLockHolder, parseLockHolder, sameHolder, type LockHolder } from './lock-holder.js';
import { isProcessAlive } from './process-alive.js';

/** A takeover takes milliseconds; a marker older than this was left by a crashed taker. */
export const STALE_TAKEOVER_MS = 60_000;
/** How long to wait for another process that is taking over, or for a lock that keeps changing. */
const WAIT_FOR_TAKER_MS = 5_000;
/** How long to wait for a young unreadable lock to be written before reporting it as held. */
const WAIT_FOR_WRITER_MS = 1_000;
const POLL_MS = 20;

export { TORN_LOCK_GRACE_MS };

/** This process's acquisitions of a lock so far (LockHolder.acquisition). */
let acquisitions = 0;

/**
 * Where the lock of a machine lives, as a host path (under --root when toHost maps there).
 * Windows has no /tmp every user shares; ProgramData is machine-wide and writable by all.
 */
export function lockPath(platform: Platform, toHost: (machinePath: string) => string): string {
  return platform === 'windows' ? toHost('C:\\ProgramData\\provision\\provision.lock') : toHost('/tmp/provision.lock');
}

export interface ApplyLockInfo {
  /** The command line, to tell a second apply what is running. */
  command: string;
  user: string;
  /** The --root given, if any. */
  root?: string;
}

export interface ApplyLock {
  readonly path: string;
  readonly holder: LockHolder;
  /**
   * Removes the lock if it is still this process's (same pid, host and start time). Never
   * rejects: a lock it could not remove names a process that is gone by then, and the next
   * apply takes it over. Calling it again does nothing.
   */
  release(): Promise<void>;
}

/** A lock file as read, with what identifies that very file (a rename keeps dev and ino). */
interface LockFile {
  text: string;
  dev: number;
  ino: number;
  mtimeMs: number;
}

type Takeover = 'won' | 'busy' | 'retry';

/**
 * Takes the lock at `file` or throws LOCKED naming its holder. The lock's folder is created
 * when missing (mode 1777 like /tmp: every user's apply must be able to take the lock).
 */
export async function acquireApplyLock(host: Host, file: string, info: ApplyLockInfo): Promise<ApplyLock> {
  const me: LockHolder = {
    pid: process.pid,
    host: hostname(),
    user: info.user,
    command: info.command,
    startedAt: new Date().toISOString(),
    root: info.root ?? null,
    acquisition: ++acquisitions,
  };
  const text = formatLockHolder(me);
  await ensureLockFolder(host, path.dirname(file));
  const deadline = Date.now() + WAIT_FOR_TAKER_MS;
  let tornSince: number | undefined;
  for (let round = 0; ; round++) {
    if (round > 0) await pause();
    if (await createExclusively(host, file, text)) {
      if (await holdsOwnRecord(host, file, me)) return holdLock(host, file, me);
    } else {
      const seen = await readLockFile(host, file);
      if (seen !== undefined) {
        const holder = parseLockHolder(seen.text);
        if (holder !== undefined) {
          // Our own record, put back by a taker that had moved it aside: still ours.
          if (sameHolder(holder, me)) return holdLock(host, file, me);
          if (holder.host !== me.host) throw heldElsewhere(file, holder, me.host);
          if (isProcessAlive(holder.pid)) throw heldBy(file, holder);
          tornSince = undefined;
        } else if (Date.now() - seen.mtimeMs < TORN_LOCK_GRACE_MS) {
          tornSince ??= Date.now();
          if (Date.now() - tornSince >= WAIT_FOR_WRITER_MS) throw beingWritten(file);
          continue;
        }
        const outcome = await takeOver(host, file, seen, holder, me);
        if (outcome === 'won' && (await holdsOwnRecord(host, file, me))) return holdLock(host, file, me);
        if (outcome === 'busy' && Date.now() > deadline) throw takerBusy(`${file}.takeover`, await readTaker(host, `${file}.takeover`));
      }
    }
    // The lock appeared, vanished or changed under us: look again, for a while.
    if (Date.now() > deadline) throw keepsChanging(file);
  }
}

/** Exclusive create; a folder we may not write into is a PERMISSION problem, not a held lock. */
async function createExclusively(host: Host, file: string, text: string): Promise<boolean> {
  try {
    return await host.createExclusive(file, text);
  } catch (error) {
    const code = errnoCode(error);
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') throw error;
    throw cannotCreate(file, code, error);
  }
}

async function holdsOwnRecord(host: Host, file: string, me: LockHolder): Promise<boolean> {
  const now = await readLockFile(host, file);
  const holder = now === undefined ? undefined : parseLockHolder(now.text);
  return holder !== undefined && sameHolder(holder, me);
}

/** The takeover protocol (see the top of this file); `seen` is the file judged stale. */
async function takeOver(host: Host, file: string, seen: LockFile, dead: LockHolder | undefined, me: LockHolder): Promise<Takeover> {
  const marker = `${file}.takeover`;
  const markerText = formatLockHolder({ ...me, startedAt: new Date().toISOString() });
  if (!(await createExclusively(host, marker, markerText))) return (await clearStaleMarker(host, marker)) ? 'retry' : 'busy';
  try {
    const now = await readLockFile(host, file);
    if (now === undefined || !sameFile(now, seen)) return 'retry';
    const aside = `${file}.stale-${process.pid}`;
    try {
      await host.rename(file, aside);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT') return 'retry';
      if (code === 'EACCES' || code === 'EPERM') throw cannotRemoveDead(file, dead, code, error);
      throw error;
    }
    const moved = await readLockFile(host, aside);
    if (moved === undefined || !sameFile(moved, seen)) {
      // Not the file judged dead: only possible when a marker was wrongly judged stale. Put it
      // back without replacing whatever may have been created since; its owner's release
      // compares the record, not the inode, so the copy still counts as theirs.
      if (moved !== undefined) await host.createExclusive(file, moved.text).catch(() => false);
      await removeQuietly(host, aside);
      return 'retry';
    }
    const won = await host.createExclusive(file, formatLockHolder(me));
    await removeQuietly(host, aside);
    return won ? 'won' : 'retry';
  } finally {
    await removeIfText(host, marker, markerText);
  }
}

/**
 * Removes a takeover marker left by a taker that is gone, and says whether the caller should
 * try again at once. Renamed aside and checked like a lock, so a fresh marker created between
 * our look and our move is put back rather than lost.
 */
async function clearStaleMarker(host: Host, marker: string): Promise<boolean> {
  const m = await readLockFile(host, marker);
  if (m === undefined) return true;
  const taker = parseLockHolder(m.text);
  const gone = taker !== undefined && taker.host === hostname() && !isProcessAlive(taker.pid);
  if (!gone && Date.now() - m.mtimeMs <= STALE_TAKEOVER_MS) return false;
  const aside = `${marker}.stale-${process.pid}`;
  try {
    await host.rename(marker, aside);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return true;
    if (code === 'EACCES' || code === 'EPERM') throw cannotRemoveMarker(marker, taker, code, error);
    throw error;
  }
  const moved = await readLockFile(host, aside);
  if (moved !== undefined && !sameFile(moved, m)) await host.createExclusive(marker, moved.text).catch(() => false);
  await removeQuietly(host, aside);
  return true;
}

function holdLock(host: Host, file: string, me: LockHolder): ApplyLock {
  let held = true;
  // An exit handler must be synchronous and the Host is not, so this one uses fs directly; it
  // is registered only for the real host, the only one whose lock is on disk.
  const onExit = (): void => {
    try {
      const holder = parseLockHolder(readFileSync(file, 'utf8'));
      if (holder !== undefined && sameHolder(holder, me)) unlinkSync(file);
    } catch {
      // Best effort: a lock left behind names a dead process and is taken over.
    }
  };
  if (host.kind === 'real') process.once('exit', onExit);
  return {
    path: file,
    holder: me,
    async release(): Promise<void> {
      if (!held) return;
      held = false;
      process.off('exit', onExit);
      try {
        if (await holdsOwnRecord(host, file, me)) await host.unlink(file);
      } catch {
        // See ApplyLock.release: never rejects.
      }
    },
  };
}

/**
 * Reads a lock file with the identity of the file the bytes came from (lstat before and after
 * must agree). Undefined when nothing is there, or when it keeps being replaced.
 */
async function readLockFile(host: Host, file: string): Promise<LockFile | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = await host.lstat(file);
    if (before === undefined) return undefined;
    if (before.kind !== 'file') {
      throw new ProvisionError('IO', `${file} is a ${before.kind}, not an apply lock.`, {
        hint: `Nothing but provision should create ${path.basename(file)}; remove ${file}.`,
      });
    }
    let text: string;
    try {
      text = (await host.readFile(file)).toString('utf8');
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'ENOENT') continue;
      if (code === 'EACCES' || code === 'EPERM') throw unreadable(file, code, error);
      throw error;
    }
    const after = await host.lstat(file);
    if (after === undefined) return undefined;
    if (after.dev === before.dev && after.ino === before.ino) return { text, dev: after.dev, ino: after.ino, mtimeMs: after.mtimeMs };
  }
  return undefined;
}

function sameFile(a: LockFile, b: LockFile): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.text === b.text;
}

async function readTaker(host: Host, marker: string): Promise<LockHolder | undefined> {
  const m = await readLockFile(host, marker).catch(() => undefined);
  return m === undefined ? undefined : parseLockHolder(m.text);
}

async function removeIfText(host: Host, file: string, text: string): Promise<void> {
  try {
    const now = await readLockFile(host, file);
    if (now !== undefined && now.text === text) await host.unlink(file);
  } catch {
    // Best effort: a marker left behind is stale once this process is gone.
  }
}

async function removeQuietly(host: Host, file: string): Promise<void> {
  await host.unlink(file).catch(() => undefined);
}

/** Creates the lock's folder and any missing parents; a folder another process just made is fine. */
async function ensureLockFolder(host: Host, dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; (await host.lstat(d)) === undefined; ) {
    missing.unshift(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const [i, d] of missing.entries()) {
    try {
      await host.mkdir(d, i === missing.length - 1 ? 0o1777 : 0o755);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EEXIST') continue;
      // Ordinary refusals (not allowed to create it, a read-only disk) are said with their fix.
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') throw cannotCreateFolder(d, dir, code, error);
      throw error;
    }
  }
}

function pause(): Promise<void> {
  // Jitter, so that processes that collided once do not collide again in step.
  return sleep(POLL_MS + Math.floor(Math.random() * POLL_MS));
}
