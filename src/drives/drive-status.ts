import { driveMountPoint, kindAppliesOn, LOCATION_KINDS } from '../config/effective.js';
import { ownEntry } from '../config/own-entry.js';
import { dual, type MachineContext } from '../desired/machine-context.js';
import type { ResolvedUser } from '../desired/resolve-users.js';
import type { DriveStatus } from '../engine/status-types.js';
import type { HostReads } from '../host/host.js';
import { observeDrive } from './observe-drive.js';

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

/**
 * Each drive: where it appears on this machine, whether it is really mounted there (the
 * mount-point rule of observeDrive), and its free and total space. Reads only; starts no process.
 */
export async function driveStatuses(host: HostReads, ctx: MachineContext, used: ReadonlyMap<string, string[]>): Promise<DriveStatus[]> {
  const out: DriveStatus[] = [];
  for (const [name, usedBy] of used) {
    const mount = driveMountPoint(ctx.loaded.config, ctx.name, name);
    // Validation refuses a drive this machine cannot place, so this is only a safeguard.
    if (!mount.ok) continue;
    const where = dual(ctx, mount.mountPoint);
    const seen = await observeDrive(host, { name, mountPoint: where });
    const row: DriveStatus = { name, mountPoint: where.machine, state: seen.kind, usedBy };
    if (seen.kind === 'mounted') {
      const space = await host.statfs(where.host);
      row.freeBytes = space.freeBytes;
      row.totalBytes = space.totalBytes;
      if (space.fsType !== 'unknown') row.fsType = space.fsType;
    }
    out.push(row);
  }
  return out;
}
