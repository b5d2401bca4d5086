/**
 * The errors of the apply lock (engine/lock/apply-lock.ts). All but a folder we may not write are
 * LOCKED (exit 1), each saying who holds the lock and what to do about it.
 */

import path from 'node:path';
import { ProvisionError } from '../../errors.js';
import { describeLockHolder, type LockHolder } from './lock-holder.js';

/** An unreadable lock younger than this may still be being written by its holder. */
export const TORN_LOCK_GRACE_MS = 10_000;

export function heldBy(file: string, holder: LockHolder): ProvisionError {
  return new ProvisionError('LOCKED', `Another apply is running on this machine: ${describeLockHolder(holder)}.`, {
    hint: `Wait for it to finish, then run this again. If you are sure process ${holder.pid} is not provision, remove ${file}.`,
  });
}

export function heldElsewhere(file: string, holder: LockHolder, here: string): ProvisionError {
  return new ProvisionError(
    'LOCKED',
    `Another apply holds this machine's lock from another computer, ${holder.host} (this one is ${here}): ${describeLockHolder(holder)}.`,
    {
      hint: `The disk is shared with ${holder.host}, whose process this computer cannot check. Wait for that apply to finish; if it is not running on ${holder.host}, remove ${file}.`,
    },
  );
}

export function beingWritten(file: string): ProvisionError {
  return new ProvisionError('LOCKED', `Another apply is starting on this machine: its lock ${file} is not written yet.`, {
    hint: `Wait for it to finish, then run this again. An unwritten lock is taken over once it is ${TORN_LOCK_GRACE_MS / 1000} s old.`,
  });
}

export function takerBusy(marker: string, taker: LockHolder | undefined): ProvisionError {
  const who = taker === undefined ? 'another process' : describeLockHolder(taker);
  return new ProvisionError('LOCKED', `Another apply is taking over a stale lock on this machine: ${who}.`, {
    hint: `Run this again in a moment. If no provision is running, remove ${marker}.`,
  });
}

export function keepsChanging(file: string): ProvisionError {
  return new ProvisionError('LOCKED', `The apply lock ${file} keeps changing: other applies are starting on this machine.`, {
    hint: 'Wait for them to finish, then run this again.',
  });
}

export function unreadable(file: string, code: string, cause: unknown): ProvisionError {
  return new ProvisionError('LOCKED', `Another apply holds ${file}, which you may not read (${code}).`, {
    hint: `Wait for it to finish. If no provision is running, remove ${file} as its owner or an administrator.`,
    cause,
  });
}

export function cannotRemoveDead(file: string, dead: LockHolder | undefined, code: string, cause: unknown): ProvisionError {
  const who = dead === undefined ? 'a process that never finished writing it' : `${describeLockHolder(dead)}, which is no longer running`;
  return new ProvisionError('LOCKED', `The apply lock ${file} was left by ${who}, and you may not remove it (${code}).`, {
    hint: `Remove ${file} as its owner or an administrator (sudo rm on macOS and Linux), then run this again.`,
    cause,
  });
}

export function cannotRemoveMarker(marker: string, taker: LockHolder | undefined, code: string, cause: unknown): ProvisionError {
  const who = taker === undefined ? 'a process that never finished writing it' : describeLockHolder(taker);
  return new ProvisionError('LOCKED', `A takeover of the apply lock was left unfinished by ${who}, and you may not remove its marker ${marker} (${code}).`, {
    hint: `Remove ${marker} as its owner or an administrator, then run this again.`,
    cause,
  });
}

export function cannotCreate(file: string, code: string, cause: unknown): ProvisionError {
  if (code === 'EROFS') {
    return new ProvisionError('IO', `Cannot create ${file}, needed to lock out other applies: its file system is read-only (${code}). Nothing was changed.`, {
      hint: `Mount the disk holding ${path.dirname(file)} read-write (with --root, give a writable folder), then run this again.`,
      cause,
    });
  }
  return new ProvisionError('PERMISSION', `Cannot create ${file}, needed to lock out other applies (${code}). Nothing was changed.`, {
    hint: `Make ${path.dirname(file)} writable for every user (like /tmp: chmod 1777), or run as its owner.`,
    cause,
  });
}

/** The lock's folder (or a folder above it) is missing and may not be created here. */
export function cannotCreateFolder(folder: string, lockFolder: string, code: string, cause: unknown): ProvisionError {
  if (code === 'EROFS') {
    return new ProvisionError('IO', `Cannot create ${folder}, the folder of the apply lock: its file system is read-only (${code}). Nothing was changed.`, {
      hint: `Mount that disk read-write (with --root, give a writable folder), then run this again.`,
      cause,
    });
  }
  return new ProvisionError('PERMISSION', `Cannot create ${folder}, the folder of the apply lock (${code}). Nothing was changed.`, {
    hint: `Create ${lockFolder} as its owner or an administrator, writable for every user (like /tmp: mkdir -p ${lockFolder} && chmod 1777 ${lockFolder}), or run as root.`,
    cause,
  });
}
