import { driveMountPoint } from '../config/model/effective.js';
import type { DeclaredLocation } from '../config/model/declared.js';
import { parseDrivePath } from '../config/model/path-forms.js';
import { desiredDrive, dual, type MachineContext } from './machine-context.js';
import type { DesiredDrive } from '../drives/types.js';
import type { DualPath } from '../machine/path-mapper.js';

export interface DriveFolder {
  drive: DesiredDrive;
  /** The declared folder on the drive. */
  folder: DualPath;
  /** Its names below the mount point. */
  segments: string[];
}

/**
 * Where a declared location is on this machine: the drive's mount point and the folder on it.
 * Validation has already refused a drive this machine cannot place and a path that is not a
 * folder on the drive, so either here is an internal error.
 */
export function driveFolder(ctx: MachineContext, loc: DeclaredLocation): DriveFolder {
  const mount = driveMountPoint(ctx.loaded.config, ctx.name, loc.drive);
  if (!mount.ok) throw new Error(`internal: drive ${loc.drive} unresolved on ${ctx.name}: ${mount.reason}`);
  const parsed = parseDrivePath(loc.path);
  if (!parsed.ok) throw new Error(`internal: path ${loc.path} passed validation but is ${parsed.problem}`);
  return {
    drive: desiredDrive(ctx, loc.drive, mount.mountPoint),
    folder: dual(ctx, ctx.paths.machine.join(mount.mountPoint, ...parsed.segments)),
    segments: parsed.segments,
  };
}
