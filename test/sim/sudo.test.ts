import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimSandbox, SIM_BIN, type SimSandbox } from './run-sim.js';

const ACCOUNTS = { sudo: { users: { alex: 501, bob: 502 } } };

describe('sim sudo', () => {
  let sb: SimSandbox;
  const asRoot = (): Record<string, string> => ({ PROVISION_SIM_UID: '0', PATH: `${SIM_BIN}:${process.env.PATH ?? ''}` });
  beforeEach(async () => {
    sb = await createSimSandbox();
    await sb.writeState({
      ...ACCOUNTS,
      defaults: { users: { '501': { 'com.apple.iPhoto': { RootDirectory: '/Volumes/A/iPhoto Library.photolibrary' } } } },
    });
  });
  afterEach(async () => {
    await sb.remove();
  });

  it('runs the command as the user: the other simulators see that user’s uid', async () => {
    const r = await sb.run('sudo', ['-n', '-u', 'alex', '--', 'defaults', 'read', 'com.apple.iPhoto', 'RootDirectory'], { env: asRoot() });
    expect(r).toEqual({ exitCode: 0, stdout: '/Volumes/A/iPhoto Library.photolibrary\n', stderr: '' });
    const bob = await sb.run('sudo', ['-n', '-u', 'bob', 'defaults', 'read', 'com.apple.iPhoto', 'RootDirectory'], { env: asRoot() });
    expect(bob.exitCode).toBe(1);
    expect(bob.stderr).toContain('The domain/default pair of (com.apple.iPhoto, RootDirectory) does not exist');
  });

  it('writes land in that user’s state only', async () => {
    const r = await sb.run('sudo', ['-n', '-ubob', '--', 'defaults', 'write', 'com.apple.iPhoto', 'RootDirectory', '-string', '/x'], { env: asRoot() });
    expect(r.exitCode).toBe(0);
    expect(await sb.readState()).toMatchObject({
      defaults: { users: { '501': { 'com.apple.iPhoto': { RootDirectory: '/Volumes/A/iPhoto Library.photolibrary' } }, '502': { 'com.apple.iPhoto': { RootDirectory: '/x' } } } },
    });
  });

  it('passes the command’s exit status through', async () => {
    const r = await sb.run('sudo', ['-n', '-u', 'alex', '--', 'sh', '-c', 'exit 7'], { env: asRoot() });
    expect(r.exitCode).toBe(7);
  });

  it('refuses an unknown user, exit 1, running nothing', async () => {
    const r = await sb.run('sudo', ['-n', '-u', 'carol', '--', 'defaults', 'write', 'd', 'k', 'v'], { env: asRoot() });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^sudo: unknown user carol\n/);
    expect(await sb.readState()).not.toHaveProperty('defaults.users.0');
  });

  it('needs a password for anyone but root (-n: fails at once, exit 1)', async () => {
    const r = await sb.run('sudo', ['-n', '-u', 'bob', '--', 'defaults', 'read', 'd'], { env: { PROVISION_SIM_UID: '501' } });
    expect(r).toEqual({ exitCode: 1, stdout: '', stderr: 'sudo: a password is required\n' });
    // Becoming yourself needs none.
    const self = await sb.run('sudo', ['-n', '-u', 'alex', '--', 'sh', '-c', 'exit 0'], { env: { PROVISION_SIM_UID: '501' } });
    expect(self.exitCode).toBe(0);
  });

  it('says so when the command is not found, exit 1', async () => {
    const r = await sb.run('sudo', ['-n', '-u', 'alex', '--', 'no-such-tool-here'], { env: asRoot() });
    expect(r).toEqual({ exitCode: 1, stdout: '', stderr: 'sudo: no-such-tool-here: command not found\n' });
  });

  it('takes a #uid, and prints usage for other forms (exit 1)', async () => {
    expect((await sb.run('sudo', ['-n', '-u', '#502', '--', 'sh', '-c', 'echo $PROVISION_SIM_UID'], { env: asRoot() })).stdout).toBe('502\n');
    for (const args of [[], ['-n', 'ls'], ['-u', 'alex'], ['-k', '-u', 'alex', 'ls']]) {
      const r = await sb.run('sudo', args, { env: asRoot() });
      expect(r.exitCode, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(/^usage: sudo/);
    }
  });

  it('treats a broken accounts table as a simulator fault (exit 70)', async () => {
    await sb.writeState({ sudo: { users: { alex: 'five' } } });
    const r = await sb.run('sudo', ['-n', '-u', 'alex', 'ls'], { env: asRoot() });
    expect(r.exitCode).toBe(70);
  });
});
