import { ProvisionError } from '../../errors.js';
import type { HostReads } from '../../host/host.js';
import { findOpenWriters } from '../../machine/open-writers.js';

/**
 * "Never move what is being written", while moving: no process may hold a file below `folder`
 * open for writing (lsof, machine/open-writers.ts), and the folder must be as it was when the
 * copy began (its fingerprint, journaled then). Checked when the copy begins and again right
 * before anything of the original is put aside or removed. Either failing throws; the caller
 * keeps the original untouched and starts the copy over on the next run.
 */
export async function requireNoWriters(host: HostReads, folder: string, background: readonly string[], keeps: string): Promise<void> {
  const found = await findOpenWriters(host, [folder], { background, asRoot: process.getuid?.() === 0 });
  if (!found.ok) throw new ProvisionError('SOURCE_IN_USE', `${found.reason}. ${keeps}`, { hint: found.fix });
  const w = found.writers[0];
  if (w !== undefined) {
    throw new ProvisionError(
      'SOURCE_IN_USE',
      `${w.command} (pid ${w.pid}${w.user === undefined ? '' : `, user ${w.user}`}) has ${w.path} open for writing${found.writers.length > 1 ? `, and ${found.writers.length - 1} more` : ''}. ${keeps}`,
      { hint: `quit ${w.command} or wait until it has finished writing (for a device backup, until Finder shows it finished), then run provision again: the copy starts over` },
    );
  }
}

/** The folder's fingerprint digest now (what the journal keeps when the copy begins). */
export async function fingerprintOf(host: HostReads, folder: string, skipTop: readonly string[]): Promise<string> {
  return (await host.fingerprint(folder, { skipTop: [...skipTop] })).digest;
}

/** Throws SOURCE_CHANGED, naming the entry changed last, when the folder is no longer as it was. */
export async function requireUnchanged(host: HostReads, folder: string, skipTop: readonly string[], was: string | undefined, keeps: string): Promise<void> {
  if (was === undefined) return; // journaled before fingerprints: the writers check stands alone
  const now = await host.fingerprint(folder, { skipTop: [...skipTop] });
  if (now.digest === was) return;
  const which = now.newest === undefined ? '' : ` (the last entry changed: ${now.newest.path})`;
  throw new ProvisionError('SOURCE_CHANGED', `${folder} changed while it was being moved${which}. ${keeps}`, {
    hint: 'an app wrote into it during the move; let it finish (quit it), then run provision again: the copy starts over',
  });
}
