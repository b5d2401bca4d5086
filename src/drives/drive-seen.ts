import path from 'node:path';
import type { Host, HostReads } from '../host/host.js';
import { errnoCode, isProvisionError } from '../errors.js';
import { ensureStateFolder } from '../host/state-folder.js';
import type { DriveRecordPlaces } from './drive-record.js';

/**
 * When each declared drive was last seen mounted (and was the right drive), kept in the state
 * folder as drives/seen.json beside known.json. Written by apply and restore and by the daily
 * check (`check --notify`); plan, status, doctor and a plain check only read it. It holds no
 * data: losing it only makes check say "never seen" until the drive is next plugged in.
 */
export const SEEN_FILE = path.join('drives', 'seen.json');

interface SeenFile {
  version: 1;
  drives: Record<string, { lastSeenAt: string }>;
}

async function readSeen(host: HostReads, dir: string): Promise<SeenFile | undefined> {
  let text: string;
  try {
    text = (await host.readFile(path.join(dir, SEEN_FILE))).toString('utf8');
  } catch (e) {
    const code = errnoCode(e);
    // Another account's state folder (root's, 0700) may be unreadable: that record is not ours.
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EPERM') return undefined;
    throw e;
  }
  try {
    const v = JSON.parse(text) as Partial<SeenFile>;
    if (v.version !== 1 || typeof v.drives !== 'object' || v.drives === null) return undefined;
    const drives: SeenFile['drives'] = {};
    for (const [name, d] of Object.entries(v.drives)) {
      if (typeof d?.lastSeenAt === 'string' && !Number.isNaN(Date.parse(d.lastSeenAt))) drives[name] = { lastSeenAt: d.lastSeenAt };
    }
    return { version: 1, drives };
  } catch {
    // A torn or edited record: the drive counts as not seen until the next apply writes it anew.
    return undefined;
  }
}

/** The latest time any state folder of this run saw the drive, or undefined when none did. */
export async function lastSeen(host: HostReads, places: DriveRecordPlaces, name: string): Promise<Date | undefined> {
  let latest: Date | undefined;
  for (const dir of places.read) {
    const at = (await readSeen(host, dir))?.drives[name]?.lastSeenAt;
    if (at === undefined) continue;
    const d = new Date(at);
    if (latest === undefined || d > latest) latest = d;
  }
  return latest;
}

/**
 * Records that these drives are mounted now, in the run's own state folder (atomically). Best
 * effort by design: a state folder that cannot be written is reported by the journal, which
 * needs it, and costs the record nothing more than a "not seen" later.
 */
export async function recordDrivesSeen(host: Host, places: DriveRecordPlaces, names: readonly string[], now: Date): Promise<boolean> {
  if (names.length === 0) return true;
  try {
    const current = (await readSeen(host, places.write)) ?? { version: 1 as const, drives: {} };
    for (const name of names) current.drives[name] = { lastSeenAt: now.toISOString() };
    await ensureStateFolder(host, places.write);
    const file = path.join(places.write, SEEN_FILE);
    if ((await host.lstat(path.dirname(file))) === undefined) await host.mkdir(path.dirname(file), 0o700);
    await host.writeFileAtomic(file, `${JSON.stringify(current, null, 2)}\n`);
    return true;
  } catch (e) {
    if (isProvisionError(e) || errnoCode(e) !== undefined) return false;
    throw e;
  }
}
