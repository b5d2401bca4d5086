import path from 'node:path';
import { errnoCode, ProvisionError } from '../errors.js';
import type { Host } from './host.js';

/** Creates provision's state folder (the journal's, the drive records') and its missing parents, private to its owner. */
export async function ensureStateFolder(host: Host, dir: string): Promise<void> {
  const missing: string[] = [];
  let d = dir;
  while ((await host.lstat(d)) === undefined) {
    missing.unshift(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  try {
    for (const m of missing) await host.mkdir(m, 0o700);
  } catch (e) {
    throw cannotWrite(dir, e);
  }
}

/**
 * The journal's folder cannot be created or written: an ordinary OS refusal (not root and not
 * its owner, a read-only system volume, a full disk) is said as such, with what to do. Every
 * phase is journaled before its work starts, so the move stops with nothing lost.
 */
export function cannotWrite(dir: string, e: unknown): unknown {
  const code = errnoCode(e);
  if (code === 'EACCES' || code === 'EPERM') {
    return new ProvisionError('PERMISSION', `Cannot write provision's journal in ${dir} (${code}); the move stopped before its next step, so nothing was lost.`, {
      hint: `Run as the owner of ${dir} (sudo provision ... for /var/db/provision), or make it writable for you; or set PROVISION_STATE_DIR to a folder you may write.`,
      cause: e,
    });
  }
  if (code === 'EROFS' || code === 'ENOSPC' || code === 'EDQUOT') {
    const why = code === 'EROFS' ? 'its file system is read-only' : 'its disk is full';
    return new ProvisionError('IO', `Cannot write provision's journal in ${dir}: ${why} (${code}); the move stopped before its next step, so nothing was lost.`, {
      hint: code === 'EROFS' ? `Set PROVISION_STATE_DIR to a folder on a writable disk, or mount the disk holding ${dir} read-write.` : `Free some space on the disk holding ${dir}, then run this again.`,
      cause: e,
    });
  }
  return e;
}
