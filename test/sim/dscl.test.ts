import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSimSandbox, type SimResult, type SimSandbox } from './run-sim.js';

const ROOT = { PROVISION_SIM_UID: '0' };
const USER = { PROVISION_SIM_UID: '501' };

/** The Time Machine attributes sim/lib/sharing-store.js names (both assumed, see sim/README.md). */
const TM_FLAG = 'dsAttrTypeNative:timeMachineBackup';
const TM_QUOTA = 'dsAttrTypeNative:backupQuotaSize';

const RECORD_NOT_FOUND = { exitCode: 56, stdout: '', stderr: '<dscl_cmd> DS Error: -14136 (eDSRecordNotFound)\n' };
const PERMISSION = {
  exitCode: 40,
  stdout: '',
  stderr: '<main> attribute status: eDSPermissionError\n<dscl_cmd> DS Error: -14120 (eDSPermissionError)\n',
};
const NO_ATTRIBUTE = {
  exitCode: 54,
  stdout: '',
  stderr: '<main> attribute status: eDSAttributeNotFound\n<dscl_cmd> DS Error: -14134 (eDSAttributeNotFound)\n',
};

const SHARES = {
  sharing: {
    shares: [
      {
        name: 'TM',
        path: '/Volumes/Backup/TM',
        smbName: 'Time Machine',
        guest: false,
        attributes: { [TM_FLAG]: '1', [TM_QUOTA]: '500000000000' },
      },
      { name: 'Media', path: '/Users/me/Media' },
      { name: 'Apps', path: '/Applications' },
    ],
  },
};

interface StoredShare {
  name: string;
  attributes: Record<string, string>;
}

describe('sim dscl', () => {
  let sb: SimSandbox;
  beforeEach(async () => {
    sb = await createSimSandbox();
  });
  afterEach(async () => {
    await sb.remove();
  });

  const dscl = (args: string[], env: Record<string, string> = ROOT): Promise<SimResult> => sb.run('dscl', args, { env });
  async function attributesOf(name: string): Promise<Record<string, string> | undefined> {
    const state = (await sb.readState()) as { sharing: { shares: StoredShare[] } };
    return state.sharing.shares.find((s) => s.name === name)?.attributes;
  }
  function fault(r: SimResult, text: string): void {
    expect(r.exitCode).toBe(70);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('dscl (simulator fault): ');
    expect(r.stderr).toContain(text);
  }

  describe('-list /SharePoints', () => {
    it('prints nothing on a fresh Mac', async () => {
      expect(await dscl(['.', '-list', '/SharePoints'], USER)).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    });

    it('prints the record names sorted, one a line, for any user', async () => {
      await sb.writeState(SHARES);
      expect(await dscl(['.', '-list', '/SharePoints'], USER)).toEqual({ exitCode: 0, stdout: 'Apps\nMedia\nTM\n', stderr: '' });
      expect((await dscl(['.', '-list', '/SharePoints/'])).stdout).toBe('Apps\nMedia\nTM\n');
    });
  });

  describe('-read', () => {
    beforeEach(async () => {
      await sb.writeState(SHARES);
    });

    it('prints every attribute sorted without regard to case, standard prefix stripped', async () => {
      expect(await dscl(['.', '-read', '/SharePoints/TM'], USER)).toEqual({
        exitCode: 0,
        stdout: [
          'dsAttrTypeNative:backupQuotaSize: 500000000000',
          'dsAttrTypeNative:directory_path: /Volumes/Backup/TM',
          'dsAttrTypeNative:smb_guestaccess: 0',
          'dsAttrTypeNative:smb_name:',
          ' Time Machine',
          'dsAttrTypeNative:smb_shared: 1',
          'dsAttrTypeNative:timeMachineBackup: 1',
          'RecordName: TM',
          'RecordType: dsRecTypeStandard:SharePoints',
          '',
        ].join('\n'),
        stderr: '',
      });
    });

    it('prints the keys asked for, in that order, labelled as given', async () => {
      const r = await dscl(['.', '-read', '/SharePoints/TM', TM_FLAG, 'backupQuotaSize', 'RecordName', 'directory_path'], USER);
      expect(r).toEqual({
        exitCode: 0,
        stdout:
          'dsAttrTypeNative:timeMachineBackup: 1\nbackupQuotaSize: 500000000000\nRecordName: TM\ndirectory_path: /Volumes/Backup/TM\n',
        stderr: '',
      });
    });

    it('says "No such key" on stdout for an attribute the record lacks, exit 0', async () => {
      expect(await dscl(['.', '-read', '/SharePoints/Media', TM_FLAG, 'RecordName'])).toEqual({
        exitCode: 0,
        stdout: `No such key: ${TM_FLAG}\nRecordName: Media\n`,
        stderr: '',
      });
    });

    it('fails with eDSRecordNotFound (exit 56) for an unknown record', async () => {
      expect(await dscl(['.', '-read', '/SharePoints/Nope'])).toEqual(RECORD_NOT_FOUND);
      expect(await dscl(['.', '-read', '/SharePoints/Nope', TM_FLAG], USER)).toEqual(RECORD_NOT_FOUND);
      expect(await dscl(['.', '-read', '/SharePoints/tm'])).toEqual(RECORD_NOT_FOUND);
    });
  });

  describe('-create and -delete', () => {
    beforeEach(async () => {
      await sb.writeState(SHARES);
    });

    it('sets an attribute as root, replacing its value', async () => {
      expect(await dscl(['.', '-create', '/SharePoints/Media', TM_FLAG, '1'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect(await attributesOf('Media')).toEqual({ [TM_FLAG]: '1' });
      await dscl(['.', '-create', '/SharePoints/Media', TM_FLAG, '0']);
      await dscl(['.', '-create', '/SharePoints/Media', 'backupQuotaSize', '250000000000']);
      expect(await attributesOf('Media')).toEqual({ [TM_FLAG]: '0', [TM_QUOTA]: '250000000000' });
    });

    it('refuses a normal user with eDSPermissionError (exit 40), changing nothing', async () => {
      const before = await fs.readFile(sb.statePath, 'utf8');
      expect(await dscl(['.', '-create', '/SharePoints/Media', TM_FLAG, '1'], USER)).toEqual(PERMISSION);
      expect(await dscl(['.', '-delete', '/SharePoints/TM', TM_FLAG], USER)).toEqual(PERMISSION);
      expect(await fs.readFile(sb.statePath, 'utf8')).toBe(before);
    });

    it('removes an attribute as root', async () => {
      expect(await dscl(['.', '-delete', '/SharePoints/TM', TM_QUOTA])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect(await dscl(['.', '-delete', '/SharePoints/TM', 'timeMachineBackup'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
      expect(await attributesOf('TM')).toEqual({});
    });

    it('fails to remove an attribute the record lacks (eDSAttributeNotFound, exit 54)', async () => {
      expect(await dscl(['.', '-delete', '/SharePoints/Media', TM_FLAG])).toEqual(NO_ATTRIBUTE);
    });

    it('fails -delete on an unknown record with eDSRecordNotFound, whoever asks', async () => {
      expect(await dscl(['.', '-delete', '/SharePoints/Nope', TM_FLAG])).toEqual(RECORD_NOT_FOUND);
      expect(await dscl(['.', '-delete', '/SharePoints/Nope', TM_FLAG], USER)).toEqual(RECORD_NOT_FOUND);
    });
  });

  describe('with the sharing simulator', () => {
    it('sees a share added with sharing -a, its Time Machine flag, and its removal', async () => {
      const folder = path.join(sb.dir, 'Backups');
      await fs.mkdir(folder);
      expect((await sb.run('sharing', ['-a', folder, '-S', 'Backups', '-s', '001', '-g', '000'], { env: ROOT })).exitCode).toBe(0);
      expect((await dscl(['.', '-list', '/SharePoints'])).stdout).toBe('Backups\n');

      expect((await dscl(['.', '-create', '/SharePoints/Backups', TM_FLAG, '1'])).exitCode).toBe(0);
      expect((await dscl(['.', '-read', '/SharePoints/Backups', TM_FLAG])).stdout).toBe(`${TM_FLAG}: 1\n`);
      expect((await dscl(['.', '-read', '/SharePoints/Backups', 'directory_path', 'smb_guestaccess'])).stdout).toBe(
        `directory_path: ${folder}\nsmb_guestaccess: 0\n`,
      );

      // A rename with sharing -e carries the attribute along; -r removes the record.
      expect((await sb.run('sharing', ['-e', 'Backups', '-n', 'TimeMachine'], { env: ROOT })).exitCode).toBe(0);
      expect((await dscl(['.', '-read', '/SharePoints/TimeMachine', TM_FLAG])).stdout).toBe(`${TM_FLAG}: 1\n`);
      expect(await dscl(['.', '-read', '/SharePoints/Backups'])).toEqual(RECORD_NOT_FOUND);
      expect((await sb.run('sharing', ['-r', 'TimeMachine'], { env: ROOT })).exitCode).toBe(0);
      expect(await dscl(['.', '-read', '/SharePoints/TimeMachine'])).toEqual(RECORD_NOT_FOUND);
      expect((await dscl(['.', '-list', '/SharePoints'])).stdout).toBe('');
    });
  });

  describe('bad arguments', () => {
    it('prints the usage and exits 1', async () => {
      for (const args of [[], ['.'], ['.', '-frobnicate', '/SharePoints'], ['.', '-read'], ['.', '-list']]) {
        const r = await dscl(args);
        expect(r.exitCode).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr.startsWith('usage: dscl . <command>')).toBe(true);
      }
    });
  });

  describe('simulator faults (exit 70)', () => {
    beforeEach(async () => {
      await sb.writeState(SHARES);
    });

    it('flags nodes, paths, options and commands it does not model', async () => {
      fault(await dscl(['/Local/Default', '-read', '/SharePoints/TM']), 'the node "/Local/Default" is not simulated');
      fault(await dscl(['-plist', '.', '-read', '/SharePoints/TM']), 'the option -plist is not simulated');
      fault(await dscl(['.', '-read', '/Users/root']), 'the path "/Users/root" is not simulated');
      fault(await dscl(['.', '-read', '/SharePoints']), 'this command on /SharePoints itself is not simulated');
      fault(await dscl(['.', '-list', '/SharePoints', 'directory_path']), '-list with a key is not simulated');
      fault(await dscl(['.', '-readall', '/SharePoints']), 'the command -readall is not simulated');
      fault(await dscl(['.', '-append', '/SharePoints/TM', TM_FLAG, '1']), 'the command -append is not simulated');
    });

    it('flags changes it does not model', async () => {
      fault(await dscl(['.', '-create', '/SharePoints/Nope', TM_FLAG, '1']), 'add it with sharing -a first');
      fault(await dscl(['.', '-create', '/SharePoints/TM']), '-create of a whole record');
      fault(await dscl(['.', '-create', '/SharePoints/TM', TM_FLAG]), 'exactly one value');
      fault(await dscl(['.', '-create', '/SharePoints/TM', TM_FLAG, '1', '2']), 'exactly one value');
      fault(await dscl(['.', '-create', '/SharePoints/TM', 'smb_shared', '0']), 'dsAttrTypeNative:smb_shared');
      fault(await dscl(['.', '-create', '/SharePoints/TM', 'RecordName', 'X']), 'dsAttrTypeStandard:RecordName');
      fault(await dscl(['.', '-delete', '/SharePoints/TM']), '-delete of a whole record (use sharing -r)');
      fault(await dscl(['.', '-delete', '/SharePoints/TM', TM_FLAG, '1']), '-delete of single values');
      expect(await attributesOf('TM')).toEqual({ [TM_FLAG]: '1', [TM_QUOTA]: '500000000000' });
    });

    it('flags a malformed sharing section and a change with no state file', async () => {
      await sb.writeState({ sharing: { shares: [{ name: 'TM' }] } });
      fault(await dscl(['.', '-list', '/SharePoints']), 'sharing.shares[0].path must be an absolute path');
      fault(await dscl(['.', '-create', '/SharePoints/TM', TM_FLAG, '1'], { ...ROOT, PROVISION_SIM_STATE: '' }), 'add it with sharing -a first');
    });
  });
});
