import type { DesiredMachine } from '../desired/desired-machine.js';
import type { DesiredDrive, DriveObserved } from '../drives/types.js';
import { observeDrive, ownershipOfType, withDriveFormat } from '../drives/observe-drive.js';
import type { BoundResource } from '../engine/kind.js';
import type { DriveStatus } from '../engine/status/status-types.js';
import type { HostReads } from '../host/host.js';

/**
 * Pure: the declared drives this run's resources use, each with what uses it, as their kinds
 * say (BoundResource.drives), in the order first used.
 */
export function drivesUsed(resources: readonly BoundResource[]): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const r of resources) {
    for (const { drive, usedBy } of r.drives) {
      const list = used.get(drive) ?? [];
      if (!list.includes(usedBy)) list.push(usedBy);
      used.set(drive, list);
    }
  }
  return used;
}

/** A declared drive as observed here, and its row for status and doctor. */
export interface SeenDrive {
  drive: DesiredDrive;
  observed: DriveObserved;
  status: DriveStatus;
}

/**
 * Each drive: where it appears on this machine, whether it is really mounted there (the
 * mount-point rule of observeDrive), and its free and total space. Its format is what statfs
 * names, or with `format` what diskutil names (withDriveFormat: doctor asks, status does not,
 * so that status starts no process). Reads only.
 */
export async function observeUsedDrives(
  host: HostReads,
  machine: DesiredMachine,
  used: ReadonlyMap<string, string[]>,
  options: { format?: boolean } = {},
): Promise<SeenDrive[]> {
  const out: SeenDrive[] = [];
  for (const [name, usedBy] of used) {
    const drive = machine.drives.get(name);
    // Validation refuses a drive this machine cannot place, so this is only a safeguard.
    if (drive === undefined) continue;
    let observed = await observeDrive(host, drive);
    const status: DriveStatus = { name, mountPoint: drive.mountPoint.machine, state: observed.kind, usedBy };
    if (observed.kind === 'mounted') {
      if (options.format) observed = await withDriveFormat(host, drive, observed);
      const space = await host.statfs(drive.mountPoint.host);
      status.freeBytes = space.freeBytes;
      status.totalBytes = space.totalBytes;
      const fsType = options.format && observed.kind === 'mounted' ? observed.fsType : space.fsType;
      if (fsType !== undefined && fsType !== 'unknown') status.fsType = fsType;
      // Whether it keeps owners apart: diskutil's word with `format`, else the format statfs
      // names (no process: on a Mac status cannot tell, plan and doctor can).
      const owners = (observed.kind === 'mounted' ? observed.ownership : undefined) ?? (fsType === undefined ? undefined : ownershipOfType(fsType));
      if (owners !== undefined) status.owners = owners;
    }
    out.push({ drive, observed, status });
  }
  return out;
}

export async function driveStatuses(host: HostReads, machine: DesiredMachine, used: ReadonlyMap<string, string[]>): Promise<DriveStatus[]> {
  return (await observeUsedDrives(host, machine, used)).map((d) => d.status);
}
