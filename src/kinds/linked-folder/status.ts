import type { MachineFacts } from '../../desired/machine-context.js';
import type { DualPath } from '../../machine/path-mapper.js';
import { errnoCode } from '../../errors.js';
import type { HostReads } from '../../host/host.js';
import { severityOf, type DataPlace, type DeviceStatus, type ResourceStatus } from '../../engine/status/status-types.js';
import { classifyLinkedFolder } from './classify-status.js';
import { observeLinkedFolder } from './observe.js';
import { nothingThere } from './plan.js';
import type { TreeSummaryLite } from './tree-summary-lite.js';
import type { LinkedFolderDesired } from './types.js';

/** What a kind learns from a place that holds its data: its size, and per-entry details (devices). */
export interface PlaceMeasure {
  summary: TreeSummaryLite;
  devices?: DeviceStatus[];
}

/** A kind's own way to size a place, when it has more to say than a size (iOS backups: each device). */
export type MeasurePlace = (host: HostReads, place: DualPath) => Promise<PlaceMeasure>;

export interface LinkedFolderStatusOptions {
  measure?: MeasurePlace;
  /**
   * When nothing of it is anywhere: leave the location out (a photo library the user does not
   * have), or say so in these words; by default it is "not set up".
   */
  nothing?: 'omit' | { words: string; hint: string };
}

/**
 * ResourceKind.status for a linked folder: observes as a plan does, without refine (status
 * starts no diskutil or pgrep), classifies each link path, then sizes the data wherever it is.
 */
export async function linkedFolderStatus(
  host: HostReads,
  ctx: MachineFacts,
  d: LinkedFolderDesired,
  options: LinkedFolderStatusOptions = {},
): Promise<ResourceStatus | undefined> {
  const o = await observeLinkedFolder(host, ctx, d);
  const nothing = nothingThere(o) ? options.nothing : undefined;
  if (nothing === 'omit') return undefined;
  const c = { ...classifyLinkedFolder(d, o), ...nothing };
  const data: DataPlace[] = [];
  const devices: DeviceStatus[] = [];
  const notes = [...c.notes];
  // With the drive away, the data a link leads to cannot be sized: its size is unknown, not 0.
  let sized = !(o.drive.kind !== 'mounted' && o.links.some((l) => l.state.kind === 'symlink' && l.state.pointsAtTarget));
  for (const place of c.places) {
    let m: PlaceMeasure;
    try {
      m = options.measure !== undefined ? await options.measure(host, place.path) : { summary: place.summary ?? (await walk(host, place.path.host)) };
    } catch (e) {
      sized = false;
      notes.push(`${place.path.machine} could not be sized (${errnoCode(e) ?? (e instanceof Error ? e.message : String(e))})`);
      continue;
    }
    const s = m.summary;
    data.push({ path: place.path.machine, where: place.where, files: s.files, bytes: s.bytes, unreadable: s.unreadable.length });
    if (s.unreadable.length > 0) notes.push(`${place.path.machine}: ${s.unreadable.length} of its entries could not be read, so its size is at least what is shown`);
    devices.push(...(m.devices ?? []));
  }
  return {
    id: d.id,
    kind: d.kind,
    user: d.user,
    title: d.title,
    declared: d.target.machine,
    drive: d.drive.name,
    paths: d.links.map((l) => l.machine),
    state: c.state,
    words: c.words,
    severity: severityOf(c.state),
    ...(c.hint === undefined ? {} : { hint: c.hint }),
    links: c.links,
    data,
    sized,
    ...(options.measure !== undefined ? { devices } : {}),
    notes,
  };
}

async function walk(host: HostReads, hostPath: string): Promise<TreeSummaryLite> {
  const s = await host.summarize(hostPath);
  return { files: s.files + s.symlinks, bytes: s.bytes, largestFile: s.largestFile, unreadable: s.unreadable };
}
