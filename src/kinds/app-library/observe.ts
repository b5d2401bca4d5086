import path from 'node:path';
import { isProvisionError } from '../../errors.js';
import type { MachineFacts } from '../../desired/machine-context.js';
import type { HostReads } from '../../host/host.js';
import { readDefault } from '../../macos/defaults.js';
import { runningApps } from '../../macos/running-apps.js';
import { observeLinkedFolder, refineLinkedFolder } from '../linked-folder/observe.js';
import { nothingThere } from '../linked-folder/plan.js';
import { findKeptOriginals } from './kept-originals.js';
import { readLibraryLayout } from './library-layout.js';
import { readMacosVersion } from '../../macos/macos-version.js';
import { iPhotoCannotRun } from './iphoto-runs.js';
import type { AppLibraryDesired, AppLibraryObserved, AppsObserved, PreferenceObserved } from './types.js';

/**
 * What the app-library planner needs to tell whether anything changes. The running apps and the
 * drive's format are left to refineAppLibrary, which runs only when something does.
 */
export async function observeAppLibrary(host: HostReads, ctx: MachineFacts, d: AppLibraryDesired): Promise<AppLibraryObserved> {
  const folder = await observeLinkedFolder(host, ctx, d, { refineFollows: true });
  const o: AppLibraryObserved = { folder };
  if (nothingThere(folder)) return o;
  const home = folder.links[0];
  if (d.family !== 'music' && home?.state.kind === 'directory') o.homeLayout = await readLibraryLayout(host, home.path.host);
  if (d.family === 'photos' && home !== undefined) {
    const names = await host.readdir(path.dirname(home.path.host)).catch(() => [] as string[]);
    const migrated = names.filter((n) => /\.migratedphotolibrary$/i.test(n)).sort();
    if (migrated.length > 0) o.migrated = migrated;
  }
  if (d.family === 'iphoto') {
    const version = await readMacosVersion(host);
    if (version !== undefined) o.macosVersion = version;
  }
  // iPhoto's preference is read only where iPhoto can still run.
  if (d.preference !== undefined && !iPhotoCannotRun(o)) o.preference = await observePreference(host, d.preference);
  if (d.keepOriginal !== undefined && home !== undefined) {
    o.kept = await findKeptOriginals(host, home.path.host);
    if (o.kept.length > 0 && d.keepOriginal.opened !== undefined) o.opened = await observePreference(host, d.keepOriginal.opened);
  }
  if (ctx.scheduled === true) o.scheduled = true;
  return o;
}

/** ResourceKind.refine: which of the library's apps run, and the drive's format (Apple's rules). */
export async function refineAppLibrary(host: HostReads, ctx: MachineFacts, d: AppLibraryDesired, o: AppLibraryObserved): Promise<AppLibraryObserved> {
  const refined: AppLibraryObserved = { ...o, folder: await refineLinkedFolder(host, ctx, d, o.folder), apps: await observeApps(host, d) };
  // What the System Photo Library was before a move, so that a later change to the moved library shows.
  if (d.keepOriginal?.opened !== undefined && refined.opened === undefined) refined.opened = await observePreference(host, d.keepOriginal.opened);
  return refined;
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
