/**
 * `provision drive adopt <user>`: gives a person's own folders on the declared drives to their
 * uid on this machine. On a drive that honours owners, a person whose account has another uid on
 * the machine that made their 0700 folder cannot open it here (OWNER_MISMATCH); as root, this
 * changes the owner (the uid only: group, modes and contents stay) of that person's declared
 * folders and of everything below them, and of nothing else. It follows no links: a folder on
 * the way that is a link, or an entry on another device, is never entered.
 */

import path from 'node:path';
import { errnoCode, ProvisionError } from '../errors.js';
import type { Host, HostReads } from '../host/host.js';
import { observeDrive } from '../drives/observe-drive.js';
import type { DesiredDrive, DriveObserved } from '../drives/types.js';
import type { DualPath } from '../machine/path-mapper.js';
import type { Session } from './session.js';

/** One declared folder of the person on a drive, and what in it belongs to someone else. */
export interface AdoptFolder {
  drive: DesiredDrive;
  folder: DualPath;
  /** The mount point's device: nothing on another device is touched. */
  dev: number;
  /** Host paths of the entries (the folder itself included) owned by another uid. */
  others: string[];
  /** The uids they belong to now. */
  fromUids: number[];
}

export interface AdoptPlan {
  user: string;
  uid: number;
  folders: AdoptFolder[];
  /** Declared folders left alone, and why: "drive archive is not mounted". */
  skipped: string[];
}

/** What adopting would change; reads only. */
export async function planAdopt(reads: HostReads, run: Session, user: string): Promise<AdoptPlan> {
  const person = run.desired.users.find((u) => u.name === user);
  if (person === undefined) {
    throw new ProvisionError('USER_UNKNOWN', `${user} is not a user of machine ${run.ctx.name} in the declaration`, {
      hint: `name one of: ${run.desired.users.map((u) => u.name).join(', ') || '(none)'}`,
    });
  }
  const home = await reads.lstat(person.home.host);
  if (home?.kind !== 'directory') {
    throw new ProvisionError('USER_UNKNOWN', `${user}'s home folder ${person.home.machine} does not exist on this machine, so ${user}'s uid here is not known`, {
      hint: `check the account name, or declare the home folder with "home:" for ${user}`,
    });
  }
  // The person's uid here is their home's owner (assumptions.ts HOME_OWNER_IS_USER).
  const uid = home.uid;
  const folders: AdoptFolder[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  for (const loc of Object.values(person.locations)) {
    if (loc === undefined || seen.has(loc.folder.host)) continue;
    seen.add(loc.folder.host);
    const observed = await observeDrive(reads, loc.drive);
    if (observed.kind !== 'mounted') {
      skipped.push(`${loc.folder.machine}: ${notThere(loc.drive, observed)}`);
      continue;
    }
    const mount = await reads.lstat(loc.drive.mountPoint.host);
    if (mount === undefined) continue;
    const way = await wayDown(reads, loc.drive.mountPoint.host, loc.segments);
    if (way !== undefined) {
      skipped.push(`${loc.folder.machine}: ${way}`);
      continue;
    }
    const others: string[] = [];
    const fromUids = new Set<number>();
    await walk(reads, loc.folder.host, mount.dev, (p, owner) => {
      if (owner === uid) return;
      others.push(p);
      fromUids.add(owner);
    });
    folders.push({ drive: loc.drive, folder: loc.folder, dev: mount.dev, others, fromUids: [...fromUids].sort((a, b) => a - b) });
  }
  return { user, uid, folders, skipped };
}

/**
 * Changes the owner of what planAdopt found, after checking again that each drive is the
 * declared one (its identity, like apply's drive check) on the same device, and that each
 * entry is still what it was: not a link where a folder was, on the same device. Returns how
 * many entries changed owner.
 */
export async function applyAdopt(host: Host, plan: AdoptPlan): Promise<number> {
  let changed = 0;
  for (const f of plan.folders) {
    if (f.others.length === 0) continue;
    const now = await observeDrive(host, f.drive);
    const mount = await host.lstat(f.drive.mountPoint.host);
    if (now.kind !== 'mounted' || mount?.dev !== f.dev) {
      throw new ProvisionError('DRIVE_MISMATCH', `drive ${f.drive.name} at ${f.drive.mountPoint.machine} is not the drive that was checked a moment ago; ${changed} entries had changed owner`, {
        hint: `connect drive ${f.drive.name} and run provision drive adopt ${plan.user} again`,
      });
    }
    for (const p of f.others) {
      const st = await host.lstat(p);
      // Gone, or now on another device (a mount appeared): left alone.
      if (st === undefined || st.dev !== f.dev || st.uid === plan.uid) continue;
      try {
        await host.chown(p, plan.uid, st.gid);
      } catch (e) {
        const code = errnoCode(e);
        if (code !== 'EPERM' && code !== 'EACCES' && code !== 'EROFS') throw e;
        throw new ProvisionError(code === 'EROFS' ? 'DRIVE_READ_ONLY' : 'PERMISSION', `cannot change the owner of ${p} (${code}); ${changed} entries had changed owner`, {
          hint: code === 'EROFS' ? `mount drive ${f.drive.name} read-write and run this again` : `run it as root (sudo provision drive adopt ${plan.user}); on a Mac, give the terminal Full Disk Access`,
          cause: e,
        });
      }
      changed++;
    }
  }
  return changed;
}

function notThere(drive: DesiredDrive, o: DriveObserved): string {
  if (o.kind === 'other-drive') return `the volume mounted at ${drive.mountPoint.machine} is not drive ${drive.name} (it has ${o.expected === '' ? 'another identity' : `not ${o.expected}`})`;
  return `drive ${drive.name} is not mounted at ${drive.mountPoint.machine}`;
}

/** Undefined when every folder from the mount point down to the person's folder is a real folder; else why not. */
async function wayDown(reads: HostReads, mount: string, segments: readonly string[]): Promise<string | undefined> {
  let dir = mount;
  for (const s of segments) {
    dir = path.join(dir, s);
    const st = await reads.lstat(dir);
    if (st === undefined) return 'not on the drive yet: nothing to adopt';
    if (st.kind === 'symlink') return `${dir} is a link: provision follows no links here`;
    if (st.kind !== 'directory') return `${dir} is not a folder`;
  }
  return undefined;
}

/** Every entry at and below dir (lstat: links are not followed, other devices not entered), with its owner. */
async function walk(reads: HostReads, dir: string, dev: number, seen: (p: string, uid: number) => void): Promise<void> {
  const st = await reads.lstat(dir);
  if (st === undefined || st.dev !== dev) return;
  seen(dir, st.uid);
  if (st.kind !== 'directory') return;
  for (const name of await reads.readdir(dir)) await walk(reads, path.join(dir, name), dev, seen);
}
