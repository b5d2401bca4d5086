import { dual } from '../../desired/machine-context.js';
import type { DesiredMachine, DesiredUser } from '../../desired/desired-machine.js';
import type { UserKind } from '../../engine/kind.js';
import { moveTools } from '../linked-folder/tools.js';
import { observeLinkedFolder, refineLinkedFolder } from '../linked-folder/observe.js';
import { planLinkedFolder } from '../linked-folder/plan.js';
import type { LinkedFolderRestoreObserved } from '../linked-folder/plan-restore.js';
import type { LinkedFolderDesired, LinkedFolderObserved } from '../linked-folder/types.js';
import { linkedFolderPlaces } from '../linked-folder/work-places.js';
import { mobileSyncFolders } from './paths.js';
import { linkedFolderRestore } from '../linked-folder/restore-support.js';

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
  observe: (host, machine, d) => observeLinkedFolder(host, machine, d, { refineFollows: true }),
  refine: refineLinkedFolder,
  plan: planLinkedFolder,
  restore: linkedFolderRestore,
  places: linkedFolderPlaces,
  // One row per device backup, wherever the backups are, each held against its own limit.
  // Loaded on use, not by a plan (engine/kind.ts).
  status: async (host, ctx, d) => (await import('./device-status.js')).deviceStatus(host, ctx, d, new Date()),
  health: async (host, ctx, d, now) => (await import('./device-status.js')).deviceHealth(host, ctx, d, now),
  drives: (d) => [{ drive: d.drive.name, usedBy: d.id }],
  tools: (machine, desired) => (desired.length > 0 ? moveTools(machine.platform) : []),
};

export { mobileSyncFolders } from './paths.js';
export { STALE_BACKUP_DAYS } from './device-info.js';
