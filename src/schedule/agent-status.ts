/**
 * Where one user's agent stands, read only: is the plist there, is it what install would write
 * now (provision, node or the declaration may have moved since), does launchd have it loaded,
 * from that plist, and how did its last run end; and the end of its log.
 */

import type { HostReads } from '../host/host.js';
import { lastRun, readRunRecord, type RunRecord, type ScheduledRun } from '../app/scheduled-runs.js';
import { differingKeys, readAgentPlist, renderAgentPlist } from './agent-plist.js';
import { loadedFromElsewhere, runsThisPlist } from './install-agent.js';
import { printJob, type LaunchdJob } from './launchctl.js';
import type { ScheduledUser } from './schedule-context.js';

/** How many of the log's last lines status shows. */
export const LOG_TAIL_LINES = 10;

export type AgentState =
  | 'ok' // installed as install would write it now, and loaded from it
  | 'not-installed' // no plist, nothing loaded
  | 'stale' // the plist (or the job launchd runs) differs from what install would write now
  | 'not-loaded' // the plist is current, launchd does not have it loaded
  | 'loaded-without-plist' // launchd runs the job, its plist is gone
  | 'loaded-elsewhere' // launchd runs the label from another plist (another provision's agent)
  | 'waiting-for-login' // the plist is current; the user has no login session now (launchd loads it at login)
  | 'unchecked' // the plist is current; launchd could not be asked (no launchctl here)
  | 'bad-mode' // the plist is writable by group or others, which launchd refuses
  | 'foreign'; // something provision did not write is at the plist's path

export interface AgentStatus {
  user: ScheduledUser;
  state: AgentState;
  plist: { present: boolean; current: boolean; differs: string[]; installedArguments: string[] | undefined; mode: number | undefined };
  launchd: LaunchdJob;
  /** Whether the loaded job is the installed plist's (undefined when not loaded). */
  loadedMatches: boolean | undefined;
  /** Programs the installed job runs that are not there any more (node or provision moved). */
  missingPrograms: string[];
  log: { present: boolean; modifiedAt: Date | undefined; bytes: number | undefined; tail: string[] };
  /** The record of scheduled runs, and this agent's newest run in it. */
  record: RunRecord;
  lastRun: ScheduledRun | undefined;
}

export async function agentStatus(reads: HostReads, u: ScheduledUser): Promise<AgentStatus> {
  const want = await renderAgentPlist(u.job);
  const st = await reads.lstat(u.place.plist.host);
  const text = st?.kind === 'file' ? (await reads.readFile(u.place.plist.host)).toString('utf8') : undefined;
  const installed = text === undefined ? undefined : await readAgentPlist(text);
  const foreign = st !== undefined && installed?.label !== u.place.label;
  const plist = {
    present: st !== undefined,
    current: text === want,
    differs: installed === undefined || foreign ? [] : differingKeys(installed, u.job),
    installedArguments: foreign ? undefined : installed?.programArguments,
    mode: st === undefined ? undefined : st.mode & 0o777,
  };
  const launchd = await printJob(reads, u.domain, u.place.label);
  const loadedMatches = launchd.kind === 'loaded' ? runsThisPlist(launchd, u) : undefined;
  const elsewhere = launchd.kind === 'loaded' && loadedFromElsewhere(launchd, u);
  const missingPrograms: string[] = [];
  // The programs are this computer's files (node and provision), so they are looked up as they are, not under --root.
  for (const program of (plist.installedArguments ?? []).slice(0, 2)) {
    if (program.startsWith('/') && (await reads.lstat(program)) === undefined) missingPrograms.push(program);
  }
  const record = await readRunRecord(reads, u.place.record.host);
  return {
    user: u,
    state: stateOf(foreign, elsewhere, plist, launchd, loadedMatches),
    plist,
    launchd,
    loadedMatches,
    missingPrograms,
    log: await logTail(reads, u),
    record,
    lastRun: lastRun(record, u.place.kind),
  };
}

function stateOf(foreign: boolean, elsewhere: boolean, plist: AgentStatus['plist'], launchd: LaunchdJob, loadedMatches: boolean | undefined): AgentState {
  if (foreign) return 'foreign';
  if (elsewhere) return 'loaded-elsewhere';
  if (!plist.present) return launchd.kind === 'loaded' ? 'loaded-without-plist' : 'not-installed';
  if (!plist.current || loadedMatches === false) return 'stale';
  if (plist.mode !== undefined && (plist.mode & 0o022) !== 0) return 'bad-mode';
  switch (launchd.kind) {
    case 'loaded':
      return 'ok';
    case 'not-loaded':
      return 'not-loaded';
    case 'no-session':
      return 'waiting-for-login';
    case 'no-launchctl':
      return 'unchecked';
  }
}

async function logTail(reads: HostReads, u: ScheduledUser): Promise<AgentStatus['log']> {
  const st = await reads.lstat(u.place.log.host);
  if (st?.kind !== 'file') return { present: false, modifiedAt: undefined, bytes: undefined, tail: [] };
  const lines = (await reads.readFile(u.place.log.host)).toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return { present: true, modifiedAt: new Date(st.mtimeMs), bytes: st.size, tail: lines.slice(-LOG_TAIL_LINES) };
}
