import fs from 'node:fs/promises';
import path from 'node:path';
import { makeDeviceBackup } from './fixtures.js';
import { pyDate, writePythonPlist } from './python-plist.js';

const DAY = 24 * 60 * 60 * 1000;

export interface DeviceBackupState {
  seed: number;
  name: string;
  /** Days since the last backup (Info.plist's Last Backup Date, Status.plist's Date). */
  daysAgo: number;
  encrypted: boolean;
  /** Status.plist's SnapshotState: "finished", or an unfinished state. */
  finished: boolean;
}

/**
 * A device backup as Finder leaves it, with Manifest.plist and Status.plist written as binary
 * plists by Python's plistlib (a real writer), holding IsEncrypted and SnapshotState.
 */
export async function makeDeviceBackupWithState(dir: string, s: DeviceBackupState): Promise<void> {
  await makeDeviceBackup(dir, s.seed, 4, s.name);
  const when = new Date(Date.now() - s.daysAgo * DAY - 3600_000);
  const info = path.join(dir, 'Info.plist');
  const iso = when.toISOString().replace(/\.\d{3}Z$/, 'Z');
  await fs.writeFile(info, (await fs.readFile(info, 'utf8')).replace(/<date>[^<]*<\/date>/, `<date>${iso}</date>`));
  await writePythonPlist(path.join(dir, 'Manifest.plist'), { IsEncrypted: s.encrypted, Version: '10.0', Date: pyDate(when), WasPasscodeSet: true, Lockdown: { DeviceName: s.name, ProductVersion: '17.5' } });
  await writePythonPlist(path.join(dir, 'Status.plist'), {
    BackupState: 'new',
    Date: pyDate(when),
    IsFullBackup: false,
    SnapshotState: s.finished ? 'finished' : 'uploading',
    UUID: '7A3E52B8-0C1D-4E5F-9A6B-1C2D3E4F5A6B',
    Version: '3.3',
  });
}
