import { lockPath } from '../engine/lock/apply-lock.js';
import { runningApply } from '../engine/lock/running-apply.js';
import type { HostReads } from '../host/host.js';
import type { Style } from '../text/style.js';
import { stderr } from './std-output.js';
import type { Session } from '../app/session.js';

/**
 * The commands that only read (plan, status) take no lock; while an apply runs, the move it is
 * making looks interrupted to them, so they say that one is running.
 */
export async function noteRunningApply(reads: HostReads, run: Session, style: Style): Promise<void> {
  const busy = await runningApply(reads, lockPath(run.ctx.platform, run.ctx.paths.toHost));
  if (busy !== undefined) {
    stderr.write(style.yellow(`Note: ${busy} is running on this machine; a move it is making may show here as interrupted.\n`));
  }
}
