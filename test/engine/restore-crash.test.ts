import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RealHost } from '../../src/host/real-host.js';
import { dyingHost } from '../helpers/dying-host.js';
import { stepContext } from './step-context.js';
import type { Host } from '../../src/host/host.js';
import { readJournals, type RestoreStep } from '../../src/engine/journal/journal.js';
import { runRestore } from '../../src/engine/apply/run-restore.js';
import type { StepContext } from '../../src/engine/apply/step-context.js';
import { isProvisionError } from '../../src/errors.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';


/**
 * A real host that "dies" at its n-th write: that write and every later one fail. A copy that
 * dies is torn: it really happens, then loses part of what it wrote, as a crash mid-copy would.
 */
/** A copy that got half way when the process died: one device folder missing from it. */
async function tornCopy(method: string, args: unknown[], run: () => Promise<unknown>): Promise<void> {
  if (method !== 'copyTree') return;
  await run();
  await fs.rm(path.join(String(args[1]), udid(2)), { recursive: true });
}

describe('restore survives a crash at every write', () => {
  let dir: string;
  let link: string;
  let drive: string;
  let source: string;
  let journalDir: string;
  let want: Record<string, string>;
  let step: RestoreStep;

  async function setUp(): Promise<void> {
    await fs.rm(dir, { recursive: true, force: true });
    await makeDeviceBackup(path.join(source, udid(1)), 1, 8);
    await makeDeviceBackup(path.join(source, udid(2)), 2, 8);
    await fs.symlink('Info.plist', path.join(source, udid(1), 'a-link'));
    await fs.chmod(source, 0o700);
    await fs.mkdir(path.join(drive, 'MobileSync', 'sam'), { recursive: true });
    await fs.mkdir(path.dirname(link), { recursive: true });
    await fs.symlink(source, link);
    want = await snapshotTree(source);
  }

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-restore-crash-'));
    link = path.join(dir, 'home', 'MobileSync', 'Backup');
    drive = path.join(dir, 'drive');
    source = path.join(drive, 'MobileSync', 'alex');
    journalDir = path.join(dir, 'state');
    await setUp();
    step = {
      op: 'restore',
      id: 'alex_mobilesync.restore.0',
      link,
      linkTarget: source,
      source,
      entries: [udid(1), udid(2)].sort(),
      mode: 0o755,
      volume: { files: 0, bytes: 0 },
    };
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const ctxFor = (host: Host, pending?: StepContext['pending']): StepContext => stepContext(host, journalDir, pending);

  async function expectDone(): Promise<void> {
    const st = await fs.lstat(link);
    expect(st.isDirectory()).toBe(true);
    expect(st.mode & 0o777).toBe(0o755);
    expect(await snapshotTree(link)).toEqual(want);
    expect(await fs.readdir(path.join(drive, 'MobileSync'))).toEqual(['sam']);
    expect(await fs.readdir(path.dirname(link))).toEqual(['Backup']);
    expect((await readJournals(new RealHost(), [journalDir])).entries).toEqual([]);
  }

  /** Whatever the crash, one complete copy of the data is in place: at the drive, or at the link's place. */
  async function expectDataSafe(): Promise<void> {
    const atLink = (await fs.lstat(link).catch(() => undefined))?.isDirectory() ? await snapshotTree(link) : undefined;
    const onDrive = (await fs.lstat(source).catch(() => undefined)) ? await snapshotTree(source) : undefined;
    expect(atLink?.[`${udid(1)}/Info.plist`] !== undefined ? atLink : onDrive).toEqual(want);
  }

  it('runs through without a crash', async () => {
    await runRestore(ctxFor(new RealHost()), step);
    await expectDone();
  });

  it('a link to an empty or missing folder becomes an empty folder', async () => {
    for (const made of [true, false]) {
      await fs.rm(dir, { recursive: true, force: true });
      await fs.mkdir(path.dirname(link), { recursive: true });
      await fs.mkdir(path.join(drive, 'MobileSync', 'sam'), { recursive: true });
      if (made) await fs.mkdir(source);
      await fs.symlink(source, link);
      await runRestore(ctxFor(new RealHost()), { ...step, entries: [] });
      want = {};
      await expectDone();
    }
  });

  it('recovers from a crash at each write, by resuming from the journal or starting again', async () => {
    const counter = dyingHost(new RealHost(), Number.MAX_SAFE_INTEGER);
    await runRestore(ctxFor(counter.host), step);
    const total = counter.writes();
    expect(total).toBeGreaterThan(8);

    for (let dieAt = 1; dieAt <= total; dieAt++) {
      await setUp();
      const dying = dyingHost(new RealHost(), dieAt, tornCopy);
      await expect(runRestore(ctxFor(dying.host), step)).rejects.toThrow();
      await expectDataSafe();
      const real = new RealHost();
      const { entries } = await readJournals(real, [journalDir]);
      if (entries.length > 0) {
        expect(entries).toHaveLength(1);
        await runRestore(ctxFor(real, new Map(entries.map((e) => [e.id, e]))), step);
      } else {
        // Died before the first journal record, or a failed copy was cleaned up: nothing changed.
        expect(await fs.readlink(link)).toBe(source);
        expect(await snapshotTree(source)).toEqual(want);
        await runRestore(ctxFor(real), step);
      }
      await expectDone();
    }
  });

  it('a drive folder that changed since the plan stops it before anything is touched', async () => {
    await makeDeviceBackup(path.join(source, udid(3)), 3, 2);
    const before = await snapshotTree(source);
    const err = await runRestore(ctxFor(new RealHost()), step).catch((e: unknown) => e);
    expect(isProvisionError(err) && err.code).toBe('PLAN_STALE');
    expect(await fs.readlink(link)).toBe(source);
    expect(await snapshotTree(source)).toEqual(before);
    expect(await fs.readdir(path.dirname(link))).toEqual(['Backup']);
    expect((await readJournals(new RealHost(), [journalDir])).entries).toEqual([]);
  });

  it('a link re-pointed since the plan stops it', async () => {
    await fs.unlink(link);
    await fs.symlink('/elsewhere', link);
    const err = await runRestore(ctxFor(new RealHost()), step).catch((e: unknown) => e);
    expect(isProvisionError(err) && err.code).toBe('PLAN_STALE');
    expect(await snapshotTree(source)).toEqual(want);
  });
});
