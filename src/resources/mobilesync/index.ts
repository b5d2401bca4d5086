import { driveMountPoint } from '../../config/effective.js';
import { parseDrivePath } from '../../config/path-forms.js';
import { dual, type MachineContext } from '../../desired/machine-context.js';
import type { ResolvedUser } from '../../desired/resolve-users.js';
import type { ResourceKind } from '../../engine/resource-kind.js';
import { observeLinkedFolder } from '../linked-folder/observe.js';
import { planLinkedFolder } from '../linked-folder/plan.js';
import { observeLinkedFolderRestore } from '../linked-folder/observe-restore.js';
import { planLinkedFolderRestore, type LinkedFolderRestoreObserved } from '../linked-folder/plan-restore.js';
import type { LinkedFolderDesired, LinkedFolderObserved } from '../linked-folder/types.js';
import { mobileSyncFolders } from './paths.js';

/** iOS device backups: the MobileSync Backup folder becomes a link to a folder on a drive. */
export const mobilesync: ResourceKind<LinkedFolderDesired, LinkedFolderObserved, LinkedFolderRestoreObserved> = {
  kind: 'mobilesync',
  desire(ctx: MachineContext, user: ResolvedUser): LinkedFolderDesired[] {
    const loc = user.effective.mobilesync;
    const folders = mobileSyncFolders(ctx.platform);
    if (loc === undefined || folders.length === 0) return [];
    const mount = driveMountPoint(ctx.loaded.config, ctx.name, loc.drive);
    // Validation has already refused a drive this machine cannot place.
    if (!mount.ok) throw new Error(`internal: drive ${loc.drive} unresolved on ${ctx.name}: ${mount.reason}`);
    const m = ctx.paths.machine;
    const parsed = parseDrivePath(loc.path);
    if (!parsed.ok) throw new Error(`internal: path ${loc.path} passed validation but is ${parsed.problem}`);
    const segments = parsed.segments;
    const home = user.desired.home;
    return [
      {
        id: `${user.desired.name}/mobilesync`,
        kind: 'mobilesync',
        title: 'iOS device backups',
        user: user.desired.name,
        platform: ctx.platform,
        home,
        links: folders.map((f) => dual(ctx, m.join(home.machine, ...f))),
        // Windows gets directory junctions, which need no administrator rights; a Windows
        // machine provisioned under --root from another OS gets symlinks there instead.
        linkType: ctx.platform === 'windows' && ctx.paths.root === undefined ? 'junction' : 'symlink',
        drive: { name: loc.drive, mountPoint: dual(ctx, mount.mountPoint) },
        target: dual(ctx, m.join(mount.mountPoint, ...segments)),
        targetSegments: segments,
        ignorableDuplicates: ['.DS_Store'],
        entryNoun: 'device backup',
      },
    ];
  },
  observe: observeLinkedFolder,
  plan: planLinkedFolder,
  restore: { observe: observeLinkedFolderRestore, plan: planLinkedFolderRestore },
};
