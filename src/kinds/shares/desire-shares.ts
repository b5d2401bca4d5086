import { dual } from '../../desired/machine-context.js';
import type { DesiredMachine } from '../../desired/desired-machine.js';
import { observeDrive } from '../../drives/observe-drive.js';
import type { HostReads } from '../../host/host.js';
import type { DriveObserved } from '../../drives/types.js';
import type { ShareDesired } from './types.js';

/** The machine's declared shares as folders on its drives: the same for Samba and File Sharing. */
export function desiredShares(ctx: DesiredMachine): ShareDesired[] | undefined {
  return ctx.shares?.map((s) => {
    const place = s.place;
    const m = place.drive.mountPoint.machine;
    return {
      name: s.name,
      drive: place.drive,
      folder: place.folder,
      folders: place.segments.map((_, i) => dual(ctx, ctx.paths.machine.join(m, ...place.segments.slice(0, i + 1)))),
      users: [...s.users],
      timeMachine: s.timeMachine,
      ...(s.quotaGB === undefined ? {} : { quotaGB: s.quotaGB }),
      clients: [...s.clients],
    };
  });
}

/** Per share: its drive, and which of its folders exist already (the rest are created). */
export async function observeShareFolders(host: HostReads, shares: readonly ShareDesired[]): Promise<{ drives: DriveObserved[]; existing: boolean[][] }> {
  const drives: DriveObserved[] = [];
  const existing: boolean[][] = [];
  for (const s of shares) {
    drives.push(await observeDrive(host, s.drive));
    const here: boolean[] = [];
    for (const f of s.folders) here.push((await host.lstat(f.host))?.kind === 'directory');
    existing.push(here);
  }
  return { drives, existing };
}
