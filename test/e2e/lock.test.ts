import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { makeHome, writeHousehold } from './household.js';
import { expectMovedIntact, makeAlexBackups } from './move-fixture.js';

describe('one apply at a time per machine root', () => {
  let sb: Sandbox;
  let config: string;
  let gate: string;
  const args = () => ['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex'];
  const lockFile = () => path.join(sb.root, 'tmp', 'provision.lock');

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
    gate = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-gate-'));
  });
  afterEach(async () => {
    await sb.dispose();
    await fs.rm(gate, { recursive: true, force: true });
  });

  it('a second apply while one is moving data says who holds the lock and exits 1; the first finishes', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const want = await makeAlexBackups(sb, 20);
    const first = sb.spawnCli(args(), { PROVISION_TEST_HOOKS: JSON.stringify({ gate: { op: 'copyTree', nth: 1, dir: gate } }) });
    while (!(await fs.stat(path.join(gate, 'paused')).catch(() => undefined))) await sleep(10);
    const holder = Number(await fs.readFile(path.join(gate, 'paused'), 'utf8'));

    const second = await sb.cli(args());
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toContain(String(holder));
    expect(second.stderr).toMatch(/provision apply/);
    const plan = await sb.cli(['plan', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex']);
    expect(plan.exitCode, 'plan reads only and needs no lock').not.toBe(1);
    expect(plan.stderr).toContain(String(holder));

    await fs.writeFile(path.join(gate, 'continue'), '');
    const r = await first;
    expect(r.exitCode, String(r.stderr)).toBe(0);
    await expectMovedIntact(sb, drive, want);
    await expect(fs.lstat(lockFile())).rejects.toThrow();
  });

  it('a lock left by a dead process is taken over', async () => {
    const drive = await sb.mountDrive('Archive 2TB');
    const want = await makeAlexBackups(sb, 5);
    const dead = execa('true');
    await dead;
    await fs.mkdir(path.dirname(lockFile()), { recursive: true });
    await fs.writeFile(
      lockFile(),
      `${JSON.stringify({ pid: dead.pid, host: os.hostname(), user: 'alex', command: 'provision apply', startedAt: '2026-11-22T00:00:00.000Z', root: sb.root })}\n`,
    );
    const r = await sb.cli(args());
    expect(r.exitCode, r.stderr).toBe(0);
    await expectMovedIntact(sb, drive, want);
    await expect(fs.lstat(lockFile())).rejects.toThrow();
  });
});
