import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHost } from '../../../src/host/create-host.js';
import { readBackupState } from '../../../src/kinds/mobilesync/backup-state.js';
import { deviceLimitDays } from '../../../src/desired/watch-limits.js';
import { writePythonPlist } from '../../helpers/python-plist.js';

describe("a device backup's Manifest.plist and Status.plist", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backup-state-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  const host = createHost('read-only');

  it('reads IsEncrypted and SnapshotState from binary plists written by plistlib', async () => {
    await writePythonPlist(path.join(dir, 'Manifest.plist'), { IsEncrypted: true, Version: '10.0' });
    await writePythonPlist(path.join(dir, 'Status.plist'), { SnapshotState: 'finished', BackupState: 'new', IsFullBackup: false });
    expect(await readBackupState(host, dir)).toEqual({ encrypted: true, lastBackupFinished: true });
    await writePythonPlist(path.join(dir, 'Manifest.plist'), { IsEncrypted: false });
    await writePythonPlist(path.join(dir, 'Status.plist'), { SnapshotState: 'uploading' });
    expect(await readBackupState(host, dir)).toEqual({ encrypted: false, lastBackupFinished: false });
  });

  it('leaves unknown what is missing, damaged or of the wrong type', async () => {
    expect(await readBackupState(host, dir)).toEqual({});
    await fs.writeFile(path.join(dir, 'Manifest.plist'), Buffer.from(`bplist00${'x'.repeat(50)}`));
    await writePythonPlist(path.join(dir, 'Status.plist'), { SnapshotState: 3 });
    expect(await readBackupState(host, dir)).toEqual({});
  });
});

describe('deviceLimitDays', () => {
  const limits = { deviceBackupDays: 30, devices: new Map([["Alex's iPad", 90], ['00008101-AAAA', 7]]) };
  it('prefers the UDID, then the name, then the person', () => {
    expect(deviceLimitDays(limits, { udid: '00008101-AAAA', name: "Alex's iPad" })).toBe(7);
    expect(deviceLimitDays(limits, { udid: 'other', name: "Alex's iPad" })).toBe(90);
    expect(deviceLimitDays(limits, { udid: 'other' })).toBe(30);
  });
});
