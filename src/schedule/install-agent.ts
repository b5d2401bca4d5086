/**
 * Installs one user's agent, idempotently: the plist is written only when its text differs from
 * what is there, and launchd is touched only when the job it has loaded is not that plist's.
 * An agent launchd already runs from an older plist is unloaded first (bootstrap refuses a label
 * that is loaded), then the new one is loaded.
 */

import path from 'node:path';
import { ProvisionError } from '../errors.js';
import type { Host } from '../host/host.js';
import { AGENT_FOLDERS, agentFolder } from './agent-job.js';
import { readAgentPlist, renderAgentPlist } from './agent-plist.js';
import { bootoutJob, bootstrapJob, printJob, waitUntilGone, type LaunchdJob } from './launchctl.js';
import type { ScheduleContext, ScheduledUser } from './schedule-context.js';

/** launchd refuses an agent plist that group or others may write (launchctl(1)). */
const PLIST_MODE = 0o644;

export interface InstallOutcome {
  user: ScheduledUser;
  /** written: new; replaced: other text was there; mode-fixed: the same text, made 0644; unchanged: the same bytes were there. */
  plist: 'written' | 'replaced' | 'mode-fixed' | 'unchanged';
  /** Folders made on the way (machine paths). */
  madeFolders: string[];
  launchd: 'loaded' | 'reloaded' | 'already-loaded' | 'no-session' | 'no-launchctl';
}

export async function installAgent(host: Host, sc: ScheduleContext, u: ScheduledUser): Promise<InstallOutcome> {
  const text = await renderAgentPlist(u.job);
  const existing = await existingPlist(host, u);
  // Everything that refuses is found before the first write.
  const job = await printJob(host, u.domain, u.place.label);
  if (job.kind === 'loaded' && loadedFromElsewhere(job, u)) {
    throw new ProvisionError('CONFIG_EXISTS', `launchd runs ${u.place.label} in ${u.domain} from another plist, ${job.path ?? '?'}, not from ${u.place.plist.host}`, {
      hint: `provision replaces only the agent loaded from its own plist: unload that one first (launchctl bootout ${u.domain}/${u.place.label}), then run install again`,
    });
  }
  // The log folder too: launchd opens the log when it starts the job, and cannot make folders.
  const madeFolders = await makeFolders(host, sc, u);
  let plist: InstallOutcome['plist'] = 'unchanged';
  if (existing === undefined || existing.text !== text) {
    await host.writeFileAtomic(u.place.plist.host, text);
    plist = existing === undefined ? 'written' : 'replaced';
  } else if ((existing.mode & 0o022) !== 0) {
    plist = 'mode-fixed';
  }
  if (plist !== 'unchanged') {
    await host.chmod(u.place.plist.host, PLIST_MODE);
    await ownedByUser(host, sc, u, u.place.plist.host);
  }
  return { user: u, plist, madeFolders, launchd: await load(host, u, job, plist === 'unchanged') };
}

async function existingPlist(host: Host, u: ScheduledUser): Promise<{ text: string; mode: number } | undefined> {
  const st = await host.lstat(u.place.plist.host);
  if (st === undefined) return undefined;
  if (st.kind !== 'file') {
    throw new ProvisionError('CONFIG_EXISTS', `${u.place.plist.machine} is a ${st.kind === 'symlink' ? 'link' : st.kind}, not the agent's plist`, {
      hint: 'provision writes only its own plist there; move that out of the way, then run install again',
    });
  }
  const text = (await host.readFile(u.place.plist.host)).toString('utf8');
  const installed = await readAgentPlist(text);
  if (installed?.label !== u.place.label) {
    throw new ProvisionError('CONFIG_EXISTS', `${u.place.plist.machine} holds ${installed === undefined ? 'something that is not a property list' : `another job (Label ${JSON.stringify(installed.label ?? null)})`}, not provision's agent`, {
      hint: 'provision never overwrites a file it did not write; move it out of the way, then run install again',
    });
  }
  return { text, mode: st.mode & 0o777 };
}

/** ~/Library/LaunchAgents and the log folder, each made only when missing, owned by the user. */
async function makeFolders(host: Host, sc: ScheduleContext, u: ScheduledUser): Promise<string[]> {
  const made: string[] = [];
  for (const f of AGENT_FOLDERS) {
    const dir = agentFolder(sc.run.ctx, u.place, f.segments);
    if ((await host.lstat(dir.host)) !== undefined) continue;
    await host.mkdir(dir.host, f.mode);
    await ownedByUser(host, sc, u, dir.host);
    made.push(dir.machine);
  }
  return made;
}

/** Run as root (sudo), what provision makes in a home is given to the home's owner, as launchd requires of an agent. */
async function ownedByUser(host: Host, sc: ScheduleContext, u: ScheduledUser, p: string): Promise<void> {
  if (!sc.run.ctx.runningAsRoot) return;
  await host.chown(p, u.owner.uid, u.owner.gid);
}

async function load(host: Host, u: ScheduledUser, job: LaunchdJob, plistUnchanged: boolean): Promise<InstallOutcome['launchd']> {
  if (job.kind === 'no-launchctl' || job.kind === 'no-session') return job.kind;
  if (job.kind === 'loaded' && plistUnchanged && runsThisPlist(job, u)) return 'already-loaded';
  if (job.kind === 'loaded') {
    await bootoutJob(host, u.domain, u.place.label);
    await waitUntilGone(host, u.domain, u.place.label);
  }
  if (!(await bootstrapJob(host, u.domain, u.place.plist.host))) return 'no-session';
  const now = await printJob(host, u.domain, u.place.label);
  if (now.kind !== 'loaded') {
    throw new ProvisionError('COMMAND_FAILED', `launchctl bootstrap succeeded, but launchd does not list ${u.domain}/${u.place.label}`, {
      hint: `launchctl print ${u.domain}/${u.place.label} shows what launchd has; run install again`,
    });
  }
  return job.kind === 'loaded' ? 'reloaded' : 'loaded';
}

/** Whether the loaded job is this plist's: loaded from this file, running these arguments. */
export function runsThisPlist(job: LaunchdJob & { kind: 'loaded' }, u: ScheduledUser): boolean {
  const sameArgs = job.arguments !== undefined && JSON.stringify(job.arguments) === JSON.stringify(u.job.ProgramArguments);
  return sameArgs && (job.path === undefined || samePath(job.path, u.place.plist.host));
}

/**
 * Whether launchd has the label loaded from a plist at another path: another provision's agent
 * (one installed with --root for another disk, say), which install and remove leave alone.
 */
export function loadedFromElsewhere(job: LaunchdJob & { kind: 'loaded' }, u: ScheduledUser): boolean {
  return job.path !== undefined && !samePath(job.path, u.place.plist.host);
}

/** A Mac's file systems are case-insensitive by default, and launchd may print a path spelt differently from ours. */
function samePath(a: string, b: string): boolean {
  const norm = (p: string): string => (process.platform === 'darwin' ? path.normalize(p).toLowerCase() : path.normalize(p));
  return norm(a) === norm(b);
}
