/**
 * What every `provision schedule` subcommand settles first: the declaration, machine and users
 * exactly as plan finds them, that the machine is a Mac (launchd is macOS's), and for each
 * user and each of the two agents (apply on mount, the daily check) the agent's place, the job
 * install would write now, and the launchd domain it belongs in. The job runs node by its real
 * path: that path is what macOS asks Full Disk Access for.
 */

import path from 'node:path';
import { openSession, type CommonOptions, type Session } from '../app/session.js';
import { ProvisionError } from '../errors.js';
import type { HostReads } from '../host/host.js';
import { AGENT_KINDS, agentJob, agentPlace, provisionLauncher, type AgentJob, type AgentPlace } from './agent-job.js';
import { nodeProgram, type NodeProgram } from '../app/node-program.js';
import { guiDomain } from './launchctl.js';

export interface ScheduledUser {
  place: AgentPlace;
  job: AgentJob;
  /** The account that owns the home: the agent's files are its, and its gui/<uid> domain runs the job. */
  owner: { uid: number; gid: number };
  domain: string;
  /** The node the job runs, by its real path: the program that needs Full Disk Access. */
  node: NodeProgram;
}

export interface ScheduleContext {
  run: Session;
  users: ScheduledUser[];
}

export async function createScheduleContext(opts: CommonOptions, reads: HostReads, verb: string): Promise<ScheduleContext> {
  const run = await openSession(opts, reads);
  const { ctx } = run;
  if (ctx.platform !== 'macos') {
    throw new ProvisionError('PLATFORM_MISMATCH', `machine ${ctx.name} is declared as ${ctx.platform}: provision schedule makes a macOS LaunchAgent, which only a Mac runs`, {
      hint: ctx.platform === 'windows'
        ? 'on Windows, a Task Scheduler task triggered on a device arrival can run provision apply --yes'
        : 'on Linux, a systemd .mount or .path unit (or a udev rule) can run provision apply --yes',
      location: run.loaded.locate(['machines', ctx.name]),
    });
  }
  if (run.users.length === 0) {
    throw new ProvisionError('NO_USERS', `no user of machine ${ctx.name} to ${verb} the agent for`, { hint: 'pass --user NAME' });
  }
  const users: ScheduledUser[] = [];
  for (const u of run.users) {
    const user = u.desired;
    // Without --root and without root, only your own home can hold your agent: another user's
    // LaunchAgents folder is theirs, and their gui domain takes orders only from them or root.
    if (ctx.paths.root === undefined && !ctx.runningAsRoot && user.name !== ctx.invoker.name) {
      throw new ProvisionError('NEEDS_ROOT', `the agent for ${user.name} goes in ${user.name}'s home and launchd session, which only ${user.name} or root may change`, {
        hint: `run it as ${user.name}, or with sudo`,
      });
    }
    const home = await reads.lstat(user.home.host);
    if (home?.kind !== 'directory') {
      throw new ProvisionError('IO', `${user.name}'s home folder ${user.home.machine} is not there`, {
        hint: `if ${user.name}'s home is elsewhere, declare it as home: under users.${user.name} in the declaration`,
      });
    }
    const node = await nodeProgram();
    for (const kind of AGENT_KINDS) {
      const place = agentPlace(ctx, user, kind);
      const job = agentJob(place, {
        node: node.path,
        provision: provisionLauncher(),
        config: path.resolve(run.loaded.file),
        machine: ctx.name,
        user: user.name,
        ...(ctx.paths.root === undefined ? {} : { root: ctx.paths.root }),
      });
      users.push({ place, job, owner: { uid: home.uid, gid: home.gid }, domain: guiDomain(home.uid), node });
    }
  }
  return { run, users };
}
