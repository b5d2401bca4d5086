import type { LoadedConfig, Platform } from '../config/model/declared.js';
import type { PathMapper } from '../machine/path-mapper.js';
import type { DriveRecordPlaces } from '../drives/drive-record.js';

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
  /** Where drives' identities are remembered (the state folders); absent in pure tests. */
  driveRecords?: DriveRecordPlaces;
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
  /** Ids the declaration pins the drive to (volume UUIDs or provision marker ids); empty: none. */
  pins: string[];
  /** Where its identity is remembered once provision has written to it. */
  records?: DriveRecordPlaces;
}

/** A declared drive as this machine places it, with what identifies it. */
export function desiredDrive(ctx: MachineContext, name: string, mountPoint: string): DesiredDrive {
  const declared = ctx.loaded.config.drives?.[name]?.id;
  const pins = declared === undefined ? [] : Array.isArray(declared) ? [...declared] : [declared];
  return { name, mountPoint: dual(ctx, mountPoint), pins, ...(ctx.driveRecords === undefined ? {} : { records: ctx.driveRecords }) };
}

export function dual(ctx: MachineContext, machinePath: string): DualPath {
  return { machine: machinePath, host: ctx.paths.toHost(machinePath) };
}
