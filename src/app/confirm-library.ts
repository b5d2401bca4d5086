import path from 'node:path';
import { ProvisionError } from '../errors.js';
import type { Host, HostReads } from '../host/host.js';
import { isKeptName, readKeptRecord, writeKeptRecord, type KeptRecord } from '../engine/kept/kept-record.js';
import type { Session } from './session.js';

export interface ConfirmedOriginal {
  /** The kept original (host path). */
  kept: string;
  record: KeptRecord;
  /** Whether it was confirmed before this run. */
  already: boolean;
}

/**
 * `provision confirm-library`: the owner says the moved photo library works, so the original
 * provision kept beside its link may go. It only records that (confirmedAt, in the original's
 * record); the next apply removes it, after checking the drive again. `which` narrows it to one
 * library: its name (Photos Library.photoslibrary) or any of its paths (the link, the moved
 * library, the kept original). The kept originals are looked for in each run user's Pictures.
 */
export async function confirmLibraries(session: Session, reads: HostReads, host: Host, which: string | undefined): Promise<ConfirmedOriginal[]> {
  const found: ConfirmedOriginal[] = [];
  for (const u of session.users) {
    const pictures = session.ctx.paths.toHost(session.ctx.paths.machine.join(u.desired.home.machine, 'Pictures'));
    const names = await reads.readdir(pictures).catch(() => [] as string[]);
    for (const name of names.filter(isKeptName).sort()) {
      const kept = path.join(pictures, name);
      const read = await readKeptRecord(reads, kept);
      if (!read.ok || !matches(which, kept, read.record, session)) continue;
      found.push({ kept, record: read.record, already: read.record.confirmedAt !== undefined });
    }
  }
  if (found.length === 0) {
    throw new ProvisionError('NOTHING_KEPT', which === undefined ? 'no photo library original kept by provision was found in the Pictures folders of this run\'s users' : `no photo library original kept by provision matches ${which}`, {
      hint: 'provision status lists the originals kept after a move; name the library as it shows there, or leave the name out',
    });
  }
  for (const f of found) {
    if (f.already) continue;
    f.record = { ...f.record, confirmedAt: new Date().toISOString() };
    await writeKeptRecord(host, f.kept, f.record);
  }
  return found;
}

function matches(which: string | undefined, kept: string, r: KeptRecord, session: Session): boolean {
  if (which === undefined) return true;
  const want = which.replace(/[/\\]+$/, '');
  const asHost = path.isAbsolute(want) ? session.ctx.paths.toHost(want) : undefined;
  const paths = [kept, r.link, r.movedTo].map((p) => p.replace(/[/\\]+$/, ''));
  return path.basename(r.link) === want || (asHost !== undefined && paths.includes(asHost)) || paths.includes(want);
}
