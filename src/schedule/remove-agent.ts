/**
 * Removes one user's agent, idempotently: unloads it when launchd has it (even when its plist
 * was deleted by hand), and deletes the plist only when it is provision's (its Label says so).
 * The log stays: it is the record of what the agent did.
 */

import { ProvisionError } from '../errors.js';
import type { Host } from '../host/host.js';
import { readAgentPlist } from './agent-plist.js';
import { bootoutJob, printJob, waitUntilGone } from './launchctl.js';
import { loadedFromElsewhere } from './install-agent.js';
import type { ScheduledUser } from './schedule-context.js';

export interface RemoveOutcome {
  user: ScheduledUser;
  plist: 'removed' | 'absent';
  /** loaded-elsewhere: launchd runs the label from another plist, which is left alone. */
  launchd: 'unloaded' | 'not-loaded' | 'loaded-elsewhere' | 'no-session' | 'no-launchctl';
  /** The other plist launchd runs the label from, when it does. */
  elsewhere: string | undefined;
  /** Whether the log is there (it is kept). */
  logKept: boolean;
}

export async function removeAgent(host: Host, u: ScheduledUser): Promise<RemoveOutcome> {
  const plistThere = await checkOurs(host, u);
  const job = await printJob(host, u.domain, u.place.label);
  let launchd: RemoveOutcome['launchd'];
  if (job.kind === 'loaded' && loadedFromElsewhere(job, u)) {
    launchd = 'loaded-elsewhere';
  } else if (job.kind === 'loaded') {
    await bootoutJob(host, u.domain, u.place.label);
    await waitUntilGone(host, u.domain, u.place.label);
    launchd = 'unloaded';
  } else {
    launchd = job.kind;
  }
  // Unloaded first, then the file: should the unload fail, the agent is still whole.
  if (plistThere) await host.unlink(u.place.plist.host);
  return {
    user: u,
    plist: plistThere ? 'removed' : 'absent',
    launchd,
    elsewhere: job.kind === 'loaded' && launchd === 'loaded-elsewhere' ? job.path : undefined,
    logKept: (await host.lstat(u.place.log.host)) !== undefined,
  };
}

/** True when provision's plist is there; refuses anything else at that path. */
async function checkOurs(host: Host, u: ScheduledUser): Promise<boolean> {
  const st = await host.lstat(u.place.plist.host);
  if (st === undefined) return false;
  const installed = st.kind === 'file' ? await readAgentPlist((await host.readFile(u.place.plist.host)).toString('utf8')) : undefined;
  if (installed?.label !== u.place.label) {
    throw new ProvisionError('CONFIG_EXISTS', `${u.place.plist.machine} is not provision's agent (${installed === undefined ? 'not a property list' : `Label ${JSON.stringify(installed.label ?? null)}`}): left as it is`, {
      hint: 'provision removes only the plist it wrote; look at that file, and remove it yourself if it should go',
    });
  }
  return true;
}
