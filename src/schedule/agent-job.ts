/**
 * The LaunchAgent `provision schedule install` writes for one user: where its plist and its log
 * go in the user's home, and the job itself. launchd starts the job whenever a volume mounts
 * (StartOnMount), so a folder whose drive was away is linked as soon as the drive is back.
 */

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dual, type MachineContext } from '../desired/machine-context.js';
import type { UserPlace } from '../desired/resolve-users.js';
import type { DualPath } from '../machine/path-mapper.js';

/** The job's label, reverse-DNS as launchd expects; also the plist's file name. */
export const AGENT_LABEL = 'org.provision.apply';

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
const PLIST_SEGMENTS = ['Library', 'LaunchAgents', `${AGENT_LABEL}.plist`] as const;
const LOG_SEGMENTS = ['Library', 'Logs', 'provision', 'apply.log'] as const;

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
  home: DualPath;
  plist: DualPath;
  log: DualPath;
}

export function agentPlace(ctx: MachineContext, user: UserPlace): AgentPlace {
  const under = (segments: readonly string[]): DualPath => dual(ctx, path.posix.join(user.home.machine, ...segments));
  return { user: user.name, home: user.home, plist: under(PLIST_SEGMENTS), log: under(LOG_SEGMENTS) };
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

/** The keys of the plist, in the order they are written. */
export interface AgentJob {
  Label: string;
  ProgramArguments: string[];
  StartOnMount: boolean;
  RunAtLoad: boolean;
  ThrottleInterval: number;
  StandardOutPath: string;
  StandardErrorPath: string;
  EnvironmentVariables: { PATH: string };
}

export function programArguments(c: AgentCommand): string[] {
  return [c.node, c.provision, 'apply', '--yes', '--scheduled', '-c', c.config, '--machine', c.machine, '--user', c.user, ...(c.root === undefined ? [] : ['--root', c.root])];
}

/**
 * The job. RunAtLoad is false: loading happens at install and at every login, and install is
 * not apply; the first move is the one the user reviews with plan. Output goes to a log in the
 * user's Library, named as the machine sees it (launchd opens it there).
 */
export function agentJob(place: AgentPlace, command: AgentCommand): AgentJob {
  return {
    Label: AGENT_LABEL,
    ProgramArguments: programArguments(command),
    StartOnMount: true,
    RunAtLoad: false,
    ThrottleInterval: AGENT_THROTTLE_SECONDS,
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
