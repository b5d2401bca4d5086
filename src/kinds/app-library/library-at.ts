import { dual, type MachineFacts } from '../../desired/machine-context.js';
import type { DesiredUser } from '../../desired/desired-machine.js';
import type { DriveFolder } from '../../drives/types.js';
import type { AppLibraryDesired } from './types.js';

/**
 * What every app library has in common: the folder at `homeSegments` in the user's home is
 * linked to `<declared folder>/<name>` on the drive, one symlink, never merged.
 */
export function libraryAt(
  ctx: MachineFacts,
  user: DesiredUser,
  place: DriveFolder,
  homeSegments: readonly string[],
  name: string,
): Pick<AppLibraryDesired, 'user' | 'platform' | 'home' | 'links' | 'linkType' | 'drive' | 'target' | 'targetSegments' | 'ignorableDuplicates' | 'entryNoun' | 'merge'> {
  const m = ctx.paths.machine;
  const home = user.home;
  return {
    user: user.name,
    platform: ctx.platform,
    home,
    links: [dual(ctx, m.join(home.machine, ...homeSegments))],
    linkType: 'symlink',
    drive: place.drive,
    target: dual(ctx, m.join(place.folder.machine, name)),
    targetSegments: [...place.segments, name],
    ignorableDuplicates: [],
    entryNoun: 'item',
    merge: false,
  };
}
