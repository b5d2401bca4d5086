import fs from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimSandbox, type SimSandbox } from './run-sim.js';

const TABLE = {
  pgrep: {
    processes: [
      { pid: 612, user: 'alex', uid: 501, name: 'Photos' },
      { pid: 433, user: 'alex', name: 'Photos' },
      { pid: 700, user: 'bob', name: 'Photos' },
      { pid: 701, user: 'bob', uid: 502, name: 'photolibraryd' },
      { pid: 88, user: 'root', uid: 0, name: 'loginwindow' },
    ],
  },
};

describe('sim pgrep', () => {
  let sb: SimSandbox;
  beforeEach(async () => {
    sb = await createSimSandbox();
    await sb.writeState(TABLE);
  });
  afterEach(async () => {
    await sb.remove();
  });

  it('prints a user’s matching pids in ascending order, exit 0', async () => {
    expect(await sb.run('pgrep', ['-U', 'alex', '-x', 'Photos'])).toEqual({ exitCode: 0, stdout: '433\n612\n', stderr: '' });
  });

  it('takes the user as a uid, learning a user’s uid from any of its processes', async () => {
    expect((await sb.run('pgrep', ['-U', '501', '-x', 'Photos'])).stdout).toBe('433\n612\n');
    expect((await sb.run('pgrep', ['-U', '502', '-x', 'Photos'])).stdout).toBe('700\n');
  });

  it('prints nothing and exits 1 when nothing matches', async () => {
    expect(await sb.run('pgrep', ['-U', 'root', '-x', 'Photos'])).toEqual({ exitCode: 1, stdout: '', stderr: '' });
    expect(await sb.run('pgrep', ['-U', 'alex', '-x', 'Phot'])).toEqual({ exitCode: 1, stdout: '', stderr: '' });
  });

  it('matches a pattern anywhere in the name without -x', async () => {
    expect((await sb.run('pgrep', ['-U', 'bob', 'hoto'])).stdout).toBe('700\n701\n');
    expect((await sb.run('pgrep', ['^Photos$'])).stdout).toBe('433\n612\n700\n');
  });

  it('adds the name with -l, and accepts clustered flags, attached values and user lists', async () => {
    expect((await sb.run('pgrep', ['-l', '-U', 'bob', 'o'])).stdout).toBe('700 Photos\n701 photolibraryd\n');
    expect((await sb.run('pgrep', ['-lx', '-Ualex,root', 'loginwindow'])).stdout).toBe('88 loginwindow\n');
    expect((await sb.run('pgrep', ['-u', 'bob', '-x', 'Photos'])).stdout).toBe('700\n');
  });

  it('lists all of a user’s processes when no pattern is given', async () => {
    expect((await sb.run('pgrep', ['-U', 'bob'])).stdout).toBe('700\n701\n');
  });

  it('runs nothing by default (no section, no file)', async () => {
    await fs.rm(sb.statePath);
    expect(await sb.run('pgrep', ['-U', 'alex', '-x', 'Photos'])).toEqual({ exitCode: 1, stdout: '', stderr: '' });
  });

  it('with a users map, an unknown user name is a usage error (exit 2), a known idle one exits 1', async () => {
    await sb.writeState({ pgrep: { users: { alex: 501, carol: 503 }, processes: [{ pid: 612, user: 'alex', name: 'Photos' }] } });
    expect((await sb.run('pgrep', ['-U', '501', '-x', 'Photos'])).stdout).toBe('612\n');
    expect(await sb.run('pgrep', ['-U', 'carol', '-x', 'Photos'])).toEqual({ exitCode: 1, stdout: '', stderr: '' });
    const r = await sb.run('pgrep', ['-U', 'mallory', '-x', 'Photos']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('mallory');
  });

  it.each([[[]], [['-x']], [['-U']], [['-q', 'Photos']], [['a', 'b']], [['(']]])('exits 2 with a message on stderr for %j', async (args) => {
    const r = await sb.run('pgrep', args);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toBe('');
  });

  it.each([
    ['processes not an array', { pgrep: { processes: {} } }],
    ['a pid that is not a number', { pgrep: { processes: [{ pid: '1', user: 'a', name: 'b' }] } }],
    ['a process with no name', { pgrep: { processes: [{ pid: 1, user: 'a' }] } }],
    ['a bad users map', { pgrep: { users: { a: 'x' }, processes: [] } }],
  ])('exits 70 (simulator fault) on %s', async (_what, state) => {
    await sb.writeState(state);
    const r = await sb.run('pgrep', ['-x', 'Photos']);
    expect(r.exitCode).toBe(70);
    expect(r.stderr).toContain('simulator fault');
  });
});
