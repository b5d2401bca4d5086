import { errnoCode } from '../../errors.js';
import type { HostReads } from '../../host/host.js';
import { parsePlistBytes, plistDict } from '../../macos/plist-bytes.js';

/**
 * Where macOS records Time Machine's settings and, per destination, the dates of its finished
 * backups: /Library/Preferences/com.apple.TimeMachine.plist, a binary property list whose
 * `Destinations` array holds dicts with `DestinationID` (the ID tmutil destinationinfo prints)
 * and `SnapshotDates` (docs/platform-facts.md: osquery's time_machine_backups table and plaso's
 * TimeMachine plugin read the same keys). That recent macOS still writes SnapshotDates is the
 * named assumption TM_SNAPSHOT_DATES_RECORDED; without the key the last backup is "unknown".
 */
export const TIME_MACHINE_PREFERENCES = '/Library/Preferences/com.apple.TimeMachine.plist';

export type LastBackups =
  | { kind: 'read'; byId: ReadonlyMap<string, Date | undefined> }
  | { kind: 'missing' }
  | { kind: 'not-permitted'; code: string }
  | { kind: 'unreadable'; why: string };

/** The newest snapshot date per destination ID (undefined: the destination has none recorded). */
export async function readLastBackups(host: HostReads, hostPath: string): Promise<LastBackups> {
  let bytes: Buffer;
  try {
    bytes = await host.readFile(hostPath);
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    // Since macOS 10.14 the file is readable only with Full Disk Access.
    if (code === 'EPERM' || code === 'EACCES') return { kind: 'not-permitted', code };
    return { kind: 'unreadable', why: code ?? String(e) };
  }
  let top: ReturnType<typeof plistDict>;
  try {
    top = plistDict(await parsePlistBytes(bytes));
  } catch (e) {
    return { kind: 'unreadable', why: e instanceof Error ? e.message : String(e) };
  }
  const byId = new Map<string, Date | undefined>();
  const list = top?.['Destinations'];
  for (const entry of Array.isArray(list) ? list : []) {
    const d = plistDict(entry);
    const id = d?.['DestinationID'];
    if (typeof id !== 'string') continue;
    const dates = d?.['SnapshotDates'];
    let newest: Date | undefined;
    for (const v of Array.isArray(dates) ? dates : []) {
      if (v instanceof Date && !Number.isNaN(v.getTime()) && (newest === undefined || v > newest)) newest = v;
    }
    byId.set(id.toUpperCase(), newest);
  }
  return { kind: 'read', byId };
}
