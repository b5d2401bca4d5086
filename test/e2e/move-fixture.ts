import fs from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import type { Sandbox } from '../helpers/sandbox.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';
import { macBackupFolder } from './household.js';

export const TARGET_ALEX = '/Volumes/Archive 2TB/MobileSync/alex';
export const JOURNAL_FILE = 'var/db/provision/alex_mobilesync.0.json';

/**
 * Alex's MobileSync folder with two device backups, and links inside the data that must stay
 * links: one pointing out of the tree, one relative, one dangling. Returns its snapshot.
 */
export async function makeAlexBackups(sb: Sandbox, filesPerDevice = 150): Promise<Record<string, string>> {
  const src = macBackupFolder(sb.root, 'alex');
  await fs.rm(path.dirname(src), { recursive: true, force: true });
  await makeDeviceBackup(path.join(src, udid(1)), 1, filesPerDevice);
  await makeDeviceBackup(path.join(src, udid(2, false)), 2, filesPerDevice);
  await fs.symlink('/etc/hosts', path.join(src, udid(1), 'outside-link'));
  await fs.symlink('Info.plist', path.join(src, udid(1), 'relative-link'));
  await fs.symlink('/nowhere/at/all', path.join(src, udid(2, false), 'dangling-link'));
  return snapshotTree(src);
}

/** Every name below dir (relative), for spotting leftovers. */
async function allNames(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) out.push(path.join(e.parentPath, e.name));
  return out;
}

/** The move is complete: every original byte on the drive, the link in place, nothing left over. */
export async function expectMovedIntact(sb: Sandbox, drive: string, want: Record<string, string>): Promise<void> {
  const src = macBackupFolder(sb.root, 'alex');
  expect(await fs.readlink(src)).toBe(TARGET_ALEX);
  expect(await fs.readdir(path.dirname(src))).toEqual(['Backup']);
  expect(await snapshotTree(path.join(drive, 'MobileSync', 'alex'))).toEqual(want);
  // The drive holds the moved data and provision's marker, by which it knows the drive again.
  expect(await fs.readdir(drive)).toEqual(['.provision-drive.json', 'MobileSync']);
  expect(await fs.readdir(path.join(drive, 'MobileSync'))).toEqual(['alex']);
  expect((await allNames(drive)).filter((n) => n.includes('.provision-') && !n.endsWith('/.provision-drive.json'))).toEqual([]);
  const journal = path.join(sb.root, 'var', 'db', 'provision');
  expect((await fs.readdir(journal).catch(() => [] as string[])).filter((n) => n.endsWith('.json'))).toEqual([]);
}

/** The phase the journal records now, or undefined when there is no entry. */
export async function journalPhase(sb: Sandbox, id?: string): Promise<string | undefined> {
  const file = id === undefined ? JOURNAL_FILE : path.join(path.dirname(JOURNAL_FILE), `${id}.json`);
  try {
    return (JSON.parse(await fs.readFile(path.join(sb.root, file), 'utf8')) as { phase: string }).phase;
  } catch {
    return undefined;
  }
}
