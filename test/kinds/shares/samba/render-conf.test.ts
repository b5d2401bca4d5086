import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../../src/host/fs/run-command.js';
import { renderProvisionConf, type SambaShare } from '../../../../src/kinds/shares/samba/render-conf.js';
import { checkSambaConfig } from '../../../../src/kinds/shares/samba/testparm.js';
import { makeTempDir, removeTempDir } from '../../../host/fs/temp-dir.js';
import { testparmSkipReason } from '../../../helpers/samba-server.js';

const backups: SambaShare = { name: 'Backups', path: '/srv/drive/Backups', validUsers: ['sam', 'alex'], timeMachine: true, maxSize: '2T' };
const photos: SambaShare = { name: 'photos', path: '/srv/drive/Photo Library', validUsers: ['alex'], timeMachine: false };
const archive: SambaShare = { name: 'Archive', path: '/srv/archive', validUsers: ['alex'], timeMachine: true };

describe('renderProvisionConf', () => {
  it('renders a header, the fruit globals and one section per share', () => {
    expect(renderProvisionConf([backups])).toBe(
      [
        '# Written by provision. Do not edit: provision overwrites this file on every apply.',
        '# It is included at the end of smb.conf; remove the share from the declaration instead.',
        '',
        '[global]',
        '   fruit:aapl = yes',
        '   fruit:model = MacSamba',
        '',
        '[Backups]',
        '   path = /srv/drive/Backups',
        '   valid users = "alex" "sam"',
        '   guest ok = no',
        '   read only = no',
        '   browseable = yes',
        '   create mask = 0600',
        '   directory mask = 0700',
        '   vfs objects = catia fruit streams_xattr',
        '   fruit:metadata = stream',
        '   fruit:time machine = yes',
        '   fruit:time machine max size = 2T',
        '',
      ].join('\n'),
    );
  });

  it('gives the same bytes for the same shares in any order, sorted by name ignoring case', () => {
    const one = renderProvisionConf([photos, backups, archive]);
    const two = renderProvisionConf([archive, { ...backups, validUsers: ['alex', 'sam', 'alex'] }, photos]);
    expect(two).toBe(one);
    const headers = one.split('\n').filter((l) => l.startsWith('['));
    expect(headers).toEqual(['[global]', '[Archive]', '[Backups]', '[photos]']);
  });

  it('puts fruit on every share, and Time Machine only on Time Machine shares', () => {
    const text = renderProvisionConf([photos, archive]);
    const [archiveSection, photosSection] = text.split('\n\n').slice(2);
    expect(photosSection).toContain('vfs objects = catia fruit streams_xattr');
    expect(photosSection).not.toContain('time machine');
    expect(archiveSection).toContain('fruit:time machine = yes');
    expect(archiveSection).not.toContain('max size');
  });

  it('quotes every user name, so a name with a space stays one name', () => {
    expect(renderProvisionConf([{ ...photos, validUsers: ['Alex Smith', 'sam'] }])).toContain('valid users = "Alex Smith" "sam"');
  });

  it('writes no [global] when there is no share, so nothing of smb.conf is overridden', () => {
    const text = renderProvisionConf([]);
    expect(text).not.toContain('[');
    expect(text).toContain('Written by provision');
  });

  it.each([
    ['a ]', { ...photos, name: 'Bad]Name' }, /contains "\]"/],
    ['a [', { ...photos, name: 'Bad[Name' }, /contains "\["/],
    ['a line feed', { ...photos, name: 'Bad\nName' }, /U\+000A/],
    ['a %', { ...photos, name: 'Backup%U' }, /contains "%"/],
    ['a slash', { ...photos, name: 'a/b' }, /contains "\/"/],
    ['an empty name', { ...photos, name: '' }, /empty/],
    ['a leading space', { ...photos, name: ' Backups' }, /starts or ends with a space/],
    ['two spaces in a row', { ...photos, name: 'My  Backups' }, /spaces in a row/],
    ['a reserved name', { ...photos, name: 'Global' }, /reserved/],
    ['a name over 80 characters', { ...photos, name: 'x'.repeat(81) }, /longer than 80/],
  ])('refuses a share name with %s', (_what, share, message) => {
    expect(() => renderProvisionConf([share])).toThrow(message);
  });

  it.each([
    ['a quote', 'al"ex', /contains """/],
    ['a comma', 'alex,sam', /contains ","/],
    ['a line feed', 'alex\n[evil]', /U\+000A/],
    ['a group marker', '@staff', /group/],
    ['a domain separator', 'DOMAIN\\alex', /contains "\\"/],
    ['a %', '%U', /contains "%"/],
    ['an empty name', '', /empty user name/],
  ])('refuses a user name with %s', (_what, user, message) => {
    expect(() => renderProvisionConf([{ ...photos, validUsers: [user] }])).toThrow(message);
  });

  it('refuses a share without users: an empty valid users would let everyone in', () => {
    expect(() => renderProvisionConf([{ ...photos, validUsers: [] }])).toThrow(/no users/);
  });

  it('refuses two shares whose names differ only in case', () => {
    expect(() => renderProvisionConf([backups, { ...archive, name: 'BACKUPS' }])).toThrow(/same name/);
  });

  it.each([
    ['a relative path', 'srv/x', /not absolute/],
    ['a line feed', '/srv/x\n[evil]', /U\+000A/],
    ['a %', '/srv/%U', /contains "%"/],
    ['a trailing backslash', '/srv/x\\', /backslash/],
    ['a trailing space', '/srv/x ', /space/],
  ])('refuses a path with %s', (_what, p, message) => {
    expect(() => renderProvisionConf([{ ...photos, path: p }])).toThrow(message);
  });

  it('refuses a max size not in Samba form, or on a share that is not for Time Machine', () => {
    expect(() => renderProvisionConf([{ ...backups, maxSize: '2TB' }])).toThrow(/Samba's form/);
    expect(() => renderProvisionConf([{ ...backups, maxSize: '2T\n[x]' }])).toThrow(/Samba's form/);
    expect(() => renderProvisionConf([{ ...photos, maxSize: '2T' }])).toThrow(/not a Time Machine share/);
  });
});

const noTestparm = testparmSkipReason();

describe.skipIf(noTestparm !== undefined)(`rendered configurations under the real testparm${noTestparm === undefined ? '' : ` (skipped: ${noTestparm})`}`, () => {
  let dir = '';
  beforeAll(async () => {
    dir = await makeTempDir('provision-samba-render-');
  });
  afterAll(async () => {
    await removeTempDir(dir);
  });

  const cases: [string, SambaShare[]][] = [
    ['no shares', []],
    ['one Time Machine share with a max size', [backups]],
    ['several shares', [photos, backups, archive]],
    ['a user name with a space', [{ ...photos, validUsers: ['Alex Smith'] }]],
  ];
  it.each(cases)('testparm accepts %s, with no warnings', async (name, shares) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.conf`);
    await fs.writeFile(file, renderProvisionConf(shares));
    expect(await checkSambaConfig(runCommand, file)).toEqual({ ok: true, warnings: [] });
  });

  it('included at the end of smb.conf, its [global] applies and its shares keep their own settings', async () => {
    const provisionConf = path.join(dir, 'provision.conf');
    await fs.writeFile(provisionConf, renderProvisionConf([backups]));
    const smbConf = path.join(dir, 'smb.conf');
    // The machine's own last section is a share with fruit, so the include line lands in it.
    await fs.writeFile(
      smbConf,
      ['[global]', '   fruit:aapl = no', '   fruit:model = Xserve', '[media]', '   path = /srv/media', '   vfs objects = catia fruit streams_xattr', `include = ${provisionConf}`, ''].join('\n'),
    );
    const value = async (section: string | undefined, parameter: string): Promise<string> => {
      const args = ['--suppress-prompt', `--parameter-name=${parameter}`, ...(section === undefined ? [] : [`--section-name=${section}`]), smbConf];
      const result = await runCommand('testparm', args);
      expect(result.exitCode, result.stderr).toBe(0);
      return result.stdout.trim();
    };
    // Read last, provision's globals win.
    expect(await value(undefined, 'fruit:aapl')).toBe('yes');
    expect(await value(undefined, 'fruit:model')).toBe('MacSamba');
    expect(await value('Backups', 'fruit:time machine max size')).toBe('2T');
    expect(await value('Backups', 'valid users')).toBe('alex sam');
    // fruit:metadata is per share, so the machine's own share keeps the default (netatalk).
    const media = await runCommand('testparm', ['--suppress-prompt', '--section-name=media', '--parameter-name=fruit:metadata', smbConf]);
    expect(media.exitCode).not.toBe(0);
    expect(await checkSambaConfig(runCommand, smbConf)).toEqual({ ok: true, warnings: [] });
  });
});
