import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readMacosVersion, versionAtLeast } from '../../src/macos/macos-version.js';
import { createSimSandbox, type SimSandbox } from './run-sim.js';

describe('sim sw_vers', () => {
  let sb: SimSandbox;
  beforeEach(async () => {
    sb = await createSimSandbox();
  });
  afterEach(async () => {
    await sb.remove();
  });

  it('prints the three properties, or one of them, as sw_vers(1) shows', async () => {
    await sb.writeState({ sw_vers: { productName: 'Mac OS X', productVersion: '10.14.6', buildVersion: '18G103' } });
    expect(await sb.run('sw_vers', ['-productVersion'])).toEqual({ exitCode: 0, stdout: '10.14.6\n', stderr: '' });
    expect(await sb.run('sw_vers', ['-buildVersion'])).toEqual({ exitCode: 0, stdout: '18G103\n', stderr: '' });
    const all = await sb.run('sw_vers', []);
    expect(all.stdout.split('\n').map((l) => l.split(/:\s+/))).toEqual([['ProductName', 'Mac OS X'], ['ProductVersion', '10.14.6'], ['BuildVersion', '18G103'], ['']]);
  });

  it('is a current macOS by default, and refuses an unknown option', async () => {
    expect((await sb.run('sw_vers', ['-productVersion'])).stdout).toBe('15.1\n');
    const bad = await sb.run('sw_vers', ['-nope']);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('usage: sw_vers');
  });
});

describe('the macOS version', () => {
  it('compares number by number', () => {
    expect(versionAtLeast('10.15', '10.15')).toBe(true);
    expect(versionAtLeast('10.14.6', '10.15')).toBe(false);
    expect(versionAtLeast('11.0', '10.15')).toBe(true);
    expect(versionAtLeast('10.9', '10.15')).toBe(false);
  });

  it('is unknown when sw_vers is missing', async () => {
    const host = { query: () => Promise.reject(new Error('ENOENT')) } as unknown as Parameters<typeof readMacosVersion>[0];
    expect(await readMacosVersion(host)).toBeUndefined();
  });
});
