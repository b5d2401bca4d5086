import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readableProjectCopy } from '../host/fs/child-vitest.js';
import { TIME_MACHINE_ON_NAS } from './household.js';


const NOBODY = 65534;
const canSwitch = process.getuid?.() === 0;

/**
 * Time Machine needs root. Run as a real unprivileged account (nobody), the plan shows the
 * change with a note that it needs sudo, and apply stops before it, saying so.
 */
describe.skipIf(!canSwitch)(`Time Machine without root${canSwitch ? '' : ' (skipped: the test must run as root to become nobody)'}`, () => {
  let copy: { root: string; dispose: () => Promise<void> };
  let dir: string;
  const cli = (...args: string[]) =>
    execa('setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', process.execPath, path.join(copy.root, 'bin', 'provision.js'), ...args, '-c', path.join(dir, 'backups.yaml'), '--root', dir, '--machine', 'air'], {
      reject: false,
      stdin: 'ignore',
      // Not the checkout: a fresh clone may sit in a folder nobody cannot enter, and a command
      // spawned from there would fail to start (EACCES on its working directory).
      cwd: dir,
      env: { PATH: `${path.join(copy.root, 'sim', 'bin')}:${process.env['PATH'] ?? ''}`, PROVISION_SIM_STATE: path.join(dir, 'state.json'), NO_COLOR: '1', HOME: dir },
      extendEnv: false,
    });

  beforeAll(async () => {
    copy = await readableProjectCopy();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-tm-nobody-'));
    await fs.chmod(dir, 0o777);
    await fs.writeFile(path.join(dir, 'backups.yaml'), TIME_MACHINE_ON_NAS, { mode: 0o644 });
    await fs.writeFile(path.join(dir, 'state.json'), JSON.stringify({ tmutil: { destinations: [], keychain: ['alex@nas.local'] } }), { mode: 0o666 });
  }, 120_000);
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
    await copy.dispose();
  });

  it('plan shows the change as needing sudo; apply stops before it and changes nothing', async () => {
    const plan = await cli('plan');
    expect(plan.exitCode, String(plan.stderr) + String(plan.stdout)).toBe(0);
    expect(plan.stdout).toContain('+ Time Machine destinations');
    expect(plan.stdout).toContain('changing Time Machine needs root: run sudo provision apply');
    const apply = await cli('apply', '--yes');
    expect(apply.exitCode).toBe(1);
    expect(apply.stderr).toContain('changing Time Machine (share nas/Backups) needs root');
    const state = JSON.parse(await fs.readFile(path.join(dir, 'state.json'), 'utf8')) as { tmutil: { destinations: unknown[] } };
    expect(state.tmutil.destinations).toEqual([]);
  });
});
