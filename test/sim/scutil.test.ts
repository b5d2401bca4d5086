import fs from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimSandbox, type SimSandbox } from './run-sim.js';

const ROOT = { PROVISION_SIM_UID: '0' };
const USER = { PROVISION_SIM_UID: '501' };

describe('sim scutil', () => {
  let sb: SimSandbox;
  beforeEach(async () => {
    sb = await createSimSandbox();
  });
  afterEach(async () => {
    await sb.remove();
  });

  it('prints defaults when the state file is missing', async () => {
    const computer = await sb.run('scutil', ['--get', 'ComputerName']);
    expect(computer).toEqual({ exitCode: 0, stdout: 'iMac\n', stderr: '' });
    const local = await sb.run('scutil', ['--get', 'LocalHostName']);
    expect(local).toEqual({ exitCode: 0, stdout: 'iMac\n', stderr: '' });
  });

  it('prints defaults when PROVISION_SIM_STATE is unset', async () => {
    const r = await sb.run('scutil', ['--get', 'ComputerName'], { env: { PROVISION_SIM_STATE: '' } });
    expect(r).toEqual({ exitCode: 0, stdout: 'iMac\n', stderr: '' });
  });

  it('reads names from the state file', async () => {
    await sb.writeState({ scutil: { ComputerName: 'Anna’s iMac', LocalHostName: 'Annas-iMac', HostName: 'imac.home.lan' } });
    expect((await sb.run('scutil', ['--get', 'ComputerName'])).stdout).toBe('Anna’s iMac\n');
    expect((await sb.run('scutil', ['--get', 'LocalHostName'])).stdout).toBe('Annas-iMac\n');
    expect(await sb.run('scutil', ['--get', 'HostName'])).toEqual({ exitCode: 0, stdout: 'imac.home.lan\n', stderr: '' });
  });

  it('reports an unset HostName on stderr and exits 1', async () => {
    const r = await sb.run('scutil', ['--get', 'HostName']);
    expect(r).toEqual({ exitCode: 1, stdout: '', stderr: 'HostName: not set\n' });
  });

  it('treats a name missing from a present section as not set', async () => {
    await sb.writeState({ scutil: { LocalHostName: 'mbp' } });
    const r = await sb.run('scutil', ['--get', 'ComputerName']);
    expect(r).toEqual({ exitCode: 1, stdout: '', stderr: 'ComputerName: not set\n' });
  });

  it('sets a name as root and saves it atomically, keeping other sections', async () => {
    await sb.writeState({ diskutil: { volumes: {} }, scutil: { ComputerName: 'iMac', LocalHostName: 'iMac', HostName: null } });
    const set = await sb.run('scutil', ['--set', 'HostName', 'imac.home.lan'], { env: ROOT });
    expect(set).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(await sb.readState()).toEqual({
      diskutil: { volumes: {} },
      scutil: { ComputerName: 'iMac', LocalHostName: 'iMac', HostName: 'imac.home.lan' },
    });
    expect(await fs.readdir(sb.dir)).toEqual(['state.json']);
    expect((await sb.run('scutil', ['--get', 'HostName'])).stdout).toBe('imac.home.lan\n');
  });

  it('creates the state file from defaults on the first --set', async () => {
    const set = await sb.run('scutil', ['--set', 'ComputerName', 'Studio'], { env: ROOT });
    expect(set.exitCode).toBe(0);
    expect(await sb.readState()).toEqual({ scutil: { ComputerName: 'Studio', LocalHostName: 'iMac', HostName: null } });
  });

  it('reads the new value from stdin when none is given', async () => {
    const set = await sb.run('scutil', ['--set', 'LocalHostName'], { env: ROOT, input: 'Studio-Mac\n' });
    expect(set.exitCode).toBe(0);
    expect((await sb.run('scutil', ['--get', 'LocalHostName'])).stdout).toBe('Studio-Mac\n');
  });

  it('refuses --set for a non-root user with exit 1 and changes nothing', async () => {
    const r = await sb.run('scutil', ['--set', 'ComputerName', 'X'], { env: USER });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toBe('');
    await expect(fs.access(sb.statePath)).rejects.toThrow();
  });

  it('follows the real uid when PROVISION_SIM_UID is not set', async () => {
    const r = await sb.run('scutil', ['--set', 'ComputerName', 'X']);
    const root = process.getuid?.() === 0;
    expect(r.exitCode).toBe(root ? 0 : 1);
  });

  it.each([[[]], [['--get']], [['--get', 'Bogus']], [['--get', 'HostName', 'extra']], [['--set']], [['--dns']], [['-x']]])(
    'prints usage on stderr and exits 1 for %j',
    async (args) => {
      const r = await sb.run('scutil', args, { env: ROOT });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^usage: scutil/);
    },
  );

  it('exits 70 (simulator fault) on a corrupt state file', async () => {
    await fs.writeFile(sb.statePath, '{ not json');
    const r = await sb.run('scutil', ['--get', 'ComputerName']);
    expect(r.exitCode).toBe(70);
    expect(r.stderr).toContain('simulator fault');
  });

  it('exits 70 when asked to save without a state file', async () => {
    const r = await sb.run('scutil', ['--set', 'ComputerName', 'X'], { env: { ...ROOT, PROVISION_SIM_STATE: '' } });
    expect(r.exitCode).toBe(70);
  });
});
