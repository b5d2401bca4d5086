import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computerNames, firstLabel } from '../../src/machine/computer-names.js';
import type { HostReads, RunResult } from '../../src/host/host.js';
import { createSimSandbox, type SimSandbox } from '../sim/run-sim.js';
import { createExecHost } from './exec-host.js';
import { bareEnv, simEnv } from './sim-env.js';

describe('computerNames against the scutil simulator', () => {
  let sb: SimSandbox;
  beforeEach(async () => {
    sb = await createSimSandbox();
  });
  afterEach(async () => {
    await sb.remove();
  });

  it('uses scutil when it is on PATH, even off macOS, and skips an unset HostName', async () => {
    await sb.writeState({ scutil: { ComputerName: 'Anna’s iMac', LocalHostName: 'Annas-iMac', HostName: null } });
    const host = createExecHost(simEnv(sb.statePath));
    expect(await computerNames(host, 'linux', () => 'container-1')).toEqual(['Anna’s iMac', 'Annas-iMac']);
  });

  it('adds HostName when set, and drops duplicates keeping order', async () => {
    await sb.writeState({ scutil: { ComputerName: 'studio', LocalHostName: 'Studio', HostName: 'studio.home.lan' } });
    const host = createExecHost(simEnv(sb.statePath));
    expect(await computerNames(host, 'darwin', () => 'unused')).toEqual(['studio', 'studio.home.lan']);
  });

  it('falls back to os.hostname and its first label when scutil gives nothing', async () => {
    await sb.writeState({ scutil: {} });
    const host = createExecHost(simEnv(sb.statePath));
    expect(await computerNames(host, 'darwin', () => 'imac.local')).toEqual(['imac.local', 'imac']);
  });

  it('uses os.hostname off macOS when scutil is absent', async () => {
    const host = createExecHost(bareEnv(sb.dir));
    expect(await computerNames(host, 'linux', () => 'nas.home.lan')).toEqual(['nas.home.lan', 'nas']);
    expect(await computerNames(host, 'win32', () => 'GAMING-PC')).toEqual(['GAMING-PC']);
  });

  it('on darwin tries scutil even when hasCommand says no, and survives it failing to run', async () => {
    const host = createExecHost(bareEnv(sb.dir));
    expect(await computerNames(host, 'darwin', () => 'mbp.local')).toEqual(['mbp.local', 'mbp']);
  });

  it('defaults to the real os.hostname', async () => {
    const host = createExecHost(bareEnv(sb.dir));
    const names = await computerNames(host, 'linux');
    expect(names.length).toBeGreaterThan(0);
  });
});

describe('computerNames on plain data', () => {
  it('skips a pref whose query throws and keeps the others', async () => {
    const answers: Record<string, RunResult | Error> = {
      ComputerName: new Error('spawn failed'),
      LocalHostName: { exitCode: 0, stdout: 'Annas-iMac\n', stderr: '' },
      HostName: { exitCode: 1, stdout: '', stderr: 'HostName: not set\n' },
    };
    const host = {
      hasCommand: async () => true,
      query: async (_cmd: string, args: readonly string[]) => {
        const a = answers[args[1] ?? ''];
        if (a === undefined || a instanceof Error) throw a ?? new Error('unexpected');
        return a;
      },
    } as unknown as HostReads;
    expect(await computerNames(host, 'darwin', () => 'x')).toEqual(['Annas-iMac']);
  });

  it('firstLabel cuts at the first dot', () => {
    expect(firstLabel('imac.home.lan')).toBe('imac');
    expect(firstLabel('imac')).toBe('imac');
  });
});
