/**
 * The apply lock with real files and real processes: a live holder is a running `sleep` or a
 * child that took the lock; a dead holder is a child that has exited (and been reaped). The
 * race runs 8 separate Node processes on the compiled code (npm run build first).
 */

import { existsSync } from 'node:fs';
import { chmod, lstat, mkdir, readFile, readdir, rmdir, stat, symlink, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acquireApplyLock, lockPath, TORN_LOCK_GRACE_MS, STALE_TAKEOVER_MS } from '../../src/engine/lock/apply-lock.js';
import type { LockHolder } from '../../src/engine/lock/lock-holder.js';
import { isProcessAlive } from '../../src/engine/lock/process-alive.js';
import { isProvisionError } from '../../src/errors.js';
import { DryRunHost } from '../../src/host/dry-run-host.js';
import { ReadOnlyHost } from '../../src/host/read-only-host.js';
import { RealHost } from '../../src/host/real-host.js';
import { createPathMapper } from '../../src/machine/path-mapper.js';
import { readableProjectCopy } from '../host/fs/child-vitest.js';
import { isRoot, makeTempDir, removeTempDir } from '../host/fs/temp-dir.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CHILD = join(HERE, 'apply-lock-child.mjs');
const COMPILED = join(HERE, '..', '..', 'dist', 'engine', 'lock', 'apply-lock.js');
const host = new RealHost();
const info = { command: 'provision apply --yes', user: 'alex' };

let dir: string;
let lock: string;
const started: ResultPromise[] = [];

beforeEach(async () => {
  dir = await makeTempDir();
  await mkdir(join(dir, 'tmp'));
  await chmod(join(dir, 'tmp'), 0o1777);
  lock = join(dir, 'tmp', 'provision.lock');
});
afterEach(async () => {
  for (const p of started.splice(0)) {
    p.kill('SIGKILL');
    await p.catch(() => undefined);
  }
  await removeTempDir(dir);
});

/** A process that stays alive until the test ends. */
function liveProcess(): number {
  const p = execa('sleep', ['600'], { reject: false, stdin: 'ignore' });
  started.push(p);
  if (p.pid === undefined) throw new Error('sleep did not start');
  return p.pid;
}

/** The pid of a process that has exited and been reaped: nothing has that pid now. */
async function deadPid(): Promise<number> {
  const p = execa(process.execPath, ['-e', ''], { stdin: 'ignore' });
  await p;
  if (p.pid === undefined) throw new Error('node did not start');
  expect(isProcessAlive(p.pid)).toBe(false);
  return p.pid;
}

function record(pid: number, over: Partial<LockHolder> = {}): LockHolder {
  return { pid, host: hostname(), user: 'sam', command: 'provision apply', startedAt: '2025-01-02T03:04:05.000Z', root: null, ...over };
}

async function writeLock(file: string, holder: LockHolder, ageMs = 0): Promise<void> {
  await writeFile(file, `${JSON.stringify(holder)}\n`);
  if (ageMs > 0) await age(file, ageMs);
}

async function age(file: string, ageMs: number): Promise<void> {
  const t = (Date.now() - ageMs) / 1000;
  await utimes(file, t, t);
}

async function readHolder(file: string): Promise<LockHolder> {
  return JSON.parse(await readFile(file, 'utf8')) as LockHolder;
}

async function lockedError(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isProvisionError(error), String(error)).toBe(true);
  expect(error).toMatchObject({ code: 'LOCKED' });
  return error as Error;
}

/** What is left beside the lock: no takeover marker, no lock moved aside. */
async function leftovers(): Promise<string[]> {
  return (await readdir(dirname(lock))).filter((n) => n !== 'provision.lock');
}

function nextLine(stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('utf8');
      const end = buffer.indexOf('\n');
      if (end < 0) return;
      stream.off('data', onData);
      stream.off('end', onEnd);
      resolve(buffer.slice(0, end));
    };
    const onEnd = (): void => reject(new Error(`the child ended without a line: ${buffer}`));
    stream.on('data', onData);
    stream.once('end', onEnd);
  });
}

interface ChildOutcome {
  pid: number;
  outcome: string;
  message?: string;
  start?: number;
  end?: number;
}

/** Runs the child script once (mode try or exit) and returns what it printed. */
const runChild = (mode: 'try' | 'exit', file: string, prefix: string[] = []): Promise<ChildOutcome> => runChildAt(mode, file, prefix);

async function runChildAt(mode: 'try' | 'exit', file: string, prefix: string[] = [], child = CHILD): Promise<ChildOutcome> {
  const [command, ...args] = [...prefix, process.execPath, child, mode, file];
  const result = await execa(command ?? process.execPath, args, { reject: false, stdin: 'ignore' });
  expect(result.exitCode, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as ChildOutcome;
}

describe('lockPath', () => {
  it('is /tmp/provision.lock on macOS and Linux, ProgramData on Windows, under --root when mapped', () => {
    expect(lockPath('macos', createPathMapper('macos', undefined).toHost)).toBe('/tmp/provision.lock');
    expect(lockPath('linux', createPathMapper('linux', '/sandbox').toHost)).toBe('/sandbox/tmp/provision.lock');
    expect(lockPath('windows', createPathMapper('windows', '/sandbox').toHost)).toBe('/sandbox/C/ProgramData/provision/provision.lock');
    expect(lockPath('windows', createPathMapper('windows', undefined).toHost)).toBe('C:\\ProgramData\\provision\\provision.lock');
  });
});

describe('acquireApplyLock', () => {
  beforeEach(() => {
    if (!existsSync(COMPILED)) throw new Error(`${COMPILED} is missing: run npm run build first`);
  });

  it('writes who holds it, and release removes it; a second release does nothing', async () => {
    const held = await acquireApplyLock(host, lock, { ...info, root: '/sandbox' });
    const holder = await readHolder(lock);
    expect(holder).toEqual({ pid: process.pid, host: hostname(), user: 'alex', command: 'provision apply --yes', startedAt: held.holder.startedAt, root: '/sandbox', acquisition: held.holder.acquisition });
    expect(held.holder.acquisition).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(holder.startedAt))).toBe(false);
    expect(held.path).toBe(lock);
    await held.release();
    expect(existsSync(lock)).toBe(false);
    await held.release();
    const again = await acquireApplyLock(host, lock, info);
    expect((await readHolder(lock)).startedAt).toBe(again.holder.startedAt);
    await again.release();
    expect(await leftovers()).toEqual([]);
  });

  it('creates a missing lock folder like /tmp (1777), and ProgramData\\provision under a Windows root', async () => {
    const root = join(dir, 'root');
    await mkdir(root);
    const posix = lockPath('macos', createPathMapper('macos', root).toHost);
    const a = await acquireApplyLock(host, posix, info);
    expect((await stat(join(root, 'tmp'))).mode & 0o7777).toBe(0o1777);
    await a.release();
    const windows = lockPath('windows', createPathMapper('windows', root).toHost);
    const b = await acquireApplyLock(host, windows, info);
    expect(existsSync(windows)).toBe(true);
    expect((await stat(join(root, 'C', 'ProgramData'))).mode & 0o7777).toBe(0o755);
    expect((await stat(join(root, 'C', 'ProgramData', 'provision'))).mode & 0o7777).toBe(0o1777);
    await b.release();
    expect(existsSync(windows)).toBe(false);
  });

  it('refuses with LOCKED naming the pid while a live process holds it, and leaves its lock alone', async () => {
    const pid = liveProcess();
    await writeLock(lock, record(pid), 3_600_000);
    const before = await readFile(lock, 'utf8');
    const error = await lockedError(acquireApplyLock(host, lock, info));
    expect(error.message).toContain(String(pid));
    expect((error as { hint?: string }).hint).toContain(lock);
    expect(await readFile(lock, 'utf8')).toBe(before);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a second acquire in the same process (not reentrant)', async () => {
    const held = await acquireApplyLock(host, lock, info);
    const error = await lockedError(acquireApplyLock(host, lock, info));
    expect(error.message).toContain(String(process.pid));
    await held.release();
  });

  it('refuses a second acquire in the same process within the same millisecond', async () => {
    // Same pid, host and startedAt: only the acquisition number tells the two records apart.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2026-12-04T12:00:00.000Z'));
      const held = await acquireApplyLock(host, lock, info);
      const error = await lockedError(acquireApplyLock(host, lock, info));
      expect(error.message).toContain(String(process.pid));
      await held.release();
      expect(existsSync(lock)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes over a lock whose process is gone, leaving no marker or aside file', async () => {
    const pid = await deadPid();
    await writeLock(lock, record(pid));
    const held = await acquireApplyLock(host, lock, info);
    expect(await readHolder(lock)).toMatchObject({ pid: process.pid, startedAt: held.holder.startedAt });
    expect(await leftovers()).toEqual([]);
    await held.release();
    expect(existsSync(lock)).toBe(false);
  });

  it(`treats an empty or non-JSON lock as held while younger than ${TORN_LOCK_GRACE_MS / 1000} s, and takes it over after`, async () => {
    for (const torn of ['', '{"pid": 12', 'not json at all']) {
      await writeFile(lock, torn);
      await lockedError(acquireApplyLock(host, lock, info));
      expect(await readFile(lock, 'utf8')).toBe(torn);
      await age(lock, TORN_LOCK_GRACE_MS + 5_000);
      const held = await acquireApplyLock(host, lock, info);
      expect((await readHolder(lock)).pid).toBe(process.pid);
      await held.release();
      expect(await leftovers()).toEqual([]);
    }
  });

  it('refuses a lock written on another computer, even one whose pid is not running here', async () => {
    const pid = await deadPid();
    await writeLock(lock, record(pid, { host: 'other-mac.local' }), 3_600_000);
    const before = await readFile(lock, 'utf8');
    const error = await lockedError(acquireApplyLock(host, lock, info));
    expect(error.message).toContain('other-mac.local');
    expect(error.message).toContain(String(pid));
    expect(await readFile(lock, 'utf8')).toBe(before);
  });

  it("release leaves someone else's lock alone (same pid, another start), and a removed one is fine", async () => {
    const held = await acquireApplyLock(host, lock, info);
    const theirs = record(process.pid, { startedAt: '2030-01-01T00:00:00.000Z' });
    await unlink(lock);
    await writeLock(lock, theirs);
    await held.release();
    expect(await readHolder(lock)).toEqual(theirs);
    await unlink(lock);
    const again = await acquireApplyLock(host, lock, info);
    await unlink(lock);
    await expect(again.release()).resolves.toBeUndefined();
  });

  it('refuses something that is not a file at the lock path (IO)', async () => {
    await mkdir(lock);
    await expect(acquireApplyLock(host, lock, info)).rejects.toMatchObject({ code: 'IO' });
    await rmdir(lock);
    await symlink('/etc/hostname', lock);
    await expect(acquireApplyLock(host, lock, info)).rejects.toMatchObject({ code: 'IO' });
    expect((await lstat(lock)).isSymbolicLink()).toBe(true);
  });
});

describe('takeover marker', () => {
  it('removes a marker whose process is gone, and one older than 60 s even if its pid runs', async () => {
    const marker = `${lock}.takeover`;
    await writeLock(lock, record(await deadPid()));
    await writeLock(marker, record(await deadPid()));
    const a = await acquireApplyLock(host, lock, info);
    expect(await leftovers()).toEqual([]);
    await a.release();

    await writeLock(lock, record(await deadPid()));
    await writeLock(marker, record(liveProcess()), STALE_TAKEOVER_MS + 5_000);
    const b = await acquireApplyLock(host, lock, info);
    expect(await leftovers()).toEqual([]);
    await b.release();
  });

  it('waits while a live process is taking over, then goes on', async () => {
    const marker = `${lock}.takeover`;
    await writeLock(lock, record(await deadPid()));
    await writeLock(marker, record(liveProcess()));
    const removedAt = new Promise<number>((resolve) => {
      setTimeout(() => {
        void unlink(marker).then(() => resolve(Date.now()));
      }, 300);
    });
    const held = await acquireApplyLock(host, lock, info);
    const gotAt = Date.now();
    expect(gotAt).toBeGreaterThanOrEqual(await removedAt);
    expect((await readHolder(lock)).pid).toBe(process.pid);
    await held.release();
  });

  it('gives up with LOCKED when a live taker never finishes', async () => {
    const marker = `${lock}.takeover`;
    const dead = record(await deadPid());
    await writeLock(lock, dead);
    const taker = liveProcess();
    await writeLock(marker, record(taker));
    const error = await lockedError(acquireApplyLock(host, lock, info));
    expect(error.message).toContain(String(taker));
    expect(await readHolder(lock)).toEqual(dead);
    expect(existsSync(marker)).toBe(true);
  }, 20_000);
});

describe('with real processes', () => {
  it('a holder that exits without releasing removes its lock on the way out', async () => {
    const out = await runChild('exit', lock);
    expect(out.outcome).toBe('held');
    expect(existsSync(lock)).toBe(false);
  });

  it('a second process is refused while the first holds it; after the first is killed (-9) the lock is taken over', async () => {
    const holder = execa(process.execPath, [CHILD, 'hold', lock], { buffer: false, stdin: 'pipe', reject: false });
    started.push(holder);
    const first = JSON.parse(await nextLine(holder.stdout)) as ChildOutcome;
    expect(first.outcome).toBe('held');
    const second = await runChild('try', lock);
    expect(second.outcome).toBe('LOCKED');
    expect(second.message).toContain(String(first.pid));
    holder.kill('SIGKILL');
    await holder;
    expect((await readHolder(lock)).pid).toBe(first.pid);
    const third = await runChild('try', lock);
    expect(third.outcome).toBe('held');
    expect(existsSync(lock)).toBe(false);
    expect(await leftovers()).toEqual([]);
  });

  it('a holder that ends normally releases', async () => {
    const holder = execa(process.execPath, [CHILD, 'hold', lock], { buffer: false, stdin: 'pipe', reject: false });
    started.push(holder);
    expect((JSON.parse(await nextLine(holder.stdout)) as ChildOutcome).outcome).toBe('held');
    expect(existsSync(lock)).toBe(true);
    holder.stdin.end();
    expect((await holder).exitCode).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });

  it('8 processes taking over one stale lock at once: one holder at a time, the others LOCKED (10 rounds)', async () => {
    const results = join(dir, 'results');
    for (let round = 0; round < 10; round++) {
      await writeFile(results, '');
      await writeLock(lock, record(await deadPid()));
      const racers = Array.from({ length: 8 }, () =>
        execa(process.execPath, [CHILD, 'race', lock, results, '200'], { buffer: false, stdin: 'pipe', reject: false }),
      );
      started.push(...racers);
      // Every racer has loaded the code before any is told to go.
      await Promise.all(racers.map((r) => nextLine(r.stdout)));
      for (const r of racers) r.stdin.write('go\n');
      for (const r of racers) expect((await r).exitCode, `round ${round}`).toBe(0);

      const outcomes = (await readFile(results, 'utf8'))
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as ChildOutcome);
      expect(outcomes, `round ${round}`).toHaveLength(8);
      expect(new Set(outcomes.map((o) => o.pid)).size).toBe(8);
      for (const o of outcomes) expect(['held', 'LOCKED'], `round ${round}: ${JSON.stringify(o)}`).toContain(o.outcome);
      const holds = outcomes.filter((o) => o.outcome === 'held').sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
      expect(holds.length, `round ${round}`).toBeGreaterThanOrEqual(1);
      for (let i = 1; i < holds.length; i++) {
        expect(holds[i]?.start ?? 0, `round ${round}: overlapping holds`).toBeGreaterThanOrEqual(holds[i - 1]?.end ?? Infinity);
      }
      expect(existsSync(lock), `round ${round}`).toBe(false);
      expect(await leftovers(), `round ${round}`).toEqual([]);
    }
  }, 180_000);
});

describe('the Host seam', () => {
  it('RealHost.createExclusive creates once; an existing name, even a dangling link, gives false', async () => {
    const file = join(dir, 'x');
    expect(await host.createExclusive(file, 'one')).toBe(true);
    expect(await host.createExclusive(file, 'two')).toBe(false);
    expect(await readFile(file, 'utf8')).toBe('one');
    await symlink(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(await host.createExclusive(join(dir, 'dangling'), 'three')).toBe(false);
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    await expect(host.createExclusive(join(dir, 'no', 'x'), 'four')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a read-only host can never take the lock', async () => {
    const ro = new ReadOnlyHost(host);
    await expect(ro.createExclusive(join(dir, 'x'), 'data')).rejects.toMatchObject({ code: 'READ_ONLY_HOST' });
    await expect(acquireApplyLock(ro, lock, info)).rejects.toMatchObject({ code: 'READ_ONLY_HOST' });
    const root = join(dir, 'root');
    await mkdir(root);
    await expect(acquireApplyLock(ro, lockPath('linux', createPathMapper('linux', root).toHost), info)).rejects.toMatchObject({ code: 'READ_ONLY_HOST' });
    expect(await readdir(root)).toEqual([]);
    expect(await readdir(dirname(lock))).toEqual([]);
  });

  it('a dry-run host simulates the lock without touching the disk, and still sees a real holder', async () => {
    const dry = new DryRunHost(new ReadOnlyHost(host));
    expect(await dry.createExclusive(join(dir, 'x'), 'data')).toBe(true);
    expect(await dry.createExclusive(join(dir, 'x'), 'again')).toBe(false);
    expect((await dry.readFile(join(dir, 'x'))).toString()).toBe('data');
    const held = await acquireApplyLock(dry, lock, info);
    expect(JSON.parse((await dry.readFile(lock)).toString()) as LockHolder).toMatchObject({ pid: process.pid });
    await held.release();
    expect(await dry.lstat(lock)).toBeUndefined();
    expect(dry.journal.map((r) => r.op)).toEqual(['createExclusive', 'createExclusive', 'unlink']);
    expect(await readdir(dirname(lock))).toEqual([]);
    expect(existsSync(join(dir, 'x'))).toBe(false);

    const pid = liveProcess();
    await writeLock(lock, record(pid));
    const error = await lockedError(acquireApplyLock(new DryRunHost(new ReadOnlyHost(host)), lock, info));
    expect(error.message).toContain(String(pid));
  });
});

describe.skipIf(!isRoot)('across users (root holds, nobody tries)', () => {
  const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

  async function nobodyCanRun(): Promise<boolean> {
    const probe = await execa(NOBODY[0] ?? 'setpriv', [...NOBODY.slice(1), process.execPath, '-e', 'require("fs").accessSync(process.argv[1], 4)', COMPILED], {
      reject: false,
      stdin: 'ignore',
    });
    return probe.exitCode === 0;
  }
  // A checkout in a private folder (a clone under a 0700 temp dir) is out of nobody's reach:
  // the child then runs from a copy every user may read.
  let copy: Awaited<ReturnType<typeof readableProjectCopy>> | undefined;
  afterAll(async () => {
    await copy?.dispose();
  });

  it("sees a root process as alive (EPERM), may not take over a dead root's lock in a sticky /tmp, and a folder it may not write is PERMISSION", async () => {
    if (!(await nobodyCanRun())) copy = await readableProjectCopy();
    const child = copy === undefined ? CHILD : join(copy.root, 'test', 'engine', 'apply-lock-child.mjs');
    const runChild = (mode: 'try' | 'exit', file: string, prefix: string[]): Promise<ChildOutcome> => runChildAt(mode, file, prefix, child);
    await chmod(dir, 0o755);
    const live = liveProcess();
    await writeLock(lock, record(live));
    const a = await runChild('try', lock, NOBODY);
    expect(a.outcome).toBe('LOCKED');
    expect(a.message).toContain(String(live));

    const dead = record(await deadPid());
    await writeLock(lock, dead);
    const b = await runChild('try', lock, NOBODY);
    expect(b.outcome).toBe('LOCKED');
    expect(await readHolder(lock)).toEqual(dead);
    expect(await leftovers()).toEqual([]);

    // A lock folder nobody may write into is a permission problem, not a held lock.
    await chmod(dirname(lock), 0o755);
    const c = await runChild('try', lock, NOBODY);
    expect(c.outcome).toBe('PERMISSION');
    expect(await readHolder(lock)).toEqual(dead);
    await unlink(lock);
    expect((await runChild('try', lock, NOBODY)).outcome).toBe('PERMISSION');
  });
});
