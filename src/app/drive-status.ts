import { driveMountPoint, kindAppliesOn, LOCATION_KINDS } from '../config/model/effective.js';
import { ownEntry } from '../config/model/own-entry.js';
import { desiredDrive, type MachineContext } from '../desired/machine-context.js';
import type { DesiredDrive } from '../drives/types.js';
import type { ResolvedUser } from '../desired/resolve-users.js';
import type { DriveStatus } from '../engine/status/status-types.js';
import type { HostReads } from '../host/host.js';
import type { DriveObserved } from '../drives/types.js';
import { observeDrive, withDriveFormat } from '../drives/observe-drive.js';

/**
 * Pure: the declared drives this machine uses, each with what uses it: the users' locations
 * (those of a kind that exists on its platform), and unless the run is narrowed to one user,
 * the machine's Time Machine destinations and shared folders. In the order first used.
 */
export function drivesUsed(ctx: MachineContext, users: readonly ResolvedUser[], machineLevel: boolean): Map<string, string[]> {
  const used = new Map<string, string[]>();
  const add = (drive: string, by: string): void => {
    const list = used.get(drive) ?? [];
    if (!list.includes(by)) list.push(by);
    used.set(drive, list);
  };
  for (const u of users) {
    for (const kind of LOCATION_KINDS) {
      const loc = u.effective[kind];
      if (loc !== undefined && kindAppliesOn(kind, ctx.platform)) add(loc.drive, `${u.desired.name}/${kind}`);
    }
  }
  if (machineLevel) {
    const machine = ownEntry(ctx.loaded.config.machines, ctx.name);
    for (const d of machine?.timemachine?.destinations ?? []) if (d.drive !== undefined) add(d.drive, 'timemachine');
    for (const s of machine?.shares ?? []) add(s.drive, `share ${s.name}`);
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
  ctx: MachineContext,
  used: ReadonlyMap<string, string[]>,
  options: { format?: boolean } = {},
): Promise<SeenDrive[]> {
  const out: SeenDrive[] = [];
  for (const [name, usedBy] of used) {
    const mount = driveMountPoint(ctx.loaded.config, ctx.name, name);
    // Validation refuses a drive this machine cannot place, so this is only a safeguard.
    if (!mount.ok) continue;
    const drive: DesiredDrive = desiredDrive(ctx, name, mount.mountPoint);
    let observed = await observeDrive(host, drive);
    const status: DriveStatus = { name, mountPoint: drive.mountPoint.machine, state: observed.kind, usedBy };
    if (observed.kind === 'mounted') {
      if (options.format) observed = await withDriveFormat(host, drive, observed);
      const space = await host.statfs(drive.mountPoint.host);
      status.freeBytes = space.freeBytes;
      status.totalBytes = space.totalBytes;
      const fsType = options.format && observed.kind === 'mounted' ? observed.fsType : space.fsType;
      if (fsType !== undefined && fsType !== 'unknown') status.fsType = fsType;
    }
    out.push({ drive, observed, status });
  }
  return out;
}

export async function driveStatuses(host: HostReads, ctx: MachineContext, used: ReadonlyMap<string, string[]>): Promise<DriveStatus[]> {
  return (await observeUsedDrives(host, ctx, used)).map((d) => d.status);
}
