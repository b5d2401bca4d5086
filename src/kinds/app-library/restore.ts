import type { MachineFacts } from '../../desired/machine-context.js';
import type { Blocker, Change, Step } from '../../engine/types.js';
import type { HostReads } from '../../host/host.js';
import { observeLinkedFolderRestore } from '../linked-folder/observe-restore.js';
import { nothingThere } from '../linked-folder/plan.js';
import { planLinkedFolderRestore } from '../linked-folder/plan-restore.js';
import { appsBlockers } from './apps-blockers.js';
import { setPreference } from './plan.js';
import { observeApps, observePreference } from './observe.js';
import type { AppLibraryDesired, AppLibraryRestoreObserved } from './types.js';

/**
 * Undoing an app library (provision restore): the linked folder's restore, only while the app is
 * not running, and for iPhoto the preference pointed back at the library's place in Pictures
 * when it names the library on the drive.
 */
export function planAppLibraryRestore(d: AppLibraryDesired, o: AppLibraryRestoreObserved): Change | undefined {
  if (nothingThere(o.folder)) return undefined;
  const base = planLinkedFolderRestore(d, o.folder);
  const blockers: Blocker[] = [...base.blockers];
  const steps: Step[] = [...base.steps];
  const home = d.links[0]?.machine;
  const pref = o.preference;
  if (d.preference !== undefined && pref !== undefined && home !== undefined) {
    if (!pref.ok) blockers.push({ code: 'PREFERENCE_UNREADABLE', reason: pref.message, fix: pref.hint });
    else if (pref.value === d.target.machine && steps.length > 0) {
      steps.push(setPreference(d.preference, home));
    }
  }
  if (steps.length > 0) blockers.push(...appsBlockers(d, o.apps, `the ${d.wholeNoun} cannot move back while it is open`, 'run restore again'));
  const blocked = blockers.length > 0;
  return { ...base, action: blocked ? 'blocked' : base.action, blockers, steps: blocked ? [] : steps };
}

export async function observeAppLibraryRestore(host: HostReads, ctx: MachineFacts, d: AppLibraryDesired): Promise<AppLibraryRestoreObserved> {
  const folder = await observeLinkedFolderRestore(host, ctx, d);
  const o: AppLibraryRestoreObserved = { folder };
  if (nothingThere(folder)) return o;
  if (d.preference !== undefined) o.preference = await observePreference(host, d.preference);
  if (planLinkedFolderRestore(d, folder).steps.length > 0) o.apps = await observeApps(host, d);
  return o;
}
