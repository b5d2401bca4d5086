import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../../src/host/fs/run-command.js';
import { checkSambaConfig, type CommandOutput } from '../../../../src/kinds/shares/samba/testparm.js';
import { makeTempDir, removeTempDir } from '../../../host/fs/temp-dir.js';
import { testparmSkipReason } from '../../../helpers/samba-server.js';

describe('checkSambaConfig on canned output', () => {
  const canned = (output: CommandOutput) => async (cmd: string, args: readonly string[]) => {
    expect([cmd, ...args]).toEqual(['testparm', '--suppress-prompt', '/etc/samba/smb.conf']);
    return output;
  };

  it('says testparm is missing when the command is not found', async () => {
    const result = await checkSambaConfig(canned({ exitCode: 127, stdout: '', stderr: 'testparm: command not found' }), '/etc/samba/smb.conf');
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/testparm was not found/) });
  });

  it('reports a non-zero exit without an explanation by its code', async () => {
    const result = await checkSambaConfig(canned({ exitCode: 1, stdout: '', stderr: 'Load smb config files from /etc/samba/smb.conf\n' }), '/etc/samba/smb.conf');
    expect(result).toEqual({ ok: false, message: 'testparm rejects /etc/samba/smb.conf:\ntestparm exited with 1' });
  });
});

const noTestparm = testparmSkipReason();

describe.skipIf(noTestparm !== undefined)(`checkSambaConfig with the real testparm${noTestparm === undefined ? '' : ` (skipped: ${noTestparm})`}`, () => {
  let dir = '';
  beforeAll(async () => {
    dir = await makeTempDir('provision-testparm-');
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  async function check(name: string, lines: string[]): ReturnType<typeof checkSambaConfig> {
    const file = path.join(dir, `${name}.conf`);
    await fs.writeFile(file, `${lines.join('\n')}\n`);
    return checkSambaConfig(runCommand, file);
  }

  const share = ['[Backups]', '   path = /srv/backups', '   valid users = "alex"', '   read only = no'];

  it('accepts a good configuration', async () => {
    expect(await check('good', ['[global]', '   fruit:model = MacSamba', ...share, '   vfs objects = catia fruit streams_xattr'])).toEqual({ ok: true, warnings: [] });
  });

  it('passes on warnings, such as shares with and without fruit side by side', async () => {
    const result = await check('mixed', ['[global]', ...share, '   vfs objects = catia fruit streams_xattr', '[plain]', '   path = /srv/plain']);
    expect(result).toEqual({ ok: true, warnings: [expect.stringMatching(/^WARNING: some services use vfs_fruit, others don't/)] });
  });

  it('refuses a misspelt setting, which Samba would ignore (here: a share open to everyone)', async () => {
    const result = await check('unknown', ['[global]', '[Backups]', '   path = /srv/backups', '   valid user = "alex"']);
    expect(result).toEqual({ ok: false, message: expect.stringContaining('Unknown parameter encountered: "valid user"') });
  });

  it('refuses a value of the wrong type (testparm exits 1)', async () => {
    const result = await check('not-boolean', ['[global]', ...share.slice(0, 3), '   read only = maybe']);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain('value is not boolean');
      expect(result.message).toContain('Error loading services');
    }
  });

  it('refuses an unfinished section header', async () => {
    const result = await check('header', ['[global]', '[Backups', '   path = /srv/backups']);
    expect(result).toEqual({ ok: false, message: expect.stringContaining('Error loading services') });
  });

  it('refuses an invalid choice', async () => {
    const result = await check('enum', ['[global]', '   server role = bogus', ...share]);
    expect(result).toEqual({ ok: false, message: expect.stringContaining("Ignoring invalid value 'bogus' for parameter 'server role'") });
  });

  it('refuses an ERROR from the global checks', async () => {
    const result = await check('state-dir', ['[global]', `   state directory = ${path.join(dir, 'missing')}`, ...share]);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/ERROR: state directory .* does not exist/) });
  });

  it('refuses a file that does not exist', async () => {
    const result = await checkSambaConfig(runCommand, path.join(dir, 'absent.conf'));
    expect(result).toEqual({ ok: false, message: expect.stringContaining('Error loading services') });
  });

  it('cannot see bad fruit values or a missing module: documented limits, only a real connect can', async () => {
    const result = await check('limits', ['[global]', ...share, '   vfs objects = nosuchmodule', '   fruit:time machine = maybe']);
    expect(result).toEqual({ ok: true, warnings: [] });
  });
});
