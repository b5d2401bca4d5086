import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProvisionError } from '../../src/errors.js';
import { DryRunHost } from '../../src/host/dry-run-host.js';
import type { RunOptions, RunResult } from '../../src/host/host.js';
import { RealHost } from '../../src/host/real-host.js';
import { readDefault, writeDefault } from '../../src/macos/defaults.js';
import { createSimSandbox, SIM_BIN, type SimSandbox } from '../sim/run-sim.js';

const LIBRARY = '/Volumes/Photos/iPhoto Library';

/** A RealHost whose commands run with extra environment (sim/bin first on PATH, a state file). */
class EnvRealHost extends RealHost {
  constructor(private readonly env: Record<string, string>) {
    super();
  }
  override query(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return super.query(command, args, { ...options, env: { ...this.env, ...options.env } });
  }
  override mutate(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return super.mutate(command, args, { ...options, env: { ...this.env, ...options.env } });
  }
}

/**
 * A stand-in for `sudo -n -u <user> -- cmd...`: runs cmd as the simulated uid of alex (501) or
 * bob (502) and refuses anyone else with exit 1, as sudo does for an unknown user.
 */
const FAKE_SUDO = `#!/bin/sh
[ "$1" = "-n" ] && shift
[ "$1" = "-u" ] || { echo "sudo: usage" >&2; exit 1; }
user=$2; shift 2
[ "$1" = "--" ] && shift
case "$user" in
  alex) uid=501 ;;
  bob) uid=502 ;;
  *) echo "sudo: unknown user $user" >&2; exit 1 ;;
esac
PROVISION_SIM_UID=$uid exec "$@"
`;

describe('readDefault / writeDefault against the defaults simulator', () => {
  let sb: SimSandbox;
  let host: EnvRealHost;
  beforeEach(async () => {
    sb = await createSimSandbox();
    const fakeBin = path.join(sb.dir, 'fake-bin');
    await fs.mkdir(fakeBin);
    await fs.writeFile(path.join(fakeBin, 'sudo'), FAKE_SUDO, { mode: 0o755 });
    host = new EnvRealHost({
      PATH: [fakeBin, SIM_BIN, process.env.PATH ?? ''].join(path.delimiter),
      PROVISION_SIM_STATE: sb.statePath,
      PROVISION_SIM_UID: '501',
    });
  });
  afterEach(async () => {
    await sb.remove();
  });

  it('is undefined for a key or a whole domain that is not set', async () => {
    expect(await readDefault(host, 'com.apple.iPhoto', 'RootDirectory')).toBeUndefined();
    await sb.writeState({ defaults: { users: { '501': { 'com.apple.iPhoto': { Other: 'x' } } } } });
    expect(await readDefault(host, 'com.apple.iPhoto', 'RootDirectory')).toBeUndefined();
  });

  it('reads a string value without its newline, spaces kept', async () => {
    await sb.writeState({ defaults: { users: { '501': { 'com.apple.iPhoto': { RootDirectory: LIBRARY } } } } });
    expect(await readDefault(host, 'com.apple.iPhoto', 'RootDirectory')).toBe(LIBRARY);
  });

  it('writes with -string and confirms by reading back', async () => {
    await writeDefault(host, 'com.apple.iPhoto', 'RootDirectory', LIBRARY);
    expect(await sb.readState()).toEqual({ defaults: { users: { '501': { 'com.apple.iPhoto': { RootDirectory: LIBRARY } } } } });
    // A value that untyped defaults would parse as a plist stays a string.
    await writeDefault(host, 'com.apple.iPhoto', 'Odd', '(a, b)');
    expect(await readDefault(host, 'com.apple.iPhoto', 'Odd')).toBe('(a, b)');
  });

  it('reads and writes another user’s domain through sudo -u', async () => {
    await writeDefault(host, 'com.apple.iPhoto', 'RootDirectory', '/Volumes/Photos/Bob', 'bob');
    expect(await sb.readState()).toEqual({ defaults: { users: { '502': { 'com.apple.iPhoto': { RootDirectory: '/Volumes/Photos/Bob' } } } } });
    expect(await readDefault(host, 'com.apple.iPhoto', 'RootDirectory', 'bob')).toBe('/Volumes/Photos/Bob');
    expect(await readDefault(host, 'com.apple.iPhoto', 'RootDirectory', 'alex')).toBeUndefined();
    expect(await readDefault(host, 'com.apple.iPhoto', 'RootDirectory')).toBeUndefined();
  });

  it('throws COMMAND_FAILED, not undefined, when sudo refuses', async () => {
    const e = await readDefault(host, 'com.apple.iPhoto', 'RootDirectory', 'mallory').catch((x: unknown) => x);
    expect(isProvisionError(e) && e.code).toBe('COMMAND_FAILED');
  });

  it('throws COMMAND_FAILED when defaults is missing or broken', async () => {
    const bare = new EnvRealHost({ PATH: sb.dir });
    const missing = await readDefault(bare, 'com.apple.iPhoto', 'RootDirectory').catch((x: unknown) => x);
    expect(isProvisionError(missing) && missing.code).toBe('COMMAND_FAILED');
    await fs.writeFile(sb.statePath, '{ corrupt');
    const broken = await readDefault(host, 'com.apple.iPhoto', 'RootDirectory').catch((x: unknown) => x);
    expect(isProvisionError(broken) && broken.code).toBe('COMMAND_FAILED');
    const write = await writeDefault(host, 'com.apple.iPhoto', 'RootDirectory', LIBRARY).catch((x: unknown) => x);
    expect(isProvisionError(write) && write.code).toBe('COMMAND_FAILED');
  });

  it('throws COMMAND_FAILED when the write exits 0 but the value does not read back', async () => {
    // A host whose defaults write "succeeds" without storing anything, as when an app owning the
    // domain overwrites it.
    class ForgetfulHost extends EnvRealHost {
      override mutate(): Promise<RunResult> {
        return Promise.resolve({ exitCode: 0, stdout: '', stderr: '' });
      }
    }
    const forgetful = new ForgetfulHost({ PATH: [SIM_BIN, process.env.PATH ?? ''].join(path.delimiter), PROVISION_SIM_STATE: sb.statePath, PROVISION_SIM_UID: '501' });
    const e = await writeDefault(forgetful, 'com.apple.iPhoto', 'RootDirectory', LIBRARY).catch((x: unknown) => x);
    expect(isProvisionError(e) && e.code).toBe('COMMAND_FAILED');
  });

  it('on a dry-run host records the write and does not read it back', async () => {
    const dry = new DryRunHost(host);
    await writeDefault(dry, 'com.apple.iPhoto', 'RootDirectory', LIBRARY, 'alex');
    expect(dry.journal).toEqual([
      { op: 'mutate', args: ['sudo', ['-n', '-u', 'alex', '--', 'defaults', 'write', 'com.apple.iPhoto', 'RootDirectory', '-string', LIBRARY]] },
    ]);
    await expect(fs.access(sb.statePath)).rejects.toThrow();
  });
});
