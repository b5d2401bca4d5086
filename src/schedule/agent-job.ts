/**
 * The two LaunchAgents `provision schedule install` writes for one user: where their plists and
 * logs go in the user's home, and the jobs themselves. The mount agent runs apply whenever a
 * volume mounts (StartOnMount), so a folder whose drive was away is linked as soon as the drive
 * is back; the daily check agent runs `check --notify` once a day (StartCalendarInterval), which
 * posts a notification only when something is wrong.
 */

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dual, type MachineContext } from '../desired/machine-context.js';
import type { UserPlace } from '../desired/resolve-users.js';
import type { DualPath } from '../machine/path-mapper.js';
import { runRecordPath, SCHEDULE_FOLDER_SEGMENTS } from '../app/scheduled-runs.js';

/** Which of the two agents. */
export type AgentKind = 'apply' | 'check';
export const AGENT_KINDS: readonly AgentKind[] = ['apply', 'check'];

/** The mount agent's label, reverse-DNS as launchd expects; also its plist's file name. */
export const AGENT_LABEL = 'org.provision.apply';
/** The daily check's label. */
export const CHECK_AGENT_LABEL = 'org.provision.check';

export const LABELS: Record<AgentKind, string> = { apply: AGENT_LABEL, check: CHECK_AGENT_LABEL };

/**
 * When the daily check runs, in local time. launchd runs a calendar job missed while the Mac
 * slept when it wakes (launchd.plist(5), StartCalendarInterval), so a Mac asleep at this hour
 * still gets its check that day. Mid-morning: the Mac is usually on and someone is at it.
 */
export const CHECK_AT = { Hour: 10, Minute: 30 } as const;

/**
 * launchd starts an agent with a minimal PATH, and provision finds tmutil, diskutil, scutil and
 * the rest on PATH: all of them are in these four folders on a Mac (tmutil, scutil and
 * defaults in /usr/bin, diskutil in /usr/sbin).
 */
export const AGENT_PATH = '/usr/bin:/bin:/usr/sbin:/sbin';

/**
 * At least this many seconds between two starts. A drive with several volumes mounts them one
 * after another, and each mount is an event; apply takes a lock anyway, so a start during a
 * run only logs LOCKED, but there is no point in starting it again and again.
 */
export const AGENT_THROTTLE_SECONDS = 30;

/** Where the agent lives in a home, as path segments below it. */
const plistSegments = (kind: AgentKind): string[] => ['Library', 'LaunchAgents', `${LABELS[kind]}.plist`];
const logSegments = (kind: AgentKind): string[] => [...SCHEDULE_FOLDER_SEGMENTS, `${kind}.log`];

/**
 * The folders below the home that must exist, outermost first, with the mode each gets when
 * provision makes it: ~/Library is private on a Mac; LaunchAgents and Logs are as macOS makes
 * them; provision's log folder is private, since the log names the user's files.
 */
export const AGENT_FOLDERS: readonly { segments: readonly string[]; mode: number }[] = [
  { segments: ['Library'], mode: 0o700 },
  { segments: ['Library', 'LaunchAgents'], mode: 0o755 },
  { segments: ['Library', 'Logs'], mode: 0o755 },
  { segments: ['Library', 'Logs', 'provision'], mode: 0o700 },
];

export interface AgentPlace {
  user: string;
  kind: AgentKind;
  label: string;
  home: DualPath;
  plist: DualPath;
  log: DualPath;
  /** The record of scheduled runs, shared by both agents (app/scheduled-runs.ts). */
  record: DualPath;
}

export function agentPlace(ctx: MachineContext, user: UserPlace, kind: AgentKind): AgentPlace {
  const under = (segments: readonly string[]): DualPath => dual(ctx, path.posix.join(user.home.machine, ...segments));
  return { user: user.name, kind, label: LABELS[kind], home: user.home, plist: under(plistSegments(kind)), log: under(logSegments(kind)), record: runRecordPath(ctx, user.home.machine) };
}

export function agentFolder(ctx: MachineContext, place: AgentPlace, segments: readonly string[]): DualPath {
  return dual(ctx, path.posix.join(place.home.machine, ...segments));
}

/** What the job runs: this node, this provision, and the options that pick the same work as install was given. */
export interface AgentCommand {
  node: string;
  provision: string;
  config: string;
  machine: string;
  user: string;
  root?: string;
}

/** The keys of the plist, in the order they are written; the mount agent has StartOnMount, the check StartCalendarInterval. */
export interface AgentJob {
  Label: string;
  ProgramArguments: string[];
  StartOnMount?: boolean;
  StartCalendarInterval?: { Hour: number; Minute: number };
  RunAtLoad: boolean;
  ThrottleInterval?: number;
  StandardOutPath: string;
  StandardErrorPath: string;
  EnvironmentVariables: { PATH: string };
}

export function programArguments(kind: AgentKind, c: AgentCommand): string[] {
  const verb = kind === 'apply' ? ['apply', '--yes', '--scheduled'] : ['check', '--notify', '--scheduled'];
  return [c.node, c.provision, ...verb, '-c', c.config, '--machine', c.machine, '--user', c.user, ...(c.root === undefined ? [] : ['--root', c.root])];
}

/**
 * The job. RunAtLoad is false: loading happens at install and at every login, and install is
 * not apply; the first move is the one the user reviews with plan. Output goes to a log in the
 * user's Library, named as the machine sees it (launchd opens it there).
 */
export function agentJob(place: AgentPlace, command: AgentCommand): AgentJob {
  return {
    Label: place.label,
    ProgramArguments: programArguments(place.kind, command),
    ...(place.kind === 'apply' ? { StartOnMount: true } : { StartCalendarInterval: { ...CHECK_AT } }),
    RunAtLoad: false,
    ...(place.kind === 'apply' ? { ThrottleInterval: AGENT_THROTTLE_SECONDS } : {}),
    StandardOutPath: place.log.machine,
    StandardErrorPath: place.log.machine,
    EnvironmentVariables: { PATH: AGENT_PATH },
  };
}

/**
 * This provision's launcher, bin/provision.js: two folders up from this module in the sources
 * (src/schedule), in tsc's output (dist/schedule) and in the bundle (dist/bundle) alike. It is
 * the file itself, not a link on PATH (npm link), so the job keeps working whatever PATH is.
 */
export function provisionLauncher(): string {
  return fileURLToPath(new URL('../../bin/provision.js', import.meta.url));
}
