import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox, SIM_BIN } from '../helpers/sandbox.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';
import { expectMovedIntact, makeAlexBackups } from './move-fixture.js';

/**
 * The processes one move starts, and what the disk holds each time. A listing of every open
 * file (lsof) is slow on a Mac, so a move asks for one when planning, right before its first
 * write, and right before the original is put aside; never in between for nothing. The drive's
 * UUID (diskutil) is read once when the drive is first remembered, and the move on it begins
 * from that reading. Wrappers on PATH in front of the real lsof and the simulated diskutil write
 * down each run: for lsof, whether the original is still in its place and whether the copy is
 * already at its final place on the drive.
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
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('one move: lsof for the plan, before the copy, and right before the original is put aside', async () => {
    await sb.plugDrive(NAME, '64m');
    const want = await makeAlexBackups(sb, 20);
    const r = await sb.cli(['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex'], {
      PATH: `${wrapDir}:${SIM_BIN}:${process.env['PATH'] ?? ''}`,
    });
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    await expectMovedIntact(sb, sb.volume(NAME), want);
    const runs = (await fs.readFile(log, 'utf8')).trim().split('\n');
    expect(runs).toEqual([
      // the plan, and the look again before the change uses its listing
      'run original-in-place',
      // right before the copy's first write
      'run original-in-place',
      // the last moment the original is whole: the copy at its final place, the original not yet aside
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
    // The plan's, the look again before the change, and the drive remembered: not again when the move begins.
    expect(runs.length).toBe(forPlan + 2);
  });
});
