import { isProvisionError } from '../../errors.js';
import type { MachineContext } from '../../desired/machine-context.js';
import type { HostReads } from '../../host/host.js';
import { readDefault } from '../../machine/defaults.js';
import { runningApps } from '../../machine/running-apps.js';
import { observeLinkedFolder } from '../linked-folder/observe.js';
import { nothingThere } from '../linked-folder/plan.js';
import { readLibraryLayout } from '../photos/library-layout.js';
import { planAppLibrary } from './plan.js';
import type { AppLibraryDesired, AppLibraryObserved, AppsObserved, PreferenceObserved } from './types.js';

/**
 * Everything the app-library planner needs. The running apps are looked up only when a draft
 * plan (the same pure planner, told nothing runs) is not a no-op: a converged plan,
 * run many times a day, then starts no process.
 */
export async function observeAppLibrary(host: HostReads, ctx: MachineContext, d: AppLibraryDesired): Promise<AppLibraryObserved> {
  const folder = await observeLinkedFolder(host, ctx, d);
  const o: AppLibraryObserved = { folder };
  if (nothingThere(folder)) return o;
  const home = folder.links[0];
  if (d.family !== 'music' && home?.state.kind === 'directory') o.homeLayout = await readLibraryLayout(host, home.path.host);
  if (d.preference !== undefined) o.preference = await observePreference(host, d.preference);
  const draft = planAppLibrary(d, { ...o, apps: { ok: true, running: [] } });
  // Blocked counts as a change: the plan still says everything that stands in the way.
  if (draft !== undefined && draft.action !== 'none') o.apps = await observeApps(host, d);
  return o;
}

export async function observePreference(host: HostReads, p: NonNullable<AppLibraryDesired['preference']>): Promise<PreferenceObserved> {
  try {
    return { ok: true, value: await readDefault(host, p.domain, p.key, p.asUser) };
  } catch (e) {
    if (!isProvisionError(e)) throw e;
    return { ok: false, message: `cannot read ${p.domain} ${p.key}: ${e.message}`, hint: e.hint ?? 'run provision as that user, or as root' };
  }
}

export async function observeApps(host: HostReads, d: AppLibraryDesired): Promise<AppsObserved> {
  const result = await runningApps(host, d.user, d.apps);
  return result.ok ? result : { ok: false, message: result.error.message, hint: result.error.hint ?? `quit ${d.apps.join(' and ')} and plan again` };
}
