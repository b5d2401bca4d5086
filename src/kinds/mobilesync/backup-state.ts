import path from 'node:path';
import { parsePlistBytes, plistDict } from '../../macos/plist-bytes.js';
import type { HostReads } from '../../host/host.js';

/**
 * A device backup's two small state files, both binary property lists as Finder and iTunes
 * write them (docs/platform-facts.md, "iOS device backups"): Manifest.plist's `IsEncrypted`
 * says whether the backup is encrypted, Status.plist's `SnapshotState` is "finished" once a
 * backup has completed. Either may be missing or unreadable: that fact is then left unknown
 * rather than guessed, and Info.plist's reading says what else is wrong.
 */
export interface BackupState {
  encrypted?: boolean;
  lastBackupFinished?: boolean;
}

/** Far above either file's size (a few KB; Manifest.plist holds a keybag when encrypted). */
const STATE_PLIST_LIMIT = 16 * 1024 * 1024;

export async function readBackupState(host: HostReads, deviceFolder: string): Promise<BackupState> {
  const out: BackupState = {};
  const manifest = await readDict(host, path.join(deviceFolder, 'Manifest.plist'));
  const encrypted = manifest?.['IsEncrypted'];
  if (typeof encrypted === 'boolean') out.encrypted = encrypted;
  const status = await readDict(host, path.join(deviceFolder, 'Status.plist'));
  const state = status?.['SnapshotState'];
  if (typeof state === 'string') out.lastBackupFinished = state === 'finished';
  return out;
}

async function readDict(host: HostReads, file: string): Promise<ReturnType<typeof plistDict>> {
  try {
    const st = await host.lstat(file);
    if (st?.kind !== 'file' || st.size > STATE_PLIST_LIMIT) return undefined;
    return plistDict(await parsePlistBytes(await host.readFile(file)));
  } catch {
    // Unreadable or malformed: unknown, as documented above; never the end of status.
    return undefined;
  }
}
