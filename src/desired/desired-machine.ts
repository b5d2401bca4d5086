import { driveMountPoint, hostnames, kindAppliesOn, LOCATION_KINDS, type LocationKind } from '../config/model/effective.js';
import { ownEntry } from '../config/model/own-entry.js';
import { quotaGB } from '../config/model/quota.js';
import type { DeclaredConfig } from '../config/model/declared.js';
import { findServerShare, findShare, parseShareRef, serverShareAccount, shareAccount } from '../config/model/share-refs.js';
import type { DesiredDrive } from '../drives/types.js';
import { driveFolder } from './drive-folder.js';
import type { DriveFolder } from '../drives/types.js';
import { desiredDrive, movedDrive, type MachineContext, type MachineFacts } from './machine-context.js';
import type { ResolvedUser, UserPlace } from './resolve-users.js';
import { DEFAULT_WATCH_LIMITS, type UserWatchLimits, type WatchLimits } from './watch-limits.js';

/** Where one kind of a user's data is kept: the folder on the drive, and for photos the extra library names. */
export interface DesiredLocation extends DriveFolder {
  /** Library packages besides the default names (photos: libraries:); empty for the others. */
  libraries: readonly string[];
}

/** A user of this run, with the home and the locations declared for this machine. */
export interface DesiredUser extends UserPlace {
  /** Each kind of data the declaration places on a drive, for the kinds that exist on this platform. */
  locations: Partial<Record<LocationKind, DesiredLocation>>;
  /** The limits `provision check` holds this user's device backups against. */
  watch: UserWatchLimits;
}

/** A Time Machine destination: a drive of this Mac, or a share of another declared machine. */
export type DesiredTmDestination = { quotaGB?: number } & (
  | { drive: DesiredDrive }
  | { share: { machine: string; name: string; account: string; hostnames: readonly string[]; protocol: 'smb' | 'afp'; unmanaged?: UnmanagedShareFacts } }
);

/** What is known of a share on a server provision does not manage (servers:). */
export interface UnmanagedShareFacts {
  /** How much it holds, as declared (size:), in decimal gigabytes. */
  sizeGB?: number;
  /** Every Mac of the household that backs up there, with its quota. */
  clients: readonly { machine: string; quotaGB?: number }[];
}

/** A folder this machine shares (Samba on Linux, File Sharing on a Mac). */
export interface DesiredShare {
  name: string;
  place: DriveFolder;
  users: readonly string[];
  timeMachine: boolean;
  /** The Time Machine quota, in decimal gigabytes as declared. */
  quotaGB?: number;
  /** The Macs of the household that declare this share as a Time Machine destination, with their own quota. */
  clients: readonly { machine: string; quotaGB?: number }[];
}

/**
 * The desired machine (docs/design.md, note 1): the declaration resolved once for this machine
 * and this run's users. Every drive is placed once, with what identifies it; every location is
 * a folder on a drive. Kinds read this value, never the declaration.
 */
export interface DesiredMachine extends MachineFacts {
  /** Every declared drive this machine can place, by name. */
  drives: ReadonlyMap<string, DesiredDrive>;
  users: readonly DesiredUser[];
  /** The machine's Time Machine set-up, when declared. */
  timemachine?: { destinations: readonly DesiredTmDestination[]; exclusive: boolean };
  /** The machine's shared folders, when it declares shares:. */
  shares?: readonly DesiredShare[];
  /** The household's limits for `provision check`. */
  watch: WatchLimits;
}

/** Builds the desired machine from the declaration; validation has refused whatever cannot be placed. */
export function buildDesiredMachine(ctx: MachineContext, users: readonly ResolvedUser[]): DesiredMachine {
  const { loaded, ...facts } = ctx;
  const config = loaded.config;
  const drives = new Map<string, DesiredDrive>();
  for (const name of Object.keys(config.drives ?? {})) {
    const mount = driveMountPoint(config, ctx.name, name);
    if (!mount.ok) continue;
    const letter = ctx.driveLetters?.get(name);
    drives.set(name, letter === undefined ? desiredDrive(ctx, name, mount.mountPoint) : movedDrive(ctx, name, mount.mountPoint, letter));
  }
  const machine = ownEntry(config.machines, ctx.name);
  const tm = machine?.timemachine;
  const timemachine =
    tm === undefined
      ? undefined
      : {
          exclusive: tm.exclusive === true,
          destinations: (tm.destinations ?? []).map((d): DesiredTmDestination => {
            const quota = d.quota === undefined ? {} : { quotaGB: quotaGB(d.quota) };
            if (d.drive !== undefined) return { drive: placed(drives, d.drive, ctx.name), ...quota };
            const ref = parseShareRef(d.share);
            const onServer = findServerShare(config, ref);
            if (onServer !== undefined) {
              const account = serverShareAccount(config, ctx.name, onServer.share);
              if (account === undefined) throw new Error(`internal: no account for ${d.share}`);
              const size = onServer.share.size;
              const unmanaged = { clients: shareClients(config, ref.machine, onServer.share.name), ...(size === undefined ? {} : { sizeGB: quotaGB(size) }) };
              return { share: { machine: ref.machine, name: onServer.share.name, account, hostnames: hostnames(onServer.server), protocol: onServer.share.protocol ?? 'smb', unmanaged }, ...quota };
            }
            const share = findShare(config, ref);
            const host = ownEntry(config.machines, ref.machine);
            const account = share === undefined ? undefined : shareAccount(config, ctx.name, share);
            if (share === undefined || host === undefined || account === undefined) throw new Error(`internal: share ${d.share} unresolved`);
            return { share: { machine: ref.machine, name: share.name, account, hostnames: hostnames(host), protocol: 'smb' }, ...quota };
          }),
        };
  const household: WatchLimits = { ...DEFAULT_WATCH_LIMITS, ...(config.watch ?? {}) };
  const shares = machine?.shares?.map((s): DesiredShare => {
    const quota = s.timemachine?.quota;
    return {
      name: s.name,
      place: driveFolder(ctx, placed(drives, s.drive, ctx.name), s.path),
      users: [...s.users],
      timeMachine: s.timemachine !== undefined,
      ...(quota === undefined ? {} : { quotaGB: quotaGB(quota) }),
      clients: shareClients(config, ctx.name, s.name),
    };
  });
  return {
    ...facts,
    drives,
    users: users.map((u) => {
      const locations: DesiredUser['locations'] = {};
      for (const kind of LOCATION_KINDS) {
        const loc = u.effective[kind];
        if (loc === undefined || !kindAppliesOn(kind, ctx.platform)) continue;
        locations[kind] = { ...driveFolder(ctx, placed(drives, loc.drive, ctx.name), loc.path), libraries: kind === 'photos' ? [...(u.effective.photos?.libraries ?? [])] : [] };
      }
      return { ...u.desired, locations, watch: userWatch(ownEntry(config.users, u.desired.name)?.watch, household.deviceBackupDays) };
    }),
    ...(timemachine === undefined ? {} : { timemachine }),
    ...(shares === undefined ? {} : { shares }),
    watch: household,
  };
}

/** Every machine whose Time Machine destinations name MACHINE/SHARE, with the quota it declares there. */
function shareClients(config: DeclaredConfig, machine: string, share: string): { machine: string; quotaGB?: number }[] {
  const out: { machine: string; quotaGB?: number }[] = [];
  for (const [name, m] of Object.entries(config.machines ?? {})) {
    for (const d of m.timemachine?.destinations ?? []) {
      if (d.share === undefined) continue;
      const ref = parseShareRef(d.share);
      if (ref.machine !== machine || ref.name.toLowerCase() !== share.toLowerCase()) continue;
      out.push({ machine: name, ...(d.quota === undefined ? {} : { quotaGB: quotaGB(d.quota) }) });
    }
  }
  return out;
}

/** A person's limits: their own default over the household's, and their devices' own. */
function userWatch(declared: { deviceBackupDays?: number; devices?: Record<string, number> } | undefined, householdDays: number): UserWatchLimits {
  return { deviceBackupDays: declared?.deviceBackupDays ?? householdDays, devices: new Map(Object.entries(declared?.devices ?? {})) };
}

function placed(drives: ReadonlyMap<string, DesiredDrive>, name: string, machine: string): DesiredDrive {
  const drive = drives.get(name);
  if (drive === undefined) throw new Error(`internal: drive ${name} unresolved on ${machine}`);
  return drive;
}
