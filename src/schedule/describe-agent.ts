/**
 * An agent's status in words, with how serious it is and what to do: shared by the text and the
 * JSON renderers so both say the same.
 */

import { CHECK_AT } from './agent-job.js';
import { NEEDS_USER } from '../app/scheduled-runs.js';
import { localTime } from '../text/age.js';
import type { AgentState, AgentStatus } from './agent-status.js';

export type AgentSeverity = 'ok' | 'warning' | 'error';

export interface AgentDescription {
  words: string;
  severity: AgentSeverity;
  hint: string | undefined;
  notes: string[];
}

const SEVERITY: Record<AgentState, AgentSeverity> = {
  ok: 'ok',
  'not-installed': 'warning',
  'waiting-for-login': 'warning',
  unchecked: 'warning',
  stale: 'error',
  'not-loaded': 'error',
  'loaded-without-plist': 'error',
  'loaded-elsewhere': 'error',
  'bad-mode': 'error',
  foreign: 'error',
};

/**
 * The agent's state, and what its last run did (from the run record, which tells "needs Full
 * Disk Access" apart from a normal "nothing to do"; launchd's exit code alone cannot). A last run
 * that needs the user makes an installed agent an error, with that run's fix.
 */
export function describeAgent(s: AgentStatus): AgentDescription {
  const base = describeState(s);
  const run = s.lastRun;
  if (run !== undefined && NEEDS_USER.includes(run.outcome)) {
    const words = `${base.words}; but its last run (${localTime(new Date(run.startedAt))}) did not work: ${run.words}`;
    return { words, severity: 'error', hint: run.fix ?? base.hint, notes: base.notes };
  }
  return base;
}

/** The last run in words, for the `last run:` line. */
export function describeLastRun(s: AgentStatus): string | undefined {
  const run = s.lastRun;
  if (run === undefined) return s.record.kind === 'unreadable' ? `unknown: the record of runs cannot be read (${s.record.code})` : undefined;
  return `${localTime(new Date(run.startedAt))}, ${run.outcome}: ${run.words}`;
}

function describeState(s: AgentStatus): AgentDescription {
  const who = s.user.place.user;
  const notes: string[] = [];
  if (s.lastRun === undefined && s.launchd.kind === 'loaded' && s.launchd.lastExitCode !== undefined && s.launchd.lastExitCode !== 0) {
    notes.push(`the last run ended with exit code ${s.launchd.lastExitCode} and left no record of why: its log may say`);
  }
  for (const p of s.missingPrograms) notes.push(`${p} is not there any more (moved or upgraded): the agent cannot start`);
  const install = 'run provision schedule install';
  const label = s.user.place.label;
  switch (s.state) {
    case 'ok':
      return {
        words: s.user.place.kind === 'apply' ? 'ok: installed and loaded; apply runs each time a volume mounts' : `ok: installed and loaded; the check runs every day at ${checkTime()}`,
        severity: 'ok',
        hint: undefined,
        notes,
      };
    case 'not-installed':
      return { words: s.user.place.kind === 'apply' ? `not installed: nothing runs apply for ${who} when a drive is mounted` : `not installed: nothing checks ${who}'s backups every day`, severity: SEVERITY[s.state], hint: `${install} to add it`, notes };
    case 'stale': {
      const what = s.plist.current
        ? 'launchd runs an older version of the plist'
        : `the plist differs from what install would write now (${s.plist.differs.join(', ') || 'its text'})`;
      return { words: `stale: ${what}`, severity: SEVERITY[s.state], hint: `${install} to rewrite and reload it`, notes };
    }
    case 'not-loaded':
      return { words: 'not loaded: the plist is current, but launchd does not have it', severity: SEVERITY[s.state], hint: `${install} to load it`, notes };
    case 'loaded-without-plist':
      return {
        words: 'loaded without its plist: launchd runs the agent, but its plist is gone, so it does not come back at the next login',
        severity: SEVERITY[s.state],
        hint: `${install} to put it back, or provision schedule remove to unload it`,
        notes,
      };
    case 'loaded-elsewhere': {
      const from = s.launchd.kind === 'loaded' ? s.launchd.path : undefined;
      return {
        words: `loaded from another plist: launchd runs ${s.user.domain}/${label} from ${from ?? 'another file'}, not from this one`,
        severity: SEVERITY[s.state],
        hint: `that is another agent of provision's (installed with --root, say), left alone: unload it with launchctl bootout ${s.user.domain}/${label}, then run provision schedule install`,
        notes,
      };
    }
    case 'waiting-for-login':
      return { words: `installed; ${who} is not logged in now: launchd loads it at ${who}'s next login`, severity: SEVERITY[s.state], hint: undefined, notes };
    case 'unchecked':
      return { words: 'installed; launchd was not asked: there is no launchctl on this computer', severity: SEVERITY[s.state], hint: undefined, notes };
    case 'bad-mode':
      return {
        words: `unsafe mode: the plist is writable by others (${(s.plist.mode ?? 0).toString(8).padStart(4, '0')}), which launchd refuses`,
        severity: SEVERITY[s.state],
        hint: `${install} to make it 0644 and load it`,
        notes,
      };
    case 'foreign':
      return {
        words: 'something else is there: the file at the agent\'s path is not provision\'s plist',
        severity: SEVERITY[s.state],
        hint: 'look at it and move it away, then run provision schedule install',
        notes,
      };
  }
}

/** The daily check's time as a person reads it: "10:30". */
export function checkTime(): string {
  return `${CHECK_AT.Hour}:${String(CHECK_AT.Minute).padStart(2, '0')}`;
}
