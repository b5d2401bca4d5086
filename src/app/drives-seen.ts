import { recordDrivesSeen } from '../drives/drive-seen.js';
import type { Host } from '../host/host.js';
import { drivesUsed, observeUsedDrives } from './drive-status.js';
import type { Session } from './session.js';

/**
 * Remembers which of the run's declared drives are mounted now, and are the right drives (a twin
 * of the same name is not "seen"), for `provision check`'s "not seen for N days". Apply, restore
 * and the daily check call it on the real host; plan, status and doctor never do.
 */
export async function noteDrivesSeen(run: Session, host: Host, now: Date): Promise<void> {
  const seen = await observeUsedDrives(host, run.desired, drivesUsed(run.resources));
  const mounted = seen.filter((d) => d.observed.kind === 'mounted').map((d) => d.drive.name);
  await recordDrivesSeen(host, run.journalDirs, mounted, now);
}
