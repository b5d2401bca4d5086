import type { DesiredMachine, DesiredUser } from '../../desired/desired-machine.js';
import { stepRunner, type DriveRules, type ToolNeed, type UserKind } from '../../engine/kind.js';
import { MOVE_TOOLS } from '../linked-folder/tools.js';
import type { AppLibraryStep } from './steps.js';
import { linkedFolderPlaces } from '../linked-folder/work-places.js';
import { observeAppLibrary, refineAppLibrary } from './observe.js';
import { planAppLibrary } from './plan.js';
import type { AppLibraryDesired, AppLibraryObserved, AppLibraryRestoreObserved } from './types.js';

/** A resource kind made of app libraries: each kind only says which libraries a user has. */
export function appLibraryKind(
  kind: string,
  desire: (machine: DesiredMachine, user: DesiredUser) => AppLibraryDesired[],
  tools: (machine: DesiredMachine, desired: readonly AppLibraryDesired[]) => ToolNeed[],
  driveRules?: (d: AppLibraryDesired) => DriveRules | undefined,
): UserKind<AppLibraryDesired, AppLibraryObserved, AppLibraryRestoreObserved> {
  return {
    kind,
    scope: 'user',
    desire,
    ...(driveRules === undefined ? {} : { driveRules }),
    // Step runners, restore support and status are loaded on use, not by a plan (engine/kind.ts).
    steps: stepRunner<AppLibraryStep>(['set-preference', 'remove-kept-original'], async (ctx, step) =>
      step.op === 'set-preference'
        ? (await import('./run-set-preference.js')).runSetPreference(ctx, step)
        : (await import('./run-remove-kept.js')).runRemoveKept(ctx, step),
    ),
    drives: (d) => [{ drive: d.drive.name, usedBy: `${d.user}/${kind}` }],
    tools: (machine, desired) => (machine.platform === 'macos' && desired.length > 0 ? [...MOVE_TOOLS, APPS_TOOL, ...tools(machine, desired)] : []),
    observe: observeAppLibrary,
    refine: refineAppLibrary,
    plan: planAppLibrary,
    restore: async () => {
      const { observeAppLibraryRestore, planAppLibraryRestore } = await import('./restore.js');
      return { observe: observeAppLibraryRestore, plan: planAppLibraryRestore };
    },
    places: linkedFolderPlaces,
    // A library the user has nowhere is left out, as in a plan; one named in the declaration is
    // shown as not set up, in case its name is misspelt.
    status: async (host, ctx, d) => {
      const [{ withKeptOriginals }, { linkedFolderStatus }] = await Promise.all([import('./kept-status.js'), import('../linked-folder/status.js')]);
      return withKeptOriginals(
        host,
        ctx,
        d,
        await linkedFolderStatus(host, ctx, d, {
          nothing: d.declared
            ? { words: `not found: neither in ${d.links[0]?.machine ?? 'the home folder'} nor on drive ${d.drive.name}`, hint: 'check the name in the declaration\'s libraries:' }
            : 'omit',
        }),
      );
    },
  };
}

/** macos/running-apps.ts: the library's app must not be running while it moves. */
const APPS_TOOL: ToolNeed = { command: 'pgrep', neededFor: 'checking that Photos, iPhoto, Music and iTunes are not running before their library moves', ifMissing: 'problem' };
