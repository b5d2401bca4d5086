import type { DesiredDrive } from '../drives/types.js';
import type { DualPath } from '../machine/path-mapper.js';
import type { LoadedConfig, Platform } from '../config/model/declared.js';
import type { PathMapper } from '../machine/path-mapper.js';
import type { DriveRecordPlaces } from '../drives/drive-record.js';

/** The machine being provisioned and how to reach its files: what every layer may know of it. */
export interface MachineFacts {
  name: string;
  platform: Platform;
  paths: PathMapper;
  /** Whether provision runs with root privileges (it may then chown to each user). */
  runningAsRoot: boolean;
  /** The invoking account's name, and its home when it is on this machine (no --root). */
  invoker: { name: string; home?: string };
  /** Where drives' identities are remembered (the state folders); absent in pure tests. */
  driveRecords?: DriveRecordPlaces;
  /** Windows: drives found by their identity under another letter than declared this time ("F:"), by name. */
  driveLetters?: ReadonlyMap<string, string>;
  /** Whether a person is at a terminal to answer a tool's prompt (tmutil setdestination -p asks for a password). */
  interactive?: boolean;
  /** The run was started by the scheduled job: what needs its owner's word (removing a kept original) waits. */
  scheduled?: boolean;
}

/**
 * The machine with its declaration, from which the desired machine is built
 * (desired/desired-machine.ts). Kinds never see it: they read the desired machine.
 */
export interface MachineContext extends MachineFacts {
  loaded: LoadedConfig;
}

/** A declared drive as this machine places it, with what identifies it. */
export function desiredDrive(ctx: MachineContext, name: string, mountPoint: string): DesiredDrive {
  const entry = ctx.loaded.config.drives?.[name];
  const declared = entry?.id;
  const pins = declared === undefined ? [] : Array.isArray(declared) ? [...declared] : [declared];
  return {
    name,
    mountPoint: dual(ctx, mountPoint),
    pins,
    ...(entry?.backedUp === undefined ? {} : { backedUp: entry.backedUp }),
    ...(ctx.driveRecords === undefined ? {} : { records: ctx.driveRecords }),
  };
}

/** A drive placed where Windows put it this time, remembering the letter declared for it. */
export function movedDrive(ctx: MachineContext, name: string, declared: string, letter: string): DesiredDrive {
  return { ...desiredDrive(ctx, name, `${letter}\\`), declaredAt: declared };
}

export function dual(ctx: MachineFacts, machinePath: string): DualPath {
  return { machine: machinePath, host: ctx.paths.toHost(machinePath) };
}
