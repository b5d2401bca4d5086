/**
 * An agent's status in words, with how serious it is and what to do: shared by the text and the
 * JSON renderers so both say the same.
 */

import { AGENT_LABEL } from './agent-job.js';
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

export function describeAgent(s: AgentStatus): AgentDescription {
  const who = s.user.place.user;
  const notes: string[] = [];
  if (s.launchd.kind === 'loaded' && s.launchd.lastExitCode !== undefined && s.launchd.lastExitCode !== 0) {
    notes.push(`the last run ended with exit code ${s.launchd.lastExitCode}: its log says why (a mount of another volume, while a declared drive is away, ends in 1: apply refuses a plan with a drive missing)`);
  }
  for (const p of s.missingPrograms) notes.push(`${p} is not there any more (moved or upgraded): the agent cannot start`);
  const install = 'run provision schedule install';
  switch (s.state) {
    case 'ok':
      return { words: 'ok: installed and loaded; apply runs each time a volume mounts', severity: 'ok', hint: undefined, notes };
    case 'not-installed':
      return { words: `not installed: nothing runs apply for ${who} when a drive is mounted`, severity: SEVERITY[s.state], hint: `${install} to add it`, notes };
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
        words: `loaded from another plist: launchd runs ${s.user.domain}/${AGENT_LABEL} from ${from ?? 'another file'}, not from this one`,
        severity: SEVERITY[s.state],
        hint: `that is another agent of provision's (installed with --root, say), left alone: unload it with launchctl bootout ${s.user.domain}/${AGENT_LABEL}, then run provision schedule install`,
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
