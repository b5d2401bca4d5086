import { parseDrivePath } from '../config/model/path-forms.js';
import type { DesiredDrive, DriveFolder } from '../drives/types.js';
import { dual, type MachineFacts } from './machine-context.js';

/**
 * Where a declared folder is on this machine: the folder at `path` on the (already placed)
 * drive. Validation has already refused a path that is not a folder on the drive, so one here
 * is an internal error.
 */
export function driveFolder(machine: MachineFacts, drive: DesiredDrive, path: string): DriveFolder {
  const parsed = parseDrivePath(path);
  if (!parsed.ok) throw new Error(`internal: path ${path} passed validation but is ${parsed.problem}`);
  return {
    drive,
    folder: dual(machine, machine.paths.machine.join(drive.mountPoint.machine, ...parsed.segments)),
    segments: parsed.segments,
  };
}
