import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession } from '../../src/app/session.js';
import { checkFullDiskAccess } from '../../src/doctor/check-full-disk-access.js';
import { createHost } from '../../src/host/create-host.js';
import type { HostReads } from '../../src/host/host.js';

const DECLARATION = `version: 1
drives:
  archive: { volume: Archive }
users:
  alex: { mobilesync: { drive: archive, path: MobileSync/alex } }
machines:
  imac: { hostname: iMac, users: [alex] }
`;

/**
 * The Full Disk Access check on real folders. macOS refuses a terminal without Full Disk
 * Access with EPERM, which Linux cannot be made to give for a folder; a host that answers
 * EPERM for one path (and reads everything else for real) stands in for that refusal.
 */
describe('the Full Disk Access check', () => {
  let root: string;
  let home: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-fda-'));
    home = path.join(root, 'Users', 'alex');
    await fs.mkdir(home, { recursive: true });
    await fs.writeFile(path.join(root, 'backups.yaml'), DECLARATION);
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  async function run(reads: HostReads) {
    const ctx = await openSession({ config: path.join(root, 'backups.yaml'), root, machine: 'imac', user: 'alex' }, reads);
    return checkFullDiskAccess(ctx, reads);
  }

  function refusing(inner: HostReads, folder: string, code: string): HostReads {
    return new Proxy(inner, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== 'readdir' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
        return async (p: string) => {
          if (p === folder) throw Object.assign(new Error(`${code}: operation not permitted, scandir '${p}'`), { code });
          return (value as (p: string) => Promise<string[]>).call(target, p);
        };
      },
    });
  }

  it('EPERM on the MobileSync folder: the terminal lacks Full Disk Access', async () => {
    const mobilesync = path.join(home, 'Library', 'Application Support', 'MobileSync');
    await fs.mkdir(mobilesync, { recursive: true });
    const c = await run(refusing(createHost('read-only'), mobilesync, 'EPERM'));
    expect(c?.status).toBe('problem');
    expect(c?.code).toBe('FULL_DISK_ACCESS');
    expect(c?.found).toContain('/Users/alex/Library/Application Support/MobileSync (EPERM)');
    expect(c?.fix).toContain('Privacy & Security > Full Disk Access');
  });

  it('the folders listed: ok; none of them there: a warning that it cannot tell', async () => {
    expect((await run(createHost('read-only')))?.status).toBe('warning');
    await fs.mkdir(path.join(home, 'Library', 'Safari'), { recursive: true });
    const c = await run(createHost('read-only'));
    expect(c?.status).toBe('ok');
    expect(c?.found).toContain('~/Library/Safari');
  });
});
