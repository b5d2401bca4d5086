import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostReads, RunOptions, RunResult } from '../../src/host/host.js';
import { RealHost } from '../../src/host/real-host.js';
import { runningApps } from '../../src/macos/running-apps.js';
import { createSimSandbox, SIM_BIN, type SimSandbox } from '../sim/run-sim.js';

/** A RealHost whose commands run with extra environment (sim/bin first on PATH, a state file). */
class EnvRealHost extends RealHost {
  constructor(private readonly env: Record<string, string>) {
    super();
  }
  override query(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return super.query(command, args, { ...options, env: { ...this.env, ...options.env } });
  }
}

const TABLE = {
  pgrep: {
    users: { alex: 501, bob: 502 },
    processes: [
      { pid: 612, user: 'alex', uid: 501, name: 'Photos' },
      { pid: 613, user: 'alex', uid: 501, name: 'iPhoto' },
      { pid: 700, user: 'bob', uid: 502, name: 'Photos Agent' },
    ],
  },
};

describe('runningApps against the pgrep simulator', () => {
  let sb: SimSandbox;
  let host: EnvRealHost;
  beforeEach(async () => {
    sb = await createSimSandbox();
    await sb.writeState(TABLE);
    host = new EnvRealHost({ PATH: [SIM_BIN, process.env.PATH ?? ''].join(path.delimiter), PROVISION_SIM_STATE: sb.statePath });
  });
  afterEach(async () => {
    await sb.remove();
  });

  it('names the apps running for that user, in the order asked, once each', async () => {
    expect(await runningApps(host, 'alex', ['iPhoto', 'Photos', 'Aperture', 'Photos'])).toEqual({ ok: true, running: ['iPhoto', 'Photos'] });
  });

  it('takes a uid as the user', async () => {
    expect(await runningApps(host, '501', ['Photos'])).toEqual({ ok: true, running: ['Photos'] });
  });

  it('matches names exactly and only that user’s processes', async () => {
    expect(await runningApps(host, 'bob', ['Photos', 'iPhoto'])).toEqual({ ok: true, running: [] });
  });

  it('is empty for no names without running pgrep', async () => {
    expect(await runningApps(new EnvRealHost({ PATH: sb.dir }), 'alex', [])).toEqual({ ok: true, running: [] });
  });

  it('returns a COMMAND_FAILED error value when pgrep is not installed (exit 127)', async () => {
    const r = await runningApps(new EnvRealHost({ PATH: sb.dir }), 'alex', ['Photos']);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('COMMAND_FAILED');
      expect(r.error.message).toContain('Photos');
    }
  });

  it('returns an error value for an unknown user (pgrep exit 2), not "not running"', async () => {
    const r = await runningApps(host, 'mallory', ['Photos']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('COMMAND_FAILED');
  });

  it('returns an error value when running pgrep throws', async () => {
    const throwing = { query: () => Promise.reject(new Error('spawn failed')) } as unknown as HostReads;
    const r = await runningApps(throwing, 'alex', ['Photos']);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('COMMAND_FAILED');
  });

  it('passes -U user -x name to pgrep', async () => {
    const calls: [string, readonly string[]][] = [];
    const recording = {
      query: (command: string, args: readonly string[]) => {
        calls.push([command, args]);
        return Promise.resolve({ exitCode: 1, stdout: '', stderr: '' });
      },
    } as unknown as HostReads;
    expect(await runningApps(recording, 'alex', ['Photos'])).toEqual({ ok: true, running: [] });
    expect(calls).toEqual([['pgrep', ['-U', 'alex', '-x', 'Photos']]]);
  });
});
