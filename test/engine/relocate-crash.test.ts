import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RealHost } from '../../src/host/real-host.js';
import { dyingHost } from '../helpers/dying-host.js';
import { stepContext } from './step-context.js';
import type { Host } from '../../src/host/host.js';
import { readJournals, type RelocateStep } from '../../src/engine/journal/journal.js';
import { runRelocate } from '../../src/engine/apply/run-relocate.js';
import type { StepContext } from '../../src/engine/apply/step-context.js';
import { makeDeviceBackup, snapshotTree, udid } from '../helpers/fixtures.js';


describe('relocate survives a crash at every write', () => {
  let dir: string;
  let src: string;
  let dest: string;
  let journalDir: string;
  let want: Record<string, string>;
  let step: RelocateStep;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-crash-'));
    src = path.join(dir, 'home', 'Backup');
    dest = path.join(dir, 'drive', 'MobileSync', 'alex');
    journalDir = path.join(dir, 'state');
    await makeDeviceBackup(path.join(src, udid(1)), 1, 8);
    await makeDeviceBackup(path.join(src, udid(2)), 2, 8);
    await fs.mkdir(dest, { recursive: true });
    await fs.mkdir(path.join(dest, udid(9)));
    want = await snapshotTree(src);
    step = {
      op: 'relocate',
      id: 'alex_mobilesync.0',
      source: src,
      dest,
      entries: [udid(1), udid(2)],
      discard: [],
      link: { path: src, target: '/Volumes/Archive/MobileSync/alex', type: 'symlink' },
      volume: { files: 0, bytes: 0 },
    };
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const ctxFor = (host: Host, pending?: StepContext['pending']): StepContext => stepContext(host, journalDir, pending);

  async function expectDone(): Promise<void> {
    expect(await fs.readlink(src)).toBe('/Volumes/Archive/MobileSync/alex');
    const onDrive = await snapshotTree(dest);
    for (const [p, v] of Object.entries(want)) expect(onDrive[p], p).toBe(v);
    expect((await fs.readdir(dest)).sort()).toEqual([udid(1), udid(2), udid(9)].sort());
    expect((await fs.readdir(path.dirname(src))).filter((n) => n.startsWith('.provision-'))).toEqual([]);
    expect((await readJournals(new RealHost(), [journalDir])).entries).toEqual([]);
  }

  it('runs through without a crash', async () => {
    await runRelocate(ctxFor(new RealHost()), step);
    await expectDone();
  });

  it('recovers from a crash at each write, by resuming from the journal or starting again', async () => {
    const counter = dyingHost(new RealHost(), Number.MAX_SAFE_INTEGER);
    await runRelocate(ctxFor(counter.host), step);
    const total = counter.writes();
    expect(total).toBeGreaterThan(8);
    await fs.rm(dir, { recursive: true, force: true });

    for (let dieAt = 1; dieAt <= total; dieAt++) {
      await fs.rm(dir, { recursive: true, force: true });
      await makeDeviceBackup(path.join(src, udid(1)), 1, 8);
      await makeDeviceBackup(path.join(src, udid(2)), 2, 8);
      await fs.mkdir(path.join(dest, udid(9)), { recursive: true });
      want = await snapshotTree(src);

      const dying = dyingHost(new RealHost(), dieAt);
      await expect(runRelocate(ctxFor(dying.host), step)).rejects.toThrow();
      // The original is never lost: it is in place, aside, or already verified on the drive.
      const real = new RealHost();
      const { entries } = await readJournals(real, [journalDir]);
      if (entries.length > 0) {
        expect(entries).toHaveLength(1);
        await runRelocate(ctxFor(real, new Map(entries.map((e) => [e.id, e]))), step);
      } else {
        // Died before the first journal record: nothing happened yet.
        expect(await snapshotTree(src)).toEqual(want);
        await runRelocate(ctxFor(real), step);
      }
      await expectDone();
    }
  });
});
