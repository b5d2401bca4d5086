import { IPHOTO_PREFERENCE, APP_PROCESS_NAMES } from '../../assumptions.js';
import { ownEntry } from '../../config/model/own-entry.js';
import { folderKey } from '../../config/model/path-forms.js';
import type { MachineContext } from '../../desired/machine-context.js';
import type { ResolvedUser } from '../../desired/resolve-users.js';
import { appLibraryKind } from '../app-library/kind.js';
import { libraryAt } from '../app-library/library-at.js';
import type { AppLibraryDesired } from '../app-library/types.js';
import { driveFolder } from '../../desired/drive-folder.js';

/** The names Photos and iPhoto give their libraries in ~/Pictures (platform-facts.md, verified). */
export const DEFAULT_PHOTO_LIBRARY_NAMES: readonly string[] = [
  'Photos Library.photoslibrary',
  'iPhoto Library.photolibrary',
  'iPhoto Library',
];

/** iPhoto's packages end in .photolibrary (the oldest have no extension); Photos' in .photoslibrary. */
export function isIPhotoLibraryName(name: string): boolean {
  return !/\.photoslibrary$/i.test(name);
}

/**
 * Photo libraries (Mac only): each default library and each one the declaration names is moved
 * whole into the declared folder on the drive, keeping its name, and linked from ~/Pictures. A
 * library the user does not have is left out of the plan.
 */
export const photos = appLibraryKind('photos', (ctx: MachineContext, user: ResolvedUser): AppLibraryDesired[] => {
  const loc = user.effective.photos;
  if (ctx.platform !== 'macos' || loc === undefined) return [];
  const place = driveFolder(ctx, loc);
  const tmDrives = ownEntry(ctx.loaded.config.machines, ctx.name)?.timemachine?.destinations?.map((t) => t.drive) ?? [];
  const name = user.desired.name;
  // Mac volumes ignore case: one library, however the declaration spells it.
  const seen = new Set<string>();
  const libraries = [
    ...DEFAULT_PHOTO_LIBRARY_NAMES.map((n) => ({ n, declared: false })),
    ...(loc.libraries ?? []).map((n) => ({ n, declared: true })),
  ].filter(({ n }) => {
    const key = folderKey([n]).join('/');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return libraries.map(({ n, declared }) => {
    const iphoto = isIPhotoLibraryName(n);
    return {
      id: `${name}/photos/${n}`,
      kind: 'photos',
      title: `${iphoto ? 'iPhoto' : 'Photos'} library ${n}`,
      ...libraryAt(ctx, user, place, ['Pictures', n], n),
      wholeNoun: 'photo library',
      family: iphoto ? 'iphoto' : 'photos',
      apps: APP_PROCESS_NAMES.photos,
      declared,
      appleDriveRules: true,
      onTimeMachineDrive: tmDrives.includes(loc.drive),
      ...(iphoto
        ? { preference: { ...IPHOTO_PREFERENCE, ...(name === ctx.invoker.name ? {} : { asUser: name }) } }
        : {}),
    };
  });
});
