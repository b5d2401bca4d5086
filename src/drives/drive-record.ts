import path from 'node:path';
import type { Host, HostReads } from '../host/host.js';
import { errnoCode } from '../errors.js';
import { cannotWrite, ensureStateFolder } from '../host/state-folder.js';
import type { DriveIdentity } from './identity.js';

/**
 * Which drive each declared drive name turned out to be, remembered on the machine the first
 * time provision writes to it (drives/known.json in the state folder, beside the journal). Without a
 * pin in the declaration, this is what a mounted volume is compared with: a twin of the same
 * name, plugged in later, is then refused instead of receiving empty folders and links. It holds
 * no data: deleting the file only makes provision adopt whatever drive is mounted next.
 */
export const RECORD_FILE = path.join('drives', 'known.json');

export interface DriveRecordFile {
  version: 1;
  drives: Record<string, DriveIdentity & { recordedAt: string }>;
}

/** Where the record is read (every state folder of this run) and written (the run's own). */
export interface DriveRecordPlaces {
  write: string;
  read: readonly string[];
}

/** The identities recorded for a drive name, from every state folder (duplicates removed). */
export async function recordedIdentities(host: HostReads, places: DriveRecordPlaces, name: string): Promise<DriveIdentity[]> {
  const out: DriveIdentity[] = [];
  for (const dir of places.read) {
    const r = (await readRecord(host, dir))?.drives[name];
    if (r === undefined) continue;
    const id: DriveIdentity = { ...(r.uuid === undefined ? {} : { uuid: r.uuid }), ...(r.marker === undefined ? {} : { marker: r.marker }) };
    if (!out.some((o) => o.uuid === id.uuid && o.marker === id.marker)) out.push(id);
  }
  return out;
}

async function readRecord(host: HostReads, dir: string): Promise<DriveRecordFile | undefined> {
  let text: string;
  try {
    text = (await host.readFile(path.join(dir, RECORD_FILE))).toString('utf8');
  } catch (e) {
    const code = errnoCode(e);
    // Another account's state folder (root's, 0700) may be unreadable: that record is not ours.
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EPERM') return undefined;
    throw e;
  }
  try {
    const v = JSON.parse(text) as Partial<DriveRecordFile>;
    if (v.version !== 1 || typeof v.drives !== 'object' || v.drives === null) return undefined;
    const drives: DriveRecordFile['drives'] = {};
    for (const [k, d] of Object.entries(v.drives)) {
      const uuid = typeof d.uuid === 'string' ? d.uuid : undefined;
      const marker = typeof d.marker === 'string' ? d.marker : undefined;
      if (uuid === undefined && marker === undefined) continue;
      drives[k] = { ...(uuid === undefined ? {} : { uuid }), ...(marker === undefined ? {} : { marker }), recordedAt: String(d.recordedAt ?? '') };
    }
    return { version: 1, drives };
  } catch {
    // A torn or edited record only costs the comparison; the next apply writes it anew.
    return undefined;
  }
}

/** Remembers a drive's identity in the run's own state folder (atomically). */
export async function recordIdentity(host: Host, places: DriveRecordPlaces, name: string, id: DriveIdentity): Promise<void> {
  const current = (await readRecord(host, places.write)) ?? { version: 1 as const, drives: {} };
  current.drives[name] = { ...id, recordedAt: new Date().toISOString() };
  const file = path.join(places.write, RECORD_FILE);
  await ensureStateFolder(host, places.write);
  try {
    if ((await host.lstat(path.dirname(file))) === undefined) await host.mkdir(path.dirname(file), 0o700);
    await host.writeFileAtomic(file, `${JSON.stringify(current, null, 2)}\n`);
  } catch (e) {
    throw cannotWrite(places.write, e);
  }
}
