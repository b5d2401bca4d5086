import fs from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { CliResult } from '../helpers/sandbox.js';

/** The declaration the end-to-end tests use: two people on an iMac, one on a Windows PC. */
export const HOUSEHOLD = `# yaml-language-server: $schema=../schemas/backups.schema.json
version: 1
drives:
  archive:
    volume: Archive 2TB
  old:
    volume: Old
users:
  alex:
    mobilesync: { drive: archive, path: MobileSync/alex }
  sam:
    mobilesync: { drive: archive, path: MobileSync/sam }
machines:
  imac:
    hostname: iMac
    platform: macos
    users: [alex, sam]
  pc:
    hostname: [FAMILY-PC]
    platform: windows
    users: { sam: {} }
    drives: { archive: 'E:' }
`;

/** A MacBook Air backing up with Time Machine to a share of a Linux NAS. */
export const TIME_MACHINE_ON_NAS = `version: 1
drives:
  nas-disk: { mount: /srv/backup }
users:
  alex: {}
machines:
  air:
    hostname: MacBook Air
    timemachine: { destinations: [{ share: nas/Backups }] }
  nas:
    hostname: nas
    platform: linux
    shares: [{ name: Backups, drive: nas-disk, path: tm, timemachine: {}, users: [alex] }]
`;

export async function writeHousehold(root: string, text = HOUSEHOLD): Promise<string> {
  const file = path.join(root, 'backups.yaml');
  await fs.writeFile(file, text);
  return file;
}

/**
 * The seed question, "could we just use a Time Capsule for both Macs?": two Macs back up to one
 * share of a server provision does not manage, each with a quota, the share's size declared.
 * `address` is the server's second name (the e2e test's smbd answers on 127.0.0.1).
 */
export function timeCapsuleHousehold(address: string): string {
  return `version: 1
users: { alex: {}, sam: {} }
machines:
  imac:
    hostname: iMac
    users: [alex]
    timemachine: { destinations: [{ share: capsule/Data, quota: 1500GB }] }
  air:
    hostname: MacBook Air
    users: [sam]
    timemachine: { destinations: [{ share: capsule/Data, quota: 1TB }] }
servers:
  capsule:
    hostname: [Time Capsule, ${address}]
    shares: [{ name: Data, users: [alex, sam], size: 2TB }]
`;
}

export function macBackupFolder(root: string, user: string): string {
  return path.join(root, 'Users', user, 'Library', 'Application Support', 'MobileSync', 'Backup');
}

export async function makeHome(root: string, user: string): Promise<string> {
  const home = path.join(root, 'Users', user);
  await fs.mkdir(path.join(home, 'Library', 'Application Support'), { recursive: true });
  return home;
}

/** A second plan after apply: nothing left to do, and --detailed-exitcode says so with 0. */
export async function expectNothingPlanned(run: (cmd: string, ...args: string[]) => Promise<CliResult>, ...args: string[]): Promise<void> {
  const again = await run('plan', '--detailed-exitcode', ...args);
  expect(again.stdout).toContain('No changes. Everything is as declared.');
  expect(again.exitCode).toBe(0);
}
