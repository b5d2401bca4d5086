import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RealHost } from '../../../src/host/real-host.js';
import { findOpenWriters, type OpenWritersResult } from '../../../src/machine/open-writers.js';
import { movedFolders, writerBlockers, writerWarnings } from '../../../src/kinds/linked-folder/writer-blockers.js';
import type { LinkedFolderDesired, LinkedFolderObserved, PathState } from '../../../src/kinds/linked-folder/types.js';
import { makeTempDir, removeTempDir } from '../../host/fs/temp-dir.js';
import { ALEX_MOBILESYNC } from './mobilesync-desired.js';

const desired: LinkedFolderDesired = ALEX_MOBILESYNC;
const source = desired.links[0]!.host;
const folderWithBackups: PathState = { kind: 'directory', entries: ['00008030-00125C2E0287C02E'], summary: { files: 10, bytes: 1000, largestFile: 100, unreadable: [] } };

function observed(link: PathState, writers?: OpenWritersResult): LinkedFolderObserved {
  return {
    homeExists: true,
    links: [{ path: desired.links[0]!, state: link, missingParents: [] }],
    drive: { kind: 'mounted', freeBytes: 10 ** 12, fsType: 'apfs' },
    target: { kind: 'directory', entries: [], leftovers: [], missing: [], writable: true },
    ...(writers === undefined ? {} : { writers }),
  };
}

const file = `${source}/00008030-00125C2E0287C02E/Manifest.db`;

describe('writerBlockers (pure)', () => {
  it('a folder to move that was not looked at yet: WRITERS_NOT_CHECKED (the draft plan, which refine then completes)', () => {
    expect(writerBlockers(desired, observed(folderWithBackups)).map((b) => b.code)).toEqual(['WRITERS_NOT_CHECKED']);
  });

  it('nothing to move (a link to the declared place): nothing to check and no blocker', () => {
    const linked: PathState = { kind: 'symlink', raw: desired.target.machine, resolved: desired.target, pointsAtTarget: true, at: { kind: 'absent' } };
    expect(movedFolders(desired, observed(linked))).toEqual([]);
    expect(writerBlockers(desired, observed(linked))).toEqual([]);
  });

  it('Finder backing up a device: SOURCE_IN_USE naming the app, the process and the file, with "wait for the backup"', () => {
    const writers: OpenWritersResult = { ok: true, writers: [{ pid: 812, command: 'AMPDevicesAgent', user: 'alex', path: file, mode: 'u' }], background: [] };
    const [b, ...rest] = writerBlockers(desired, observed(folderWithBackups, writers));
    expect(rest).toEqual([]);
    expect(b?.code).toBe('SOURCE_IN_USE');
    expect(b?.reason).toContain('Finder (its device service AMPDevicesAgent) is backing up a device');
    expect(b?.reason).toContain(`AMPDevicesAgent (pid 812, user alex) has ${file} open for writing`);
    expect(b?.fix).toMatch(/^wait for the backup to finish/);
  });

  it('any other writer: quit it; more than three files are counted, not listed', () => {
    const writers: OpenWritersResult = {
      ok: true,
      writers: [1, 2, 3, 4, 5].map((n) => ({ pid: 40, command: 'sqlite3', user: 'alex', path: `${source}/f${n}`, mode: 'w' as const })),
      background: [],
    };
    const [b] = writerBlockers(desired, observed(folderWithBackups, writers));
    expect(b?.reason).toContain('; and 2 more');
    expect(b?.fix).toMatch(/^quit sqlite3 /);
  });

  it('lsof missing or failing is a blocker with its fix', () => {
    const missing: OpenWritersResult = { ok: false, code: 'LSOF_MISSING', reason: 'lsof is not on PATH', fix: 'install lsof' };
    expect(writerBlockers(desired, observed(folderWithBackups, missing))).toEqual([{ code: 'LSOF_MISSING', reason: 'lsof is not on PATH', fix: 'install lsof' }]);
  });

  it('not root: other users cannot be seen, a warning with the way to check them all; as root, processes even root cannot see are a warning', () => {
    const notRoot: OpenWritersResult = { ok: true, writers: [], background: [], unseen: { processes: [], asRoot: false } };
    expect(writerBlockers(desired, observed(folderWithBackups, notRoot))).toEqual([]);
    const [w] = writerWarnings(desired, observed(folderWithBackups, notRoot));
    expect(w?.code).toBe('WRITERS_UNSEEN');
    expect(w?.message).toContain('sudo provision apply --user alex');
    const root: OpenWritersResult = { ok: true, writers: [], background: [], unseen: { processes: [{ pid: 1, command: 'init', user: 'root' }], asRoot: true } };
    expect(writerBlockers(desired, observed(folderWithBackups, root))).toEqual([]);
    expect(writerWarnings(desired, observed(folderWithBackups, root)).map((w) => w.code)).toEqual(['WRITERS_PARTLY_UNSEEN']);
  });

  it('a named background daemon is a warning, not a blocker', () => {
    const bg: OpenWritersResult = { ok: true, writers: [], background: [{ pid: 77, command: 'photolibraryd', user: 'alex', path: file, mode: 'u' }] };
    expect(writerBlockers(desired, observed(folderWithBackups, bg))).toEqual([]);
    expect(writerWarnings(desired, observed(folderWithBackups, bg)).map((w) => w.code)).toEqual(['BACKGROUND_WRITER']);
  });
});

describe('writerBlockers with a real writer', () => {
  let dir: string | undefined;
  let pid: number | undefined;
  afterEach(async () => {
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
    pid = undefined;
    if (dir !== undefined) await removeTempDir(dir);
  });

  it('a shell appending to a backup file blocks the move, naming the file and the shell', async () => {
    dir = await makeTempDir();
    const backup = join(dir, 'Backup');
    await mkdir(join(backup, 'device1'), { recursive: true });
    const held = join(backup, 'device1', 'Status.plist');
    await writeFile(held, 'x');
    const child = spawn('bash', ['-c', 'exec 3>>"$1"; echo ready; read -r _', 'holder', held], { stdio: 'pipe' });
    pid = child.pid;
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const d: LinkedFolderDesired = { ...desired, links: [{ machine: desired.links[0]!.machine, host: backup }] };
    const o: LinkedFolderObserved = { ...observed(folderWithBackups), links: [{ path: d.links[0]!, state: folderWithBackups, missingParents: [] }] };
    expect(movedFolders(d, o)).toEqual([backup]);
    const writers = await findOpenWriters(new RealHost(), movedFolders(d, o), { asRoot: true });
    const blockers = writerBlockers(d, { ...o, writers });
    expect(blockers.map((b) => b.code)).toEqual(['SOURCE_IN_USE']);
    expect(blockers[0]?.reason).toContain(`bash (pid ${child.pid}`);
    expect(blockers[0]?.reason).toContain(`has ${held} open for writing`);
  });
});
