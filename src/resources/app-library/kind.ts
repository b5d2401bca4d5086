import type { MachineContext } from '../../desired/machine-context.js';
import type { ResolvedUser } from '../../desired/resolve-users.js';
import type { ResourceKind } from '../../engine/resource-kind.js';
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
  };
}
