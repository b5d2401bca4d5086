import fs from 'node:fs/promises';
import path from 'node:path';
import { pyDate, writePythonPlist, type PyPlistValue } from './python-plist.js';

/**
 * /Library/Preferences/com.apple.TimeMachine.plist under a sandbox root, written as macOS
 * writes it: a binary plist (by Python's plistlib), `Destinations` an array of dicts with
 * `DestinationID` and, once backups have finished, `SnapshotDates` (docs/platform-facts.md).
 */
export async function writeTimeMachinePrefs(root: string, destinations: { id: string; snapshotDates?: Date[] }[]): Promise<string> {
  const file = path.join(root, 'Library', 'Preferences', 'com.apple.TimeMachine.plist');
  await fs.mkdir(path.dirname(file), { recursive: true });
  const value: PyPlistValue = {
    AutoBackup: true,
    Destinations: destinations.map((d) => ({
      DestinationID: d.id,
      ...(d.snapshotDates === undefined ? {} : { SnapshotDates: d.snapshotDates.map(pyDate) }),
      BytesUsed: 123456789,
      BytesAvailable: 987654321,
    })),
  };
  await writePythonPlist(file, value);
  return file;
}
