/**
 * `provision schedule` for people: one block per user with a label column, long values (the
 * command the agent runs, paths) wrapped under their label, so it reads at 60 columns and
 * below. Text read from disk (the log) is escaped before it is printed.
 */

import { printable } from '../../text/printable.js';
import type { AgentStatus } from '../../schedule/agent-status.js';
import { checkTime, describeAgent, describeLastRun } from '../../schedule/describe-agent.js';
import { fullDiskAccessSteps, type NodeProgram } from '../../app/node-program.js';
import { NEEDS_USER } from '../../app/scheduled-runs.js';
import type { InstallOutcome } from '../../schedule/install-agent.js';
import type { LaunchdJob } from '../../schedule/launchctl.js';
import type { RemoveOutcome } from '../../schedule/remove-agent.js';
import type { ScheduledUser } from '../../schedule/schedule-context.js';
import { tildePath } from '../../text/tilde-path.js';
import type { Style } from '../../text/style.js';
import { formatBytes, plural } from '../../text/units.js';
import { localTime } from '../../text/age.js';
import { shellWord } from '../../text/shell-quote.js';
import { fitWidth, labelled, wrapText } from '../../text/wrap-text.js';

/** The label column: "  launchd:  ". */
const LABEL = 12;

export interface ScheduleHeader {
  machine: string;
  platform: string;
  root: string | undefined;
}

function field(label: string, value: string, width: number, colour?: (s: string) => string): string[] {
  return labelled(`  ${label}`, value, width, LABEL, colour);
}

function header(h: ScheduleHeader, style: Style, width: number): string[] {
  const root = h.root === undefined ? '' : ` under --root ${h.root}`;
  return wrapText(`Machine ${h.machine} (${h.platform})${root}`, width).map(style.bold);
}

/** A path in the user's home with ~, as the machine sees it. */
function tilde(u: ScheduledUser, p: string): string {
  return printable(tildePath(p, u.place.home.machine), { limit: 400 });
}

function commandLine(args: readonly string[]): string {
  return printable(args.map(shellWord).join(' '), { limit: 2000 });
}

function launchdWords(job: LaunchdJob, domain: string): string {
  switch (job.kind) {
    case 'no-launchctl':
      return 'not asked: no launchctl on this computer';
    case 'no-session':
      return `no login session in ${domain} now`;
    case 'not-loaded':
      return `not loaded in ${domain}`;
    case 'loaded': {
      const parts = [`loaded in ${domain}`];
      if (job.state !== undefined) parts.push(job.pid === undefined ? job.state : `${job.state} (pid ${job.pid})`);
      if (job.runs !== undefined) parts.push(plural(job.runs, 'run'));
      parts.push(job.lastExitCode === undefined ? 'never exited' : `last exit code ${job.lastExitCode}`);
      return parts.join(', ');
    }
  }
}

export function renderInstallText(h: ScheduleHeader, outcomes: readonly InstallOutcome[], style: Style, columns: number): string {
  const width = fitWidth(columns);
  const out = header(h, style, width);
  for (const o of outcomes) {
    const u = o.user;
    out.push('', style.bold(agentHeading(u)));
    const plistWords = { written: 'written', replaced: 'rewritten (it differed)', 'mode-fixed': 'made 0644 (launchd refuses a plist others may write)', unchanged: 'unchanged' }[o.plist];
    out.push(...field('plist:', `${tilde(u, u.place.plist.machine)}: ${plistWords}`, width));
    out.push(...field('runs:', commandLine(u.job.ProgramArguments), width));
    out.push(...field('when:', whenWords(u), width));
    out.push(...field('log:', tilde(u, u.place.log.machine), width));
    const loaded = {
      loaded: [`loaded in ${u.domain}`, style.green],
      reloaded: [`reloaded in ${u.domain} (it ran an older plist)`, style.green],
      'already-loaded': [`already loaded in ${u.domain}`, style.green],
      'no-session': [`not loaded now: ${u.place.user} is not logged in; launchd loads it at the next login`, style.yellow],
      'no-launchctl': ['not loaded: there is no launchctl on this computer; launchd loads it at the next login on the Mac', style.yellow],
    } as const;
    const [words, colour] = loaded[o.launchd];
    out.push(...field('launchd:', words, width, colour));
  }
  const names = [...new Set(outcomes.map((o) => o.user.place.user))].join(', ');
  const loadedNow = outcomes.every((o) => o.launchd === 'loaded' || o.launchd === 'reloaded' || o.launchd === 'already-loaded');
  const changed = outcomes.some((o) => o.plist !== 'unchanged' || o.madeFolders.length > 0 || o.launchd === 'loaded' || o.launchd === 'reloaded');
  const summary = changed
    ? loadedNow
      ? `Installed: provision apply runs for ${names} each time a volume mounts, and provision check every day at ${checkTime()}. provision schedule status shows how their runs went.`
      : `Installed for ${names}, not loaded yet: launchd loads them at the next login.`
    : loadedNow
      ? `Nothing changed: the agents for ${names} are installed and loaded.`
      : `Nothing changed: the agents for ${names} are installed; launchd loads them at the next login.`;
  out.push('', ...wrapText(summary, width));
  const node = outcomes[0]?.user.node;
  if (node !== undefined) out.push('', ...accessWords(node, width, style));
  return `${out.join('\n')}\n`;
}

/**
 * The one step install cannot do: macOS gives a job launchd starts none of the terminal's Full
 * Disk Access, so node itself needs it, by its real path; and a path named for a version is
 * lost at the next upgrade.
 */
function accessWords(node: NodeProgram, width: number, style: Style): string[] {
  const out = wrapText(`Full Disk Access: the agents run ${node.path}, which needs it to read your backups folder (your terminal's access does not carry over): ${fullDiskAccessSteps(node.path)}.`, width);
  if (node.versioned !== undefined) {
    out.push(
      ...wrapText(
        `Warning: that path is ${node.versioned.by}'s folder for this version of node, so ${node.versioned.after} changes it: the agents then stop working until you run provision schedule install again and give the new path access.`,
        width,
      ).map(style.yellow),
    );
  }
  return out;
}

function agentHeading(u: ScheduledUser): string {
  return `${u.place.user}: ${u.place.kind === 'apply' ? 'apply on mount' : 'daily check'}`;
}

function whenWords(u: ScheduledUser): string {
  return u.place.kind === 'apply' ? 'each time a volume mounts (StartOnMount)' : `every day at ${checkTime()} (StartCalendarInterval), or at wake if the Mac slept then; it notifies only when something is wrong`;
}

export function renderRemoveText(h: ScheduleHeader, outcomes: readonly RemoveOutcome[], style: Style, columns: number): string {
  const width = fitWidth(columns);
  const out = header(h, style, width);
  for (const o of outcomes) {
    const u = o.user;
    out.push('', style.bold(agentHeading(u)));
    out.push(...field('plist:', `${tilde(u, u.place.plist.machine)}: ${o.plist === 'removed' ? 'removed' : 'not there'}`, width));
    const launchd = {
      unloaded: `unloaded from ${u.domain}`,
      'not-loaded': `was not loaded in ${u.domain}`,
      'loaded-elsewhere': `left loaded: launchd runs the label in ${u.domain} from another plist, ${o.elsewhere ?? '?'}`,
      'no-session': `no login session in ${u.domain} now`,
      'no-launchctl': 'not asked: no launchctl on this computer',
    }[o.launchd];
    out.push(...field('launchd:', launchd, width));
    if (o.logKept) out.push(...field('log:', `kept: ${tilde(u, u.place.log.machine)}`, width));
  }
  const removed = outcomes.filter((o) => o.plist === 'removed' || o.launchd === 'unloaded');
  const names = [...new Set(outcomes.map((o) => o.user.place.user))].join(', ');
  out.push('', ...wrapText(removed.length === 0 ? `Nothing to remove: no agent for ${names}.` : `Removed: ${removed.map((o) => agentHeading(o.user)).join(', ')}.`, width));
  return `${out.join('\n')}\n`;
}

export function renderAgentStatusText(h: ScheduleHeader, statuses: readonly AgentStatus[], style: Style, columns: number): string {
  const width = fitWidth(columns);
  const out = header(h, style, width);
  for (const s of statuses) {
    const u = s.user;
    const d = describeAgent(s);
    const colour = d.severity === 'ok' ? style.green : d.severity === 'warning' ? style.yellow : style.red;
    out.push('', style.bold(agentHeading(u)));
    out.push(...field('state:', d.words, width, colour));
    out.push(...field('plist:', tilde(u, u.place.plist.machine), width));
    out.push(...field('runs:', commandLine(s.plist.installedArguments ?? u.job.ProgramArguments), width));
    out.push(...field('launchd:', launchdWords(s.launchd, u.domain), width));
    if (!s.log.present) {
      out.push(...field('log:', `${tilde(u, u.place.log.machine)}: none yet`, width));
    } else {
      out.push(...field('log:', tilde(u, u.place.log.machine), width));
      const when = s.log.modifiedAt === undefined ? '' : `written ${localTime(s.log.modifiedAt)}, `;
      out.push(...field('', `${when}${formatBytes(s.log.bytes ?? 0)}; its last lines:`, width));
      for (const line of s.log.tail) out.push(...logLine(line, width).map((l) => `    ${style.dim(l)}`));
    }
    const last = describeLastRun(s);
    if (last !== undefined) out.push(...field('last run:', printable(last, { limit: 600 }), width, s.lastRun !== undefined && NEEDS_USER.includes(s.lastRun.outcome) ? style.red : undefined));
    for (const n of d.notes) out.push(...field('note:', n, width, style.yellow));
    if (d.hint !== undefined) out.push(...field('fix:', d.hint, width));
  }
  out.push('', ...wrapText(statusSummary(statuses), width).map(statuses.every((s) => describeAgent(s).severity === 'ok') ? style.green : style.yellow));
  return `${out.join('\n')}\n`;
}

export function statusSummary(statuses: readonly AgentStatus[]): string {
  const notOk = statuses.filter((s) => describeAgent(s).severity !== 'ok');
  const names = [...new Set(statuses.map((s) => s.user.place.user))].join(', ');
  if (notOk.length === 0) return `Scheduled: for ${names}, apply runs each time a volume mounts and the check every day at ${checkTime()}.`;
  const why = (s: AgentStatus): string => (s.state === 'ok' && s.lastRun !== undefined ? s.lastRun.outcome : s.state);
  return `${notOk.length} of ${plural(statuses.length, 'agent')} ${notOk.length === 1 ? 'needs' : 'need'} attention: ${notOk.map((s) => `${agentHeading(s.user)} (${why(s)})`).join(', ')}.`;
}

/** A line of the log, escaped and wrapped, keeping its own indentation (apply indents its hints). */
function logLine(line: string, width: number): string[] {
  const text = printable(line.replace(/\s+$/u, ''), { limit: 400 });
  const indent = /^ */.exec(text)?.[0].length ?? 0;
  const lead = ' '.repeat(Math.min(indent, 8));
  return wrapText(text.slice(indent), width - 4 - lead.length).map((l) => `${lead}${l}`);
}
