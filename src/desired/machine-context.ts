import type { LoadedConfig, Platform } from '../config/declared.js';
import type { PathMapper } from '../machine/path-mapper.js';

/** A path as the machine sees it and as this process opens it. */
export interface DualPath {
  machine: string;
  host: string;
}

/** The machine being provisioned and how to reach its files. */
export interface MachineContext {
  name: string;
  platform: Platform;
  paths: PathMapper;
  loaded: LoadedConfig;
  /** Whether provision runs with root privileges (it may then chown to each user). */
  runningAsRoot: boolean;
  /** The invoking account's name, and its home when it is on this machine (no --root). */
  invoker: { name: string; home?: string };
}

export interface DesiredUser {
  name: string;
  home: DualPath;
  /** Where the user is listed for this machine in the declaration. */
  configPath: (string | number)[];
}

export interface DesiredDrive {
  name: string;
  mountPoint: DualPath;
}

export function dual(ctx: MachineContext, machinePath: string): DualPath {
  return { machine: machinePath, host: ctx.paths.toHost(machinePath) };
}
