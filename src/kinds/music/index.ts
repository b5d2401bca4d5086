import { APP_PROCESS_NAMES, MUSIC_MEDIA_FOLDERS } from '../../assumptions.js';
import type { DesiredMachine, DesiredUser } from '../../desired/desired-machine.js';
import { LIBRARY_DATABASES } from '../app-library/databases.js';
import { appLibraryKind } from '../app-library/kind.js';
import { libraryAt } from '../app-library/library-at.js';
import type { AppLibraryDesired } from '../app-library/types.js';

/**
 * The music media folder (Mac only): ~/Music/iTunes (iTunes) and ~/Music/Music/Media (the Music
 * app), whichever the user has, moved into the declared folder on the drive under its own name
 * (iTunes, Media) and linked. Both are kept apart, so a Mac upgraded from iTunes with both
 * folders moves both without mixing them. One the user does not have is left out of the plan.
 */
export const music = appLibraryKind('music', (ctx: DesiredMachine, user: DesiredUser): AppLibraryDesired[] => {
  const place = user.locations.music;
  if (ctx.platform !== 'macos' || place === undefined) return [];
  const name = user.name;
  return MUSIC_MEDIA_FOLDERS.map(({ layout, segments }) => {
    const leaf = segments[segments.length - 1] ?? layout;
    return {
      id: `${name}/music/${leaf}`,
      kind: 'music',
      title: `${layout === 'itunes' ? 'iTunes' : 'Music'} media folder`,
      ...libraryAt(ctx, user, place, segments, leaf),
      wholeNoun: 'music media folder',
      family: 'music',
      apps: APP_PROCESS_NAMES.music,
      declared: false,
      appleDriveRules: false,
      onTimeMachineDrive: false,
      databases: LIBRARY_DATABASES,
    };
  });
}, () => []);
