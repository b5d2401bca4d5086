import os from 'node:os';
import { stdinIsTerminal } from '../host/terminal.js';
import path from 'node:path';
import { findConfigFile } from '../config/read/find-config.js';
import { loadDeclaration } from '../config/load-declaration.js';
import { hostnames, machinePlatform } from '../config/model/effective.js';
import type { LoadedConfig, Platform } from '../config/model/declared.js';
import type { MachineContext } from '../desired/machine-context.js';
import { resolveUsers, type ResolvedUser } from '../desired/resolve-users.js';
import { ProvisionError } from '../errors.js';
import type { HostReads } from '../host/host.js';
import { computerNames } from '../machine/computer-names.js';
import { matchMachine } from '../machine/match-machine.js';
import { createPathMapper } from '../machine/path-mapper.js';
import type { BoundResource, ToolNeed } from '../engine/kind.js';
import { buildDesiredMachine, type DesiredMachine } from '../desired/desired-machine.js';
import { findMovedLetters } from '../drives/windows-letters.js';
import { bindAllResources } from '../kinds/registry.js';
import { stateDirs } from '../engine/journal/state-dirs.js';

export interface CommonOptions {
  config?: string;
  machine?: string;
  user?: string;
  root?: string;
  /** Started by the scheduled job (apply --scheduled): it never removes an original kept for its owner. */
  scheduled?: boolean;
}

/**
 * One command's session: the declaration, read once, with the machine it names, the run's
 * users, the desired machine built from them, and the resources bound to their kinds. Every
 * use case (plan, restore, status, apply, doctor, schedule) works from it.
 */
export interface Session {
  loaded: LoadedConfig;
  configSource: string;
  /** The machine with its declaration: for the checks of doctor and init, never for kinds. */
  ctx: MachineContext;
  users: ResolvedUser[];
  desired: DesiredMachine;
  resources: BoundResource[];
  /** The commands the resources call (doctor checks them). */
  tools: ToolNeed[];
  journalDirs: { write: string; read: string[] };
}

export async function findAndLoadConfig(explicit: string | undefined): Promise<{ loaded: LoadedConfig; source: string }> {
  const found = findConfigFile({
    ...(explicit === undefined ? {} : { explicit }),
    env: process.env,
    cwd: process.cwd(),
    home: os.homedir(),
  });
  const said: Record<typeof found.source, string> = {
    option: 'given with -c',
    PROVISION_CONFIG: 'from $PROVISION_CONFIG',
    'current folder': 'found in the current folder',
    dotfiles: 'found in your dotfiles',
  };
  return { loaded: await loadDeclaration(found.file), source: said[found.source] };
}

const RUNNING_PLATFORM: Partial<Record<NodeJS.Platform, Platform>> = { darwin: 'macos', win32: 'windows', linux: 'linux' };

/** Loads the declaration (once) and opens the session every command works from. */
export async function openSession(
  opts: CommonOptions,
  reads: HostReads,
  /** The declaration when the caller has loaded it already (doctor checks it first): it is not read again. */
  declaration?: { loaded: LoadedConfig; source: string },
): Promise<Session> {
  const { loaded, source } = declaration ?? (await findAndLoadConfig(opts.config));
  const root = opts.root === undefined ? undefined : path.resolve(opts.root);
  if (root !== undefined) {
    const st = await reads.lstat(root);
    if (st?.kind !== 'directory') {
      throw new ProvisionError('ROOT_INVALID', `--root ${opts.root} is not a folder`, { hint: 'give an existing folder that stands for the machine\'s /' });
    }
  }
  const name = await selectMachine(loaded, opts.machine, reads, root);
  const machine = loaded.config.machines[name];
  if (machine === undefined) throw new Error(`internal: machine ${name} vanished`);
  const platform = machinePlatform(machine);
  const running = RUNNING_PLATFORM[process.platform];
  if (root === undefined && running !== platform) {
    throw new ProvisionError('PLATFORM_MISMATCH', `machine ${name} is declared as ${platform}, but this computer runs ${running ?? process.platform}`, {
      hint: `run provision on ${name} itself, or pass --root DIR to work on its disk from here`,
      location: loaded.locate(['machines', name]),
    });
  }
  const user = os.userInfo();
  const ctx: MachineContext = {
    name,
    platform,
    paths: createPathMapper(platform, root),
    loaded,
    runningAsRoot: process.getuid?.() === 0,
    invoker: root === undefined ? { name: user.username, home: os.homedir() } : { name: user.username },
    interactive: stdinIsTerminal(),
    ...(opts.scheduled === true ? { scheduled: true } : {}),
  };
  const users = resolveUsers(ctx, opts.user);
  const journalDirs = stateDirs(ctx, users, process.env);
  ctx.driveRecords = journalDirs;
  let desired = buildDesiredMachine(ctx, users);
  if (platform === 'windows') {
    // A drive Windows gave another letter this time is placed where it is, found by its identity.
    const moved = await findMovedLetters(reads, ctx.paths, desired.drives.values());
    if (moved.size > 0) {
      ctx.driveLetters = moved;
      desired = buildDesiredMachine(ctx, users);
    }
  }
  // The machine's own resources are left out when the run is narrowed to one user.
  const bound = bindAllResources(desired, { machineLevel: opts.user === undefined });
  return {
    loaded,
    configSource: source,
    ctx,
    users,
    desired,
    resources: bound.resources,
    tools: bound.tools,
    journalDirs,
  };
}

async function selectMachine(loaded: LoadedConfig, wanted: string | undefined, reads: HostReads, root: string | undefined): Promise<string> {
  const machines = loaded.config.machines;
  const declared = Object.keys(machines);
  if (wanted !== undefined) {
    if (machines[wanted] !== undefined) return wanted;
    // Accept a hostname as well as the machine's key.
    const byHost = matchMachine(Object.fromEntries(Object.entries(machines).map(([k, m]) => [k, { hostname: hostnames(m) }])), [wanted]);
    if (byHost.ok) return byHost.machine;
    throw new ProvisionError('MACHINE_UNKNOWN', `no machine ${wanted} in ${loaded.file}`, {
      hint: `declared machines: ${declared.join(', ')}`,
    });
  }
  const names = await computerNames(reads, process.platform);
  const match = matchMachine(Object.fromEntries(Object.entries(machines).map(([k, m]) => [k, { hostname: hostnames(m) }])), names);
  if (match.ok) return match.machine;
  const under = root === undefined ? '' : ' (under --root, the machine is best named with --machine)';
  throw new ProvisionError('MACHINE_NOT_DETECTED', match.reason === 'ambiguous'
    ? `this computer (${names.join(', ')}) matches several machines: ${match.candidates.join(', ')}`
    : `this computer (${names.join(', ') || 'name unknown'}) is not one of the declared machines${under}`, {
    hint: `declared machines: ${declared.join(', ')}; pass --machine NAME, or add this computer's name to a machine's hostname`,
  });
}
