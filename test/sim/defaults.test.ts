import fs from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimSandbox, type SimSandbox } from './run-sim.js';

const ALEX = { PROVISION_SIM_UID: '501' };
const BOB = { PROVISION_SIM_UID: '502' };
const LIBRARY = '/Volumes/Photos/iPhoto Library';
/** The log-style prefix line real defaults prints before its message. */
const PREFIX = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} defaults\[\d+:\d+\] \n/;

describe('sim defaults', () => {
  let sb: SimSandbox;
  beforeEach(async () => {
    sb = await createSimSandbox();
  });
  afterEach(async () => {
    await sb.remove();
  });

  it('reports a missing key with the domain/default pair message and exit 1', async () => {
    const r = await sb.run('defaults', ['read', 'com.apple.iPhoto', 'RootDirectory'], { env: ALEX });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(PREFIX);
    expect(r.stderr).toContain('The domain/default pair of (com.apple.iPhoto, RootDirectory) does not exist\n');
  });

  it('reports a missing domain with exit 1', async () => {
    const r = await sb.run('defaults', ['read', 'com.apple.iPhoto'], { env: ALEX });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Domain com.apple.iPhoto does not exist\n');
  });

  it('writes silently, reads the value back on one line, and saves it under the uid', async () => {
    const w = await sb.run('defaults', ['write', 'com.apple.iPhoto', 'RootDirectory', LIBRARY], { env: ALEX });
    expect(w).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    const r = await sb.run('defaults', ['read', 'com.apple.iPhoto', 'RootDirectory'], { env: ALEX });
    expect(r).toEqual({ exitCode: 0, stdout: `${LIBRARY}\n`, stderr: '' });
    expect(await sb.readState()).toEqual({ defaults: { users: { '501': { 'com.apple.iPhoto': { RootDirectory: LIBRARY } } } } });
    expect(await fs.readdir(sb.dir)).toEqual(['state.json']);
  });

  it('keeps each user’s domains apart', async () => {
    await sb.run('defaults', ['write', 'com.apple.iPhoto', 'RootDirectory', LIBRARY], { env: ALEX });
    const other = await sb.run('defaults', ['read', 'com.apple.iPhoto', 'RootDirectory'], { env: BOB });
    expect(other.exitCode).toBe(1);
    await sb.run('defaults', ['write', 'com.apple.iPhoto', 'RootDirectory', '/Users/bob/Pictures/iPhoto Library'], { env: BOB });
    expect((await sb.run('defaults', ['read', 'com.apple.iPhoto', 'RootDirectory'], { env: ALEX })).stdout).toBe(`${LIBRARY}\n`);
  });

  it('accepts -string, -int and -bool, and prints numbers and booleans as defaults does', async () => {
    await sb.writeState({ scutil: { ComputerName: 'iMac' } });
    expect((await sb.run('defaults', ['write', 'd', 'S', '-string', '(a, b)'], { env: ALEX })).exitCode).toBe(0);
    expect((await sb.run('defaults', ['write', 'd', 'N', '-int', '42'], { env: ALEX })).exitCode).toBe(0);
    expect((await sb.run('defaults', ['write', 'd', 'B', '-bool', 'YES'], { env: ALEX })).exitCode).toBe(0);
    expect((await sb.run('defaults', ['read', 'd', 'S'], { env: ALEX })).stdout).toBe('(a, b)\n');
    expect((await sb.run('defaults', ['read', 'd', 'N'], { env: ALEX })).stdout).toBe('42\n');
    expect((await sb.run('defaults', ['read', 'd', 'B'], { env: ALEX })).stdout).toBe('1\n');
    expect(await sb.readState()).toEqual({ scutil: { ComputerName: 'iMac' }, defaults: { users: { '501': { d: { S: '(a, b)', N: 42, B: true } } } } });
  });

  it('prints a whole domain as old-style plist text, quoting only where needed', async () => {
    await sb.writeState({
      defaults: { users: { '501': { 'com.apple.iPhoto': { RootDirectory: LIBRARY, Plain: '/Users/alex/Pictures', 'Odd Key': 'say "hi"', Count: 3, On: false } } } },
    });
    const r = await sb.run('defaults', ['read', 'com.apple.iPhoto'], { env: ALEX });
    expect(r).toEqual({
      exitCode: 0,
      stderr: '',
      stdout: [
        '{',
        '    Count = 3;',
        '    "Odd Key" = "say \\"hi\\"";',
        '    On = 0;',
        '    Plain = /Users/alex/Pictures;',
        `    RootDirectory = "${LIBRARY}";`,
        '}',
        '',
      ].join('\n'),
    });
  });

  it('deletes a key, and reports deleting a missing one with exit 1', async () => {
    await sb.writeState({ defaults: { users: { '501': { d: { A: 'x', B: 'y' } } } } });
    expect(await sb.run('defaults', ['delete', 'd', 'A'], { env: ALEX })).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(await sb.readState()).toEqual({ defaults: { users: { '501': { d: { B: 'y' } } } } });
    const again = await sb.run('defaults', ['delete', 'd', 'A'], { env: ALEX });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain('not found');
    expect(await sb.run('defaults', ['delete', 'd', 'B'], { env: ALEX })).toMatchObject({ exitCode: 0 });
    expect(await sb.readState()).toEqual({ defaults: { users: { '501': {} } } });
  });

  it('follows the real uid when PROVISION_SIM_UID is not set', async () => {
    const uid = String(process.getuid?.() ?? 1000);
    await sb.writeState({ defaults: { users: { [uid]: { d: { K: 'mine' } } } } });
    expect((await sb.run('defaults', ['read', 'd', 'K'])).stdout).toBe('mine\n');
  });

  it.each([[[]], [['read']], [['read', 'd', 'k', 'x']], [['write', 'd', 'k']], [['write', 'd', 'k', '-int', 'many']], [['write', 'd', 'k', '-data', '00']], [['domains']], [['-currentHost', 'read', 'd']]])(
    'prints usage on stderr and exits 1 for %j',
    async (args) => {
      const r = await sb.run('defaults', args, { env: ALEX });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('usage: defaults');
    },
  );

  it.each([
    ['a corrupt state file', '{ nope', ['read', 'd', 'k']],
    ['a wrongly typed value', JSON.stringify({ defaults: { users: { '501': { d: { k: [1] } } } } }), ['read', 'd', 'k']],
    ['users not an object', JSON.stringify({ defaults: { users: [] } }), ['read', 'd', 'k']],
    ['a domain given as a ~ path no shell expanded', '{}', ['read', '~/Library/Preferences/d', 'k']],
  ])('exits 70 (simulator fault) on %s', async (_what, text, args) => {
    await fs.writeFile(sb.statePath, text);
    const r = await sb.run('defaults', args, { env: ALEX });
    expect(r.exitCode).toBe(70);
    expect(r.stderr).toContain('simulator fault');
  });

  it('takes the path of a plist file as the domain, with or without .plist, as one domain', async () => {
    const domain = '/Users/alex/Library/Containers/com.apple.photolibraryd/Data/Library/Preferences/com.apple.photolibraryd';
    await fs.writeFile(sb.statePath, JSON.stringify({ defaults: { users: { '501': { [domain]: { SystemLibraryPath: '/Volumes/A/Photos Library.photoslibrary' } } } } }));
    for (const d of [domain, `${domain}.plist`]) {
      const r = await sb.run('defaults', ['read', d, 'SystemLibraryPath'], { env: ALEX });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe('/Volumes/A/Photos Library.photoslibrary\n');
    }
  });

  it('exits 70 when asked to write without a state file', async () => {
    const r = await sb.run('defaults', ['write', 'd', 'k', 'v'], { env: { ...ALEX, PROVISION_SIM_STATE: '' } });
    expect(r.exitCode).toBe(70);
  });
});
