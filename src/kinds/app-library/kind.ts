import type { MachineContext } from '../../desired/machine-context.js';
import type { ResolvedUser } from '../../desired/resolve-users.js';
import type { ResourceKind } from '../../engine/kind.js';
import { linkedFolderStatus } from '../linked-folder/status.js';
import { linkedFolderPlaces } from '../linked-folder/work-places.js';
import { observeAppLibrary, refineAppLibrary } from './observe.js';
import { planAppLibrary } from './plan.js';
import { observeAppLibraryRestore, planAppLibraryRestore } from './restore.js';
import type { AppLibraryDesired, AppLibraryObserved, AppLibraryRestoreObserved } from './types.js';

/** A resource kind made of app libraries: each kind only says which libraries a user has. */
export function appLibraryKind(
  kind: string,
  desire: (ctx: MachineContext, user: ResolvedUser) => AppLibraryDesired[],
): ResourceKind<AppLibraryDesired, AppLibraryObserved, AppLibraryRestoreObserved> {
  return {
    kind,
    desire,
    observe: observeAppLibrary,
    refine: refineAppLibrary,
    plan: planAppLibrary,
    restore: { observe: observeAppLibraryRestore, plan: planAppLibraryRestore },
    places: linkedFolderPlaces,
    // A library the user has nowhere is left out, as in a plan; one named in the declaration is
    // shown as not set up, in case its name is misspelt.
    status: (host, ctx, d) =>
      linkedFolderStatus(host, ctx, d, {
        nothing: d.declared
          ? { words: `not found: neither in ${d.links[0]?.machine ?? 'the home folder'} nor on drive ${d.drive.name}`, hint: 'check the name in the declaration\'s libraries:' }
          : 'omit',
      }),
  };
}
