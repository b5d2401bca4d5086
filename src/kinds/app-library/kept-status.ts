import type { MachineFacts } from '../../desired/machine-context.js';
import type { ResourceStatus } from '../../engine/status/status-types.js';
import type { HostReads } from '../../host/host.js';
import { formatBytes } from '../../text/units.js';
import { findKeptOriginals, keptOnMachine } from './kept-originals.js';
import type { AppLibraryDesired } from './types.js';

/**
 * A library's status with the originals kept beside its link: each is a place holding data (the
 * size its move recorded, so status does not walk it), and a library otherwise as declared is
 * shown as waiting for its owner, with what to do.
 */
export async function withKeptOriginals(host: HostReads, ctx: MachineFacts, d: AppLibraryDesired, status: ResourceStatus | undefined): Promise<ResourceStatus | undefined> {
  const home = d.links[0];
  if (status === undefined || d.keepOriginal === undefined || home === undefined) return status;
  const kept = (await findKeptOriginals(host, home.host)).filter((k) => k.record.ok);
  if (kept.length === 0) return status;
  const machinePath = (hostPath: string): string => keptOnMachine(d, hostPath);
  const data = [...status.data];
  const held: string[] = [];
  for (const k of kept) {
    if (!k.record.ok) continue;
    const v = k.record.record.volume;
    data.push({ path: machinePath(k.path), where: 'kept', files: v.files, bytes: v.bytes, unreadable: 0 });
    held.push(`${machinePath(k.path)} (${formatBytes(v.bytes)})`);
  }
  const waiting = `the original is kept at ${held.join(' and ')} until you have opened the moved library from drive ${d.drive.name}`;
  if (status.state !== 'ok') return { ...status, data, notes: [...status.notes, waiting] };
  return {
    ...status,
    state: 'kept-original',
    severity: 'warning',
    words: `as declared; ${waiting}`,
    hint: 'open the library in Photos from its new place (hold Option while opening Photos, choose Other Library); when it works, run provision confirm-library, then provision apply',
    data,
  };
}
