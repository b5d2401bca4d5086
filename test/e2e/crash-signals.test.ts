import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { rng, snapshotTree } from '../helpers/fixtures.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';
import { expectMovedIntact, journalPhase, makeAlexBackups } from './move-fixture.js';

/**
 * Kills a real `provision apply` at seeded random moments of a real relocation, in every phase,
 * then runs apply again until it succeeds, and checks that nothing was lost. Each trial aims at
 * one phase: it watches the journal until the move reaches that phase, then waits a random
 * extra time before the signal. The test hook PROVISION_TEST_HOOKS makes each write wait a
 * little, so that even the quick phases (renames) last long enough to be hit.
 */
const TARGETS = ['start', 'copying', 'copied', 'promoted', 'aside', 'linked'] as const;
type Target = (typeof TARGETS)[number];
const HOOKS = JSON.stringify({ delayMs: 30 });

describe('crash safety: signals at random moments of a real move', () => {
  let sb: Sandbox;
  let config: string;
  let drive: string;
  const args = () => ['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex'];

  beforeAll(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
  });
  afterAll(async () => {
    await sb.dispose();
  });

  async function freshTrial(): Promise<Record<string, string>> {
    if (drive !== undefined) await sb.unmountDrive('Archive 2TB');
    drive = await sb.mountDrive('Archive 2TB', '128m');
    await fs.rm(path.join(sb.root, 'var'), { recursive: true, force: true });
    return makeAlexBackups(sb);
  }

  /** Waits until the journal shows the target phase (or the run ends); then a random extra wait. */
  async function aim(target: Target, next: () => number, done: () => boolean): Promise<void> {
    if (target === 'start') {
      await sleep(Math.floor(next() * 400));
      return;
    }
    while (!done() && (await journalPhase(sb)) !== target) await sleep(2);
    await sleep(Math.floor(next() * (target === 'copying' ? 90 : 25)));
  }

  /**
   * Applies until it succeeds (4 tries). A SIGKILL between creating the lock and writing it leaves
   * an empty lock, which apply treats as held for 10 s (engine/lock/apply-lock.ts): that refusal
   * (LOCKED, "not written yet") is waited out rather than counted as a try.
   */
  async function runUntilDone(): Promise<number> {
    const until = Date.now() + 15_000;
    for (let attempt = 1; attempt <= 4; ) {
      const r = await sb.cli(args());
      if (r.exitCode === 0) return attempt;
      if (/not\s+written\s+yet/.test(r.stderr) && Date.now() < until) {
        await sleep(1000);
        continue;
      }
      attempt++;
    }
    throw new Error('apply did not succeed after 4 attempts');
  }

  for (const signal of ['SIGKILL', 'SIGINT'] as const) {
    const trials = signal === 'SIGKILL' ? 24 : 12;
    it(`${signal}: ${trials} seeded moments over all phases, then apply again finishes the move`, async () => {
      const hit = new Map<string, number>();
      for (let t = 0; t < trials; t++) {
        const seed = (signal === 'SIGKILL' ? 1000 : 2000) + t;
        const next = rng(seed);
        const target = TARGETS[t % TARGETS.length] as Target;
        const want = await freshTrial();
        const child = sb.spawnCli(args(), { PROVISION_TEST_HOOKS: HOOKS });
        let exited = false;
        void child.then(() => {
          exited = true;
        });
        await aim(target, next, () => exited);
        const phase = exited ? 'finished' : ((await journalPhase(sb)) ?? 'no journal yet');
        child.kill(signal);
        const result = await child;
        hit.set(phase, (hit.get(phase) ?? 0) + 1);

        if (signal === 'SIGINT' && phase !== 'finished') {
          // A clean stop: the run says so (or had not begun), and leaves no orphaned partial copy.
          expect([0, 130, undefined]).toContain(result.exitCode);
          const left = (await journalPhase(sb)) === undefined;
          const partials = (await fs.readdir(path.join(drive, 'MobileSync', 'alex')).catch(() => [] as string[])).filter((n) =>
            n.startsWith('.provision-partial'),
          );
          if (left) expect(partials).toEqual([]);
          const src = macBackupFolder(sb.root, 'alex');
          if ((await fs.lstat(src)).isDirectory()) expect(await snapshotTree(src)).toEqual(want);
        }
        const attempts = await runUntilDone();
        console.log(`${signal} trial ${t} seed ${seed}: aimed at ${target}, signalled in ${phase}, exit ${String(result.exitCode ?? result.signal)}, finished by ${attempts} more apply`);
        await expectMovedIntact(sb, drive, want);
      }
      console.log(`${signal}: phases hit: ${[...hit.entries()].map(([p, n]) => `${p} ${n}`).join(', ')}`);
      // Every phase of the move was interrupted at least once.
      for (const phase of ['copying', 'copied', 'promoted', 'aside', 'linked']) {
        if (signal === 'SIGKILL') expect(hit.get(phase) ?? 0, phase).toBeGreaterThan(0);
      }
    }, 300_000);
  }
});
