import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimSandbox, type SimResult, type SimSandbox } from './run-sim.js';
import { parseSharingList } from '../../src/kinds/shares/mac/sharing-list.js';

const ROOT = { PROVISION_SIM_UID: '0' };
const USER = { PROVISION_SIM_UID: '501' };

/** The `sharing -l` layout sim/README.md documents: blank line, tab-indented header, per-share blocks. */
const HEADER = '\n\t\t\tList of Share Points\n';
function block(name: string, sharePath: string, smb: string, shared: 0 | 1, guest: 0 | 1, readOnly: 0 | 1): string {
  return [
    `name:\t\t${name}`,
    `path:\t\t${sharePath}`,
    '\tsmb:\t{',
    `    \t\tname:\t${smb}`,
    `    \t\tshared:\t${shared}`,
    `    \t\tguest access:\t${guest}`,
    `    \t\tread-only:\t${readOnly}`,
    '\t}',
    '',
  ].join('\n');
}

const NOT_ROOT = 'sharing: must be run as root to add, edit or remove share points\n';

interface StoredShare {
  name: string;
  path: string;
  smbName?: string;
  shared: boolean;
  guest: boolean;
  readOnly: boolean;
  encrypted: boolean;
  attributes: Record<string, string>;
}

describe('sim sharing', () => {
  let sb: SimSandbox;
  let folder: string;
  let other: string;
  beforeEach(async () => {
    sb = await createSimSandbox();
    folder = path.join(sb.dir, 'Time Machine');
    other = path.join(sb.dir, 'Media');
    await fs.mkdir(folder);
    await fs.mkdir(other);
  });
  afterEach(async () => {
    await sb.remove();
  });

  const sharing = (args: string[], env: Record<string, string> = ROOT): Promise<SimResult> => sb.run('sharing', args, { env });
  async function shares(): Promise<StoredShare[]> {
    return ((await sb.readState()) as { sharing: { shares: StoredShare[] } }).sharing.shares;
  }
  function usage(r: SimResult): void {
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith('usage: sharing -a <path>')).toBe(true);
  }
  function fault(r: SimResult, text: string): void {
    expect(r.exitCode).toBe(70);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('sharing (simulator fault): ');
    expect(r.stderr).toContain(text);
  }

  describe('-l', () => {
    it('prints only the header on a fresh Mac (no file), even for a normal user', async () => {
      expect(await sharing(['-l'], USER)).toEqual({ exitCode: 0, stdout: HEADER, stderr: '' });
    });

    it('prints each share point in list order, in the exact layout', async () => {
      await sb.writeState({
        sharing: {
          shares: [
            { name: 'Public Folder', path: '/Users/me/Public', shared: true, guest: true, readOnly: false },
            { name: 'TM', path: '/Volumes/Backup/TM', smbName: 'Time Machine', shared: true, guest: false, readOnly: true },
            { name: 'Off', path: '/Users/me/Off', shared: false, guest: false, readOnly: false },
          ],
        },
      });
      expect(await sharing(['-l'], USER)).toEqual({
        exitCode: 0,
        stdout:
          HEADER +
          block('Public Folder', '/Users/me/Public', 'Public Folder', 1, 1, 0) +
          block('TM', '/Volumes/Backup/TM', 'Time Machine', 1, 0, 1) +
          block('Off', '/Users/me/Off', 'Off', 0, 0, 0),
        stderr: '',
      });
    });

    it('as an older release (olderRelease), adds afp and ftp blocks with names of their own, which the parser does not take for shares', async () => {
      await sb.writeState({ sharing: { olderRelease: true, shares: [{ name: 'TM', path: '/Volumes/Backup/TM', smbName: 'Time Machine', shared: true, guest: false, readOnly: false }] } });
      const out = (await sharing(['-l'], USER)).stdout;
      expect(out).toContain('\tafp:\t{\n    \t\tname:\tTM\n');
      expect(out).toContain('\tftp:\t{\n');
      expect(parseSharingList(out)).toEqual([{ name: 'TM', path: '/Volumes/Backup/TM', smbShared: true, smbGuest: false }]);
    });

    it('fills the flags a state file leaves out with the -a defaults', async () => {
      await sb.writeState({ sharing: { shares: [{ name: 'A', path: '/a' }] } });
      expect((await sharing(['-l'])).stdout).toBe(HEADER + block('A', '/a', 'A', 1, 1, 0));
    });
  });

  describe('-a', () => {
    it('adds a share named after the folder, shared with guest access, read-write', async () => {
      expect(await sharing(['-a', folder])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect(await shares()).toEqual([
        { name: 'Time Machine', path: folder, shared: true, guest: true, readOnly: false, encrypted: false, attributes: {} },
      ]);
      expect((await sharing(['-l'])).stdout).toBe(HEADER + block('Time Machine', folder, 'Time Machine', 1, 1, 0));
    });

    it('takes -n, -S, -s, -g, -R and -E in any order', async () => {
      const r = await sharing(['-a', `${folder}/`, '-S', 'TimeMachine', '-s', '001', '-g', '000', '-n', 'tm', '-R', '1', '-E', '1']);
      expect(r).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect(await shares()).toEqual([
        { name: 'tm', path: folder, smbName: 'TimeMachine', shared: true, guest: false, readOnly: true, encrypted: true, attributes: {} },
      ]);
      expect((await sharing(['-l'])).stdout).toBe(HEADER + block('tm', folder, 'TimeMachine', 1, 0, 1));
    });

    it('reads only the smb digit of -s and -g', async () => {
      await sharing(['-a', folder, '-s', '100', '-g', '101']);
      await sharing(['-a', other, '-s', '011', '-g', '110']);
      expect((await shares()).map((s) => [s.shared, s.guest])).toEqual([
        [false, true],
        [true, false],
      ]);
    });

    it('keeps the other sections and the existing shares', async () => {
      await sb.writeState({ scutil: { ComputerName: 'Mac' }, sharing: { shares: [{ name: 'Old', path: '/old' }] } });
      await sharing(['-a', folder]);
      const state = (await sb.readState()) as { scutil: unknown; sharing: { shares: StoredShare[] } };
      expect(state.scutil).toEqual({ ComputerName: 'Mac' });
      expect(state.sharing.shares.map((s) => s.name)).toEqual(['Old', 'Time Machine']);
    });

    it('refuses a normal user and saves nothing', async () => {
      expect(await sharing(['-a', folder], USER)).toEqual({ exitCode: 1, stdout: '', stderr: NOT_ROOT });
      await expect(fs.stat(sb.statePath)).rejects.toThrow();
    });

    it('refuses a path that does not exist, or is not a folder', async () => {
      const missing = path.join(sb.dir, 'nope');
      expect(await sharing(['-a', missing])).toEqual({ exitCode: 1, stdout: '', stderr: `sharing: ${missing}: No such file or directory\n` });
      const file = path.join(sb.dir, 'file.txt');
      await fs.writeFile(file, 'x');
      expect(await sharing(['-a', file])).toEqual({ exitCode: 1, stdout: '', stderr: `sharing: ${file}: Not a directory\n` });
    });

    it('refuses a second share point with the same name, or for the same folder', async () => {
      await sharing(['-a', folder, '-n', 'TM']);
      expect(await sharing(['-a', other, '-n', 'TM'])).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: 'sharing: a share point named "TM" already exists\n',
      });
      expect(await sharing(['-a', folder, '-n', 'Again'])).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: `sharing: ${folder} is already shared as "TM"\n`,
      });
      expect((await shares()).map((s) => s.name)).toEqual(['TM']);
    });
  });

  describe('-e and -r', () => {
    beforeEach(async () => {
      await sb.writeState({
        sharing: {
          shares: [
            { name: 'TM', path: folder, attributes: { 'dsAttrTypeNative:timeMachineBackup': '1' } },
            { name: 'Media', path: other },
          ],
        },
      });
    });

    it('edits only the options given, keeping the record’s other attributes', async () => {
      expect(await sharing(['-e', 'TM', '-g', '000', '-S', 'Time Machine'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect((await shares())[0]).toEqual({
        name: 'TM',
        path: folder,
        smbName: 'Time Machine',
        shared: true,
        guest: false,
        readOnly: false,
        encrypted: false,
        attributes: { 'dsAttrTypeNative:timeMachineBackup': '1' },
      });
      await sharing(['-e', 'TM', '-s', '000', '-R', '1']);
      expect((await sharing(['-l'])).stdout).toContain(block('TM', folder, 'Time Machine', 0, 0, 1));
    });

    it('renames with -n, the attributes moving with the record', async () => {
      expect((await sharing(['-e', 'TM', '-n', 'Backups'])).exitCode).toBe(0);
      const [first] = await shares();
      expect(first?.name).toBe('Backups');
      expect(first?.attributes).toEqual({ 'dsAttrTypeNative:timeMachineBackup': '1' });
    });

    it('refuses renaming onto another share point', async () => {
      expect(await sharing(['-e', 'TM', '-n', 'Media'])).toEqual({
        exitCode: 1,
        stdout: '',
        stderr: 'sharing: a share point named "Media" already exists\n',
      });
    });

    it('accepts -e with no options and changes nothing', async () => {
      const listed = (await sharing(['-l'])).stdout;
      expect(await sharing(['-e', 'TM'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect((await sharing(['-l'])).stdout).toBe(listed);
      expect((await shares())[0]).toEqual({
        name: 'TM',
        path: folder,
        shared: true,
        guest: true,
        readOnly: false,
        encrypted: false,
        attributes: { 'dsAttrTypeNative:timeMachineBackup': '1' },
      });
    });

    it('removes a share point by name', async () => {
      expect(await sharing(['-r', 'TM'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect((await shares()).map((s) => s.name)).toEqual(['Media']);
    });

    it('refuses an unknown name for -e and -r', async () => {
      const refusal = { exitCode: 1, stdout: '', stderr: 'sharing: no share point named "Nope"\n' };
      expect(await sharing(['-e', 'Nope', '-s', '001'])).toEqual(refusal);
      expect(await sharing(['-r', 'Nope'])).toEqual(refusal);
    });

    it('refuses a normal user, changing nothing', async () => {
      const before = await fs.readFile(sb.statePath, 'utf8');
      expect(await sharing(['-e', 'TM', '-g', '000'], USER)).toEqual({ exitCode: 1, stdout: '', stderr: NOT_ROOT });
      expect(await sharing(['-r', 'TM'], USER)).toEqual({ exitCode: 1, stdout: '', stderr: NOT_ROOT });
      expect(await fs.readFile(sb.statePath, 'utf8')).toBe(before);
    });
  });

  describe('bad arguments', () => {
    it('prints the usage and exits 1', async () => {
      for (const args of [
        [],
        ['-l', '-r', 'TM'],
        ['-a'],
        ['-a', ''],
        ['-l', '-s', '001'],
        ['-r', 'TM', '-g', '000'],
        ['-a', folder, '-s', '01'],
        ['-a', folder, '-g', '002'],
        ['-a', folder, '-R', 'yes'],
        ['-a', folder, '-E'],
        ['-a', folder, '-x', '1'],
        ['-a', folder, 'extra'],
      ]) {
        usage(await sharing(args));
      }
    });

    it('checks the arguments before root', async () => {
      usage(await sharing(['-a', folder, '-s', '2'], USER));
    });
  });

  describe('simulator faults (exit 70)', () => {
    it('flags options of the real tool it does not model', async () => {
      fault(await sharing(['-a', folder, '-A', 'afpname']), 'option -A is not simulated');
      fault(await sharing(['-l', '-f', 'json']), 'option -f is not simulated');
      fault(await sharing(['-e', 'TM', '-i', '10']), 'option -i is not simulated');
    });

    it('flags a malformed sharing section', async () => {
      const cases: [unknown, string][] = [
        [{ shares: {} }, 'sharing.shares must be a JSON array'],
        [{ shares: [{ name: 'A' }] }, 'sharing.shares[0].path must be an absolute path'],
        [{ shares: [{ name: '', path: '/a' }] }, 'sharing.shares[0].name must be a non-empty string'],
        [{ shares: [{ name: 'A', path: '/a', guest: 'yes' }] }, 'sharing.shares[0].guest must be true or false'],
        [{ shares: [{ name: 'A', path: '/a' }, { name: 'A', path: '/b' }] }, 'two share points are named "A"'],
        [{ shares: [{ name: 'A', path: '/a', attributes: { timeMachineBackup: '1' } }] }, 'must be named "dsAttrTypeNative:<name>"'],
        [{ shares: [{ name: 'A', path: '/a', attributes: { 'dsAttrTypeNative:x': 1 } }] }, 'must be a string'],
        [
          { shares: [{ name: 'A', path: '/a', attributes: { 'dsAttrTypeNative:smb_shared': '1' } }] },
          'comes from the share itself',
        ],
        [[], 'state section "sharing" must be a JSON object'],
      ];
      for (const [section, text] of cases) {
        await sb.writeState({ sharing: section });
        fault(await sharing(['-l']), text);
      }
    });

    it('flags a state file that is not JSON, a change with no state file, and a bad PROVISION_SIM_UID', async () => {
      await fs.writeFile(sb.statePath, '{ nope');
      fault(await sharing(['-l']), 'is not valid JSON');
      fault(await sharing(['-a', folder], { ...ROOT, PROVISION_SIM_STATE: '' }), 'PROVISION_SIM_STATE is not set');
      fault(await sharing(['-r', 'TM'], { PROVISION_SIM_UID: 'root' }), 'PROVISION_SIM_UID must be a non-negative integer');
    });
  });
});
