import { recordDrivesSeen } from '../drives/drive-seen.js';
import type { Host } from '../host/host.js';
import { errnoCode, isProvisionError } from '../errors.js';
import { drivesUsed, observeUsedDrives } from './drive-status.js';
import type { Session } from './session.js';

/**
 * Remembers which of the run's declared drives are mounted now, and are the right drives (a twin
 * of the same name is not "seen"), for `provision check`'s "not seen for N days". Apply, restore
 * and the daily check call it on the real host; plan, status and doctor never do.
 */
export async function noteDrivesSeen(run: Session, host: Host, now: Date): Promise<void> {
  try {
    const seen = await observeUsedDrives(host, run.desired, drivesUsed(run.resources));
    const mounted = seen.filter((d) => d.observed.kind === 'mounted').map((d) => d.drive.name);
    await recordDrivesSeen(host, run.journalDirs, mounted, now);
  } catch (e) {
    // Best effort: a drive that cannot be looked at now (a tool failing, a drive going away) is
    // simply not recorded as seen, and must never hide the outcome of the apply around it.
    if (isProvisionError(e) || errnoCode(e) !== undefined) return;
    throw e;
  }
}
