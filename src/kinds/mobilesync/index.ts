import { dual } from '../../desired/machine-context.js';
import type { DesiredMachine, DesiredUser } from '../../desired/desired-machine.js';
import type { UserKind } from '../../engine/kind.js';
import { moveTools } from '../linked-folder/tools.js';
import { observeLinkedFolder, refineLinkedFolder } from '../linked-folder/observe.js';
import { planLinkedFolder } from '../linked-folder/plan.js';
import { observeLinkedFolderRestore } from '../linked-folder/observe-restore.js';
import { planLinkedFolderRestore, type LinkedFolderRestoreObserved } from '../linked-folder/plan-restore.js';
import type { LinkedFolderDesired, LinkedFolderObserved } from '../linked-folder/types.js';
import { linkedFolderStatus } from '../linked-folder/status.js';
import { linkedFolderPlaces } from '../linked-folder/work-places.js';
import { measureBackupFolder } from './device-backups.js';
import { mobileSyncFolders } from './paths.js';
import { deviceFindings } from './device-health.js';
import type { HostReads } from '../../host/host.js';
import type { ResourceStatus } from '../../engine/status/status-types.js';
import { DEFAULT_WATCH_LIMITS } from '../../desired/watch-limits.js';

function deviceStatus(host: HostReads, ctx: DesiredMachine, d: LinkedFolderDesired, now: Date): Promise<ResourceStatus | undefined> {
  const limits = ctx.users.find((u) => u.name === d.user)?.watch ?? { deviceBackupDays: DEFAULT_WATCH_LIMITS.deviceBackupDays, devices: new Map<string, number>() };
  return linkedFolderStatus(host, ctx, d, { measure: measureBackupFolder(ctx, now, limits) });
}

/** iOS device backups: the MobileSync Backup folder becomes a link to a folder on a drive. */
export const mobilesync: UserKind<LinkedFolderDesired, LinkedFolderObserved, LinkedFolderRestoreObserved> = {
  kind: 'mobilesync',
  scope: 'user',
  desire(ctx: DesiredMachine, user: DesiredUser): LinkedFolderDesired[] {
    const place = user.locations.mobilesync;
    const folders = mobileSyncFolders(ctx.platform);
    if (place === undefined || folders.length === 0) return [];
    const home = user.home;
    return [
      {
        id: `${user.name}/mobilesync`,
        kind: 'mobilesync',
        title: 'iOS device backups',
        user: user.name,
        platform: ctx.platform,
        home,
        links: folders.map((f) => dual(ctx, ctx.paths.machine.join(home.machine, ...f))),
        // Windows gets directory junctions, which need no administrator rights. Under --root
        // from another OS the host makes a symbolic link holding the same target, but the step
        // stays a junction's, so it is carried out as Windows needs (run-link.ts).
        linkType: ctx.platform === 'windows' ? 'junction' : 'symlink',
        drive: place.drive,
        target: place.folder,
        targetSegments: place.segments,
        ignorableDuplicates: ['.DS_Store'],
        entryNoun: 'device backup',
        merge: true,
        wholeNoun: 'backup folder',
      },
    ];
  },
  observe: observeLinkedFolder,
  refine: refineLinkedFolder,
  plan: planLinkedFolder,
  restore: { observe: observeLinkedFolderRestore, plan: planLinkedFolderRestore },
  places: linkedFolderPlaces,
  // One row per device backup, wherever the backups are, each held against its own limit.
  status: (host, ctx, d) => deviceStatus(host, ctx, d, new Date()),
  health: async (host, ctx, d, now) => {
    const status = await deviceStatus(host, ctx, d, now);
    return status === undefined ? [] : deviceFindings(status, ctx.name);
  },
  drives: (d) => [{ drive: d.drive.name, usedBy: d.id }],
  tools: (machine, desired) => (desired.length > 0 ? moveTools(machine.platform) : []),
};

export { mobileSyncFolders } from './paths.js';
export { STALE_BACKUP_DAYS } from './device-info.js';
