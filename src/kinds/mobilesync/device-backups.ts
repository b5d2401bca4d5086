import path from 'node:path';
import { parsePlistXml } from '../../macos/plist.js';
import type { MachineFacts } from '../../desired/machine-context.js';
import type { DualPath } from '../../machine/path-mapper.js';
import { errnoCode } from '../../errors.js';
import type { DeviceStatus } from '../../engine/status/status-types.js';
import type { HostReads, TreeSummary } from '../../host/host.js';
import type { MeasurePlace, PlaceMeasure } from '../linked-folder/status.js';
import type { TreeSummaryLite } from '../linked-folder/tree-summary-lite.js';
import { deviceFromInfo, parseDeviceFolderName } from './device-info.js';
import { readBackupState } from './backup-state.js';
import { deviceLimitDays, type UserWatchLimits } from '../../desired/watch-limits.js';

/** Info.plist is 1 to 10 MB (docs/platform-facts.md); anything far larger is not one, and is not read into memory. */
const INFO_PLIST_LIMIT = 64 * 1024 * 1024;

/**
 * MeasurePlace for iOS backups: walks a backup folder one entry at a time, so that each device
 * folder gets its own size and the folder's total comes from the same walk. Every folder not
 * starting with a dot is a device backup (provision's own temporary folders start with one)
 * and gets a row, readable Info.plist or not.
 */
export function measureBackupFolder(ctx: MachineFacts, now: Date, limits: UserWatchLimits): MeasurePlace {
  return async (host: HostReads, place: DualPath): Promise<PlaceMeasure> => {
    const total: TreeSummaryLite = { files: 0, bytes: 0, largestFile: 0, unreadable: [] };
    const devices: DeviceStatus[] = [];
    for (const name of (await host.readdir(place.host)).sort()) {
      const entry = path.join(place.host, name);
      const st = await host.lstat(entry);
      if (st === undefined) continue;
      if (st.kind !== 'directory') {
        if (st.kind === 'file' || st.kind === 'symlink') total.files++;
        if (st.kind === 'file') {
          total.bytes += st.size;
          total.largestFile = Math.max(total.largestFile, st.size);
        }
        continue;
      }
      let s: TreeSummary;
      try {
        s = await host.summarize(entry);
      } catch (e) {
        total.unreadable.push({ path: name, code: errnoCode(e) ?? 'EIO' });
        if (!name.startsWith('.')) devices.push(unreadableDevice(ctx, place, name, `the folder cannot be read (${errnoCode(e) ?? 'EIO'})`));
        continue;
      }
      const files = s.files + s.symlinks;
      total.files += files;
      total.bytes += s.bytes;
      total.largestFile = Math.max(total.largestFile, s.largestFile);
      total.unreadable.push(...s.unreadable.map((u) => ({ path: `${name}/${u.path}`, code: u.code })));
      if (name.startsWith('.')) continue;
      const { udid, archived } = parseDeviceFolderName(name);
      // The limit is the device's own when declared (by UDID or by name), else its owner's.
      const named = await readInfo(host, path.join(entry, 'Info.plist'), archived, now, Number.POSITIVE_INFINITY);
      const limitDays = deviceLimitDays(limits, { udid, ...(named.deviceName === undefined ? {} : { name: named.deviceName }) });
      const stale = !archived && named.ageDays !== undefined && named.ageDays > limitDays;
      const state = await readBackupState(host, entry);
      devices.push({ folder: name, path: devicePath(ctx, place, name), udid, archived, files, bytes: s.bytes, ...named, stale, limitDays, ...state });
    }
    // The devices in use first, their archived copies after them.
    devices.sort((a, b) => Number(a.archived) - Number(b.archived));
    return { summary: total, devices };
  };
}

async function readInfo(host: HostReads, file: string, archived: boolean, now: Date, staleAfterDays: number): Promise<ReturnType<typeof deviceFromInfo>> {
  let text: string;
  try {
    const st = await host.lstat(file);
    if (st === undefined) return { problem: 'no Info.plist: an incomplete or damaged backup', stale: false };
    if (st.kind !== 'file') return { problem: 'Info.plist is not a file', stale: false };
    if (st.size > INFO_PLIST_LIMIT) return { problem: `Info.plist is too large to be a backup's (${st.size} bytes)`, stale: false };
    text = (await host.readFile(file)).toString('utf8');
  } catch (e) {
    return { problem: `Info.plist cannot be read (${errnoCode(e) ?? 'EIO'})`, stale: false };
  }
  try {
    return deviceFromInfo(await parsePlistXml(text), archived, now, staleAfterDays);
  } catch (e) {
    // The XML parser's reports can run over many lines; the first says what is wrong.
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
    return { problem: `Info.plist cannot be parsed: ${why.length > 200 ? `${why.slice(0, 200)}…` : why}`, stale: false };
  }
}

function unreadableDevice(ctx: MachineFacts, place: DualPath, name: string, problem: string): DeviceStatus {
  const { udid, archived } = parseDeviceFolderName(name);
  return { folder: name, path: devicePath(ctx, place, name), udid, archived, problem, stale: false, files: 0, bytes: 0 };
}

function devicePath(ctx: MachineFacts, place: DualPath, name: string): string {
  return ctx.paths.machine.join(place.machine, name);
}
