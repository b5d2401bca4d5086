import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RECENT_MS } from '../../src/host/round-reads.js';
import { RECORDED_ENTRIES_MAX } from '../../src/host/fs/tree-fingerprint.js';
import { Sandbox, SIM_BIN } from '../helpers/sandbox.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';
import { expectMovedIntact, makeAlexBackups } from './move-fixture.js';
import { snapshotTree, udid } from '../helpers/fixtures.js';

/**
 * The processes one move starts, and what the disk holds each time. A listing of every open
 * file (lsof) and `diskutil info` each cost a process on a Mac. An apply round asks for each
 * when planning; the look at the change right before it runs, the drive remembered and the
 * move's check right before its first write use those answers while they are recent
 * (host/round-reads.ts); right before the original is put aside, lsof runs afresh, always.
 * Wrappers on PATH in front of the real lsof and the simulated diskutil write down each run: for
 * lsof, whether the original is still in its place and whether the copy is already at its final
 * place on the drive.
 */
const NAME = 'Archive 2TB';

describe('the processes a move starts', () => {
  let sb: Sandbox;
  let config: string;
  let wrapDir: string;
  let log: string;

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
    wrapDir = path.join(sb.root, '.lsof-wrapper');
    log = path.join(wrapDir, 'runs.log');
    await fs.mkdir(wrapDir);
    const realLsof = (await execa('sh', ['-c', 'command -v lsof'])).stdout.trim();
    const src = macBackupFolder(sb.root, 'alex');
    const copy = path.join(sb.volume(NAME), 'MobileSync', 'alex');
    const script = [
      '#!/bin/sh',
      'state=run',
      `if [ -d "${src}" ] && [ ! -L "${src}" ]; then state="$state original-in-place"; fi`,
      `if ls -A "${copy}" 2>/dev/null | grep -qv '^\\.provision'; then state="$state copy-at-final-place"; fi`,
      `echo "$state" >> "${log}"`,
      `exec "${realLsof}" "$@"`,
      '',
    ].join('\n');
    await fs.writeFile(path.join(wrapDir, 'lsof'), script, { mode: 0o755 });
    const diskutil = ['#!/bin/sh', `echo "diskutil $*" >> "${path.join(wrapDir, 'diskutil.log')}"`, `exec "${path.join(SIM_BIN, 'diskutil')}" "$@"`, ''].join('\n');
    await fs.writeFile(path.join(wrapDir, 'diskutil'), diskutil, { mode: 0o755 });
    // getfattr dumps a tree's extended attributes for a comparison (it runs in the tree compared).
    const realGetfattr = (await execa('sh', ['-c', 'command -v getfattr'])).stdout.trim();
    const getfattr = ['#!/bin/sh', `echo "getfattr $(pwd)" >> "${path.join(wrapDir, 'getfattr.log')}"`, `exec "${realGetfattr}" "$@"`, ''].join('\n');
    await fs.writeFile(path.join(wrapDir, 'getfattr'), getfattr, { mode: 0o755 });
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('one move with --yes: lsof for the plan (its listing serves the copy a moment later), and right before the original is put aside', async () => {
    await sb.plugDrive(NAME, '64m');
    const want = await makeAlexBackups(sb, 20);
    const r = await sb.cli(['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex'], {
      PATH: `${wrapDir}:${SIM_BIN}:${process.env['PATH'] ?? ''}`,
    });
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    await expectMovedIntact(sb, sb.volume(NAME), want);
    const runs = (await fs.readFile(log, 'utf8')).trim().split('\n');
    expect(runs).toEqual([
      // the plan; the look again before the change and the check before the copy's first write use its listing
      'run original-in-place',
      // the last moment the original is whole: the copy at its final place, the original not yet aside
      'run original-in-place copy-at-final-place',
    ]);
    // The copy is compared with the original once, in its partial folder: at its final place it
    // is known again by its entries' identity (engine/apply/copy-identity.ts), not compared again.
    // The original's attributes are read once, by the copier: the comparison uses that read
    // (an attribute set on the original since then shows in its last fingerprint).
    const dumps = (await fs.readFile(path.join(wrapDir, 'getfattr.log'), 'utf8')).trim().split('\n');
    const src = macBackupFolder(sb.root, 'alex');
    const where = (d: string): string => (d === `getfattr ${src}` ? 'original' : /\/\.provision-partial-[^/]+$/.test(d) ? 'partial copy' : d.endsWith('/MobileSync/alex') ? 'final place' : d);
    expect(dumps.map(where)).toEqual(['original', 'partial copy']);
  });

  it('a copy of more entries than RECORDED_ENTRIES_MAX keeps no identity (memory stays bounded): it is compared again at its final place', async () => {
    await sb.plugDrive(NAME, '256m');
    await makeAlexBackups(sb, 20);
    // Empty files in a folder of the first device: beyond what is kept in memory.
    const many = path.join(macBackupFolder(sb.root, 'alex'), udid(1), 'ff');
    await fs.mkdir(many, { recursive: true });
    for (let i = 0; i <= RECORDED_ENTRIES_MAX; i += 500) {
      await Promise.all(Array.from({ length: 500 }, (_, j) => fs.writeFile(path.join(many, `f${i + j}`), '')));
    }
    const want = await snapshotTree(macBackupFolder(sb.root, 'alex'));
    const r = await sb.cli(['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex'], {
      PATH: `${wrapDir}:${SIM_BIN}:${process.env['PATH'] ?? ''}`,
    });
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    await expectMovedIntact(sb, sb.volume(NAME), want);
    const dumps = (await fs.readFile(path.join(wrapDir, 'getfattr.log'), 'utf8')).trim().split('\n');
    const src = macBackupFolder(sb.root, 'alex');
    const where = (d: string): string => (d === `getfattr ${src}` ? 'original' : /\/\.provision-partial-[^/]+$/.test(d) ? 'partial copy' : d.endsWith('/MobileSync/alex') ? 'final place' : d);
    expect(dumps.map(where).filter((w) => w !== 'original')).toEqual(['partial copy', 'final place']);
  }, 120_000);

  it('an apply that pauses longer than RECENT_MS after its plan looks afresh before the copy and reads the UUID again', async () => {
    await sb.plugDrive(NAME, '64m');
    const want = await makeAlexBackups(sb, 5);
    const gate = path.join(sb.root, '.gate');
    await fs.mkdir(gate);
    // The drive is new: remembering it writes its marker first, and waits there.
    const child = sb.spawnCli(['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex'], {
      PATH: `${wrapDir}:${SIM_BIN}:${process.env['PATH'] ?? ''}`,
      PROVISION_TEST_HOOKS: JSON.stringify({ gate: { op: 'writeFileAtomic', nth: 1, dir: gate } }),
    });
    await waitFor(path.join(gate, 'paused'));
    const planned = await fs.readFile(path.join(wrapDir, 'diskutil.log'), 'utf8');
    await sleep(RECENT_MS + 300);
    await fs.writeFile(path.join(gate, 'continue'), '');
    const r = await child;
    expect(r.exitCode, String(r.stderr) + String(r.stdout)).toBe(0);
    await expectMovedIntact(sb, sb.volume(NAME), want);
    // The plan's answer is no longer recent: the UUID is asked again, and the move begins from that.
    const runs = (await fs.readFile(path.join(wrapDir, 'diskutil.log'), 'utf8')).trim().split('\n');
    expect(runs.length).toBe(planned.trim().split('\n').length + 1);
    expect((await fs.readFile(log, 'utf8')).trim().split('\n')).toEqual([
      'run original-in-place',
      // right before the copy's first write, afresh
      'run original-in-place',
      'run original-in-place copy-at-final-place',
    ]);
  });

  it('a drive used for the first time: its UUID is read once by the apply, and the move begins from that reading', async () => {
    await sb.plugDrive(NAME, '64m');
    const want = await makeAlexBackups(sb, 5);
    const env = { PATH: `${wrapDir}:${SIM_BIN}:${process.env['PATH'] ?? ''}` };
    const planned = await sb.cli(['plan', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex'], env);
    expect(planned.exitCode, planned.stderr + planned.stdout).toBe(0);
    const forPlan = (await fs.readFile(path.join(wrapDir, 'diskutil.log'), 'utf8')).trim().split('\n').length;
    await fs.rm(path.join(wrapDir, 'diskutil.log'));
    const r = await sb.cli(['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex'], env);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    await expectMovedIntact(sb, sb.volume(NAME), want);
    const runs = (await fs.readFile(path.join(wrapDir, 'diskutil.log'), 'utf8')).trim().split('\n');
    // The apply's plan asks once, as the plan did; the look again before the change and the drive
    // remembered a moment later use that answer, and the move begins from it.
    expect(runs.length).toBe(forPlan);
    expect(forPlan).toBe(1);
  });
});

async function waitFor(file: string): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await fs.stat(file).then(() => true, () => false)) return;
    await sleep(10);
  }
  throw new Error(`${file} did not appear`);
}
