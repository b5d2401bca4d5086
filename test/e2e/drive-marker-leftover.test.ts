import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from '../helpers/sandbox.js';
import { makeHome, writeHousehold } from './household.js';
import { expectMovedIntact, makeAlexBackups } from './move-fixture.js';

/**
 * A run killed while it wrote the drive's marker leaves the marker's temporary file at the
 * drive's top (seen in CI: a SIGKILL of crash-signals.test.ts landed between the temporary file
 * and its rename). The next apply that meets the drive removes it when its writer is gone, and
 * leaves one of a process still alive.
 */
describe("the drive marker's temporary file left by a killed run", () => {
  let sb: Sandbox;
  let config: string;
  let drive: string;
  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root);
    await makeHome(sb.root, 'alex');
    drive = await sb.mountDrive('Archive 2TB', '64m');
  });
  afterEach(async () => {
    await sb.dispose();
  });

  it('is removed by the next apply when its writer is gone; one of a live process stays', async () => {
    const want = await makeAlexBackups(sb, 20);
    // A pid that was a process and is no more: a child that has exited.
    const gone = spawnSync('true').pid;
    expect(gone).toBeGreaterThan(0);
    const stale = `..provision-drive.json.${gone}.0a1b2c3d.tmp`;
    const live = `..provision-drive.json.${process.pid}.0a1b2c3d.tmp`;
    await fs.writeFile(path.join(drive, stale), '{"provision": "dri');
    await fs.writeFile(path.join(drive, live), '{"provision": "dri');

    const r = await sb.cli(['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex']);
    expect(r.exitCode, r.stderr + r.stdout).toBe(0);
    expect((await fs.readdir(drive)).sort()).toEqual(['.provision-drive.json', live, 'MobileSync'].sort());

    // Once that process is gone too, the drive is as a move leaves it.
    await fs.rm(path.join(drive, live));
    await expectMovedIntact(sb, drive, want);
  });
});
