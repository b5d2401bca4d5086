import { IPHOTO_PREFERENCE, APP_PROCESS_NAMES, PHOTOS_BACKGROUND_WRITERS, PHOTOS_SYSTEM_LIBRARY_PREFERENCE } from '../../assumptions.js';
import { LIBRARY_DATABASES } from '../app-library/databases.js';
import { folderKey } from '../../config/model/path-forms.js';
import type { DesiredMachine, DesiredUser } from '../../desired/desired-machine.js';
import type { DriveRules, ToolNeed } from '../../engine/kind.js';
import { appleDriveProblems } from '../app-library/drive-rules.js';
import { appLibraryKind } from '../app-library/kind.js';
import { libraryAt } from '../app-library/library-at.js';
import type { AppLibraryDesired } from '../app-library/types.js';

/** The names Photos and iPhoto give their libraries in ~/Pictures (docs/platform-facts.md, verified). */
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
export const photos = appLibraryKind('photos', (ctx: DesiredMachine, user: DesiredUser): AppLibraryDesired[] => {
  const place = user.locations.photos;
  if (ctx.platform !== 'macos' || place === undefined) return [];
  const tmDrives = ctx.timemachine?.destinations.flatMap((t) => ('drive' in t ? [t.drive.name] : [])) ?? [];
  const name = user.name;
  // Mac volumes ignore case: one library, however the declaration spells it.
  const seen = new Set<string>();
  const libraries = [
    ...DEFAULT_PHOTO_LIBRARY_NAMES.map((n) => ({ n, declared: false })),
    ...place.libraries.map((n) => ({ n, declared: true })),
  ].filter(({ n }) => {
    const key = folderKey([n]).join('/');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const m = ctx.paths.machine;
  const asOwner = name === ctx.invoker.name ? {} : { asUser: name };
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
      onTimeMachineDrive: tmDrives.includes(place.drive.name),
      databases: LIBRARY_DATABASES,
      backgroundWriters: PHOTOS_BACKGROUND_WRITERS,
      // Apple's order: the original stays until the moved library was opened from the drive.
      keepOriginal: iphoto ? {} : { opened: { domain: m.join(user.home.machine, ...PHOTOS_SYSTEM_LIBRARY_PREFERENCE.domainInHome), key: PHOTOS_SYSTEM_LIBRARY_PREFERENCE.key, ...asOwner } },
      ...(iphoto
        ? { preference: { ...IPHOTO_PREFERENCE, ...asOwner } }
        : {}),
    };
  });
}, photoTools, appleRules);

/**
 * macos/defaults.ts reads and sets iPhoto's library location, as the library's owner (sudo -u)
 * when provision runs as root for another account.
 */
function photoTools(machine: DesiredMachine, desired: readonly AppLibraryDesired[]): ToolNeed[] {
  const tools: ToolNeed[] = [{ command: 'defaults', neededFor: "reading iPhoto's library location (RootDirectory) and Photos' System Photo Library, and setting iPhoto's", ifMissing: 'problem' }];
  if (desired.some((d) => d.family === 'iphoto')) tools.push({ command: 'sw_vers', neededFor: 'telling whether iPhoto can run on this Mac (not on macOS 10.15 and later)', ifMissing: 'warning' });
  if (desired.some((d) => d.user !== machine.invoker.name)) tools.push({ command: 'sudo', neededFor: 'running defaults as each user whose iPhoto preference is read', ifMissing: 'problem' });
  return tools;
}

/** Apple's rules for a photo library's drive, which doctor checks whatever the plan (one check per user). */
function appleRules(d: AppLibraryDesired): DriveRules | undefined {
  if (!d.appleDriveRules) return undefined;
  return {
    id: 'photo-drive',
    subject: d.user,
    title: `Photo libraries of ${d.user}`,
    drive: d.drive,
    check: (observed) => ({
      problems: appleDriveProblems(d, observed),
      ok: `declared on drive ${d.drive.name}${observed.kind === 'mounted' && observed.fsType !== undefined ? ` (${observed.fsType})` : ''}, which Apple allows: not a network share, not removable media, not case-sensitive, not a Time Machine destination`,
    }),
  };
}
