import { ownEntry } from '../../config/model/own-entry.js';
import { quotaGB } from '../../config/model/quota.js';
import { dual, type MachineContext } from '../../desired/machine-context.js';
import { observeDrive } from '../../drives/observe-drive.js';
import type { HostReads } from '../../host/host.js';
import type { DriveObserved } from '../../drives/types.js';
import { driveFolder } from '../../desired/drive-folder.js';
import type { ShareDesired } from './types.js';

/** The machine's declared shares as folders on its drives: the same for Samba and File Sharing. */
export function desiredShares(ctx: MachineContext): ShareDesired[] | undefined {
  const shares = ownEntry(ctx.loaded.config.machines, ctx.name)?.shares;
  return shares?.map((s) => {
    const place = driveFolder(ctx, s);
    const quota = s.timemachine?.quota;
    const m = place.drive.mountPoint.machine;
    return {
      name: s.name,
      drive: place.drive,
      folder: place.folder,
      folders: place.segments.map((_, i) => dual(ctx, ctx.paths.machine.join(m, ...place.segments.slice(0, i + 1)))),
      users: [...s.users],
      timeMachine: s.timemachine !== undefined,
      ...(quota === undefined ? {} : { quotaGB: quotaGB(quota) }),
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
