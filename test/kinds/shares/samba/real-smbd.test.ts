/**
 * provision.conf served by a real smbd: a Time Machine share for two declared users, reached
 * with smbclient as those users and as one who is not declared; then the share is removed.
 *
 * The share folder is root's, mode 1777 (like /tmp): every declared user can create a backup
 * bundle in it, the sticky bit stops anyone from removing or renaming another's, and the
 * share's create/directory masks (0600/0700) keep each bundle's content to its owner. Samba's
 * `valid users` decides who reaches the folder over the network.
 */

import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../../../src/host/fs/run-command.js';
import { renderProvisionConf } from '../../../../src/kinds/shares/samba/render-conf.js';
import { checkSambaConfig } from '../../../../src/kinds/shares/samba/testparm.js';
import { makeTempDir, removeTempDir } from '../../../host/fs/temp-dir.js';
import { fruitModule, SambaServer, sambaSkipReason, TestUsers, type CommandOutput, type SambaUser } from '../../../helpers/samba-server.js';

const skip = sambaSkipReason();

describe.skipIf(skip !== undefined)(`provision.conf on a real smbd${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
  const users = new TestUsers();
  let base = '';
  let share = '';
  let local = '';
  let includePath = '';
  let server: SambaServer | undefined;
  let alex: SambaUser;
  let sam: SambaUser;
  let eve: SambaUser;

  beforeAll(async () => {
    if ((await fruitModule()) === undefined) {
      throw new Error('vfs_fruit is not installed: install the Debian package samba-vfs-modules');
    }
    base = await makeTempDir('provision-smbd-');
    // The test users must be able to reach the share folder through the temp folder.
    await fs.chmod(base, 0o711);
    share = path.join(base, 'drive', 'Backups');
    await fs.mkdir(share, { recursive: true });
    await fs.chmod(path.join(base, 'drive'), 0o755);
    await fs.chown(share, 0, 0);
    await fs.chmod(share, 0o1777);
    local = path.join(base, 'local');
    await fs.mkdir(local, { mode: 0o700 });
    await fs.mkdir(path.join(base, 'server'), { mode: 0o700 });

    alex = await users.add('alex');
    sam = await users.add('sam');
    eve = await users.add('eve');
    includePath = path.join(base, 'provision.conf');
    await fs.writeFile(
      includePath,
      renderProvisionConf([{ name: 'Backups', path: share, validUsers: [alex.name, sam.name], timeMachine: true, maxSize: '2T' }]),
    );
    server = await SambaServer.start({ dir: path.join(base, 'server'), includePath });
    for (const user of [alex, sam, eve]) await server.setPassword(user);
    expect(await checkSambaConfig(runCommand, server.smbConfPath)).toEqual({ ok: true, warnings: [] });
  });

  afterAll(async () => {
    // Each step runs even when the one before fails: no user or smbd may outlive the test.
    try {
      await server?.stop();
    } finally {
      try {
        await users.remove();
      } finally {
        if (base !== '') await removeTempDir(base);
      }
    }
  });

  async function client(user: SambaUser, commands: string[]): Promise<CommandOutput> {
    if (server === undefined) throw new Error('smbd is not running');
    return server.smbclient('Backups', user, commands);
  }

  function succeeded(result: CommandOutput): void {
    expect(result.exitCode, `${result.stdout}${result.stderr}\n--- smbd log:\n${server?.log() ?? ''}`).toBe(0);
  }

  async function uid(user: SambaUser): Promise<number> {
    return Number((await runCommand('id', ['-u', user.name])).stdout.trim());
  }

  /** A sparse bundle's Info.plist as macOS writes it, one element a line (vfs_fruit did not count one written on a single line). */
  const plist = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '\t<key>CFBundleInfoDictionaryVersion</key>',
    '\t<string>6.0</string>',
    '\t<key>band-size</key>',
    '\t<integer>8388608</integer>',
    '\t<key>diskimage-bundle-type</key>',
    '\t<string>com.apple.diskimage.sparsebundle</string>',
    '\t<key>size</key>',
    '\t<integer>1099511627776</integer>',
    '</dict>',
    '</plist>',
    '',
  ].join('\n');

  it('lets a declared user write a backup bundle and read it back, owned by them and private', async () => {
    await fs.writeFile(path.join(local, 'Info.plist'), plist);
    const put = await client(alex, ['mkdir alex-mac.sparsebundle', 'cd alex-mac.sparsebundle', `put ${local}/Info.plist Info.plist`, `get Info.plist ${local}/back.plist`]);
    succeeded(put);
    expect(await fs.readFile(path.join(local, 'back.plist'), 'utf8')).toBe(plist);

    const bundle = await fs.stat(path.join(share, 'alex-mac.sparsebundle'));
    const file = await fs.stat(path.join(share, 'alex-mac.sparsebundle', 'Info.plist'));
    expect([bundle.uid, file.uid]).toEqual([await uid(alex), await uid(alex)]);
    expect([bundle.mode & 0o7777, file.mode & 0o7777]).toEqual([0o700, 0o600]);
  });

  it('runs vfs_fruit and streams_xattr on the share: the max size is reported, named streams work', async () => {
    const ls = await client(alex, ['ls']);
    succeeded(ls);
    // 2T in Samba's binary units is 2^31 blocks of 1 KiB.
    expect(ls.stdout).toMatch(/\b2147483648 blocks of size 1024\. 2147483648 blocks available/);
    const stream = await client(alex, [`put ${local}/Info.plist notes.txt:provision-test`, `get notes.txt:provision-test ${local}/stream.out`]);
    succeeded(stream);
    expect(await fs.readFile(path.join(local, 'stream.out'), 'utf8')).toBe(plist);
  });

  it('counts against the max size only the bundles the connecting user can read', async () => {
    // Two bands of 8 MiB (the band-size in Info.plist) = 16384 KiB used, as vfs_fruit counts.
    await fs.writeFile(path.join(local, 'band'), 'x');
    succeeded(await client(alex, ['cd alex-mac.sparsebundle', 'mkdir bands', 'cd bands', `put ${local}/band 0`, `put ${local}/band 1`]));
    const available = async (user: SambaUser): Promise<string | undefined> => /blocks of size 1024\. (\d+) blocks available/.exec((await client(user, ['ls'])).stdout)?.[1];
    expect(await available(alex)).toBe(String(2147483648 - 16384));
    // Sam cannot read Alex's private bundle, so for Sam the whole 2T is still free: with
    // private bundles the max size acts per account, not for the share as a whole.
    expect(await available(sam)).toBe('2147483648');
  });

  it("lets another declared user add a bundle, but not read, rename or remove the first user's", async () => {
    succeeded(await client(sam, ['mkdir sam-mac.sparsebundle']));
    const attempts = [
      ['rename alex-mac.sparsebundle stolen.sparsebundle', 'NT_STATUS_ACCESS_DENIED renaming files'],
      ['deltree alex-mac.sparsebundle', 'NT_STATUS_ACCESS_DENIED'],
      [`get alex-mac.sparsebundle/Info.plist ${local}/stolen`, 'NT_STATUS_ACCESS_DENIED opening remote file'],
    ] as const;
    for (const [command, refusal] of attempts) {
      const result = await client(sam, [command]);
      expect(result.exitCode, command).toBe(1);
      expect(`${result.stdout}${result.stderr}`, command).toContain(refusal);
    }
    // smbclient's rm prints the refusal but exits 0: the file on disk is what shows it stayed.
    const rm = await client(sam, ['rm alex-mac.sparsebundle/Info.plist']);
    expect(`${rm.stdout}${rm.stderr}`).toContain('NT_STATUS_ACCESS_DENIED');
    expect(await fs.readFile(path.join(share, 'alex-mac.sparsebundle', 'Info.plist'), 'utf8')).toBe(plist);
  });

  it('without the sticky bit another user could rename the bundle away: why the folder is 1777', async () => {
    await fs.chmod(share, 0o777);
    try {
      succeeded(await client(sam, ['rename alex-mac.sparsebundle moved.sparsebundle', 'rename moved.sparsebundle alex-mac.sparsebundle']));
    } finally {
      await fs.chmod(share, 0o1777);
    }
  });

  it('refuses a user who has a Samba password but is not declared for the share', async () => {
    const result = await client(eve, ['ls']);
    expect(result.exitCode).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toContain('tree connect failed: NT_STATUS_ACCESS_DENIED');
    // Eve's credentials are fine; a wrong password fails earlier, at logon.
    const wrong = await client({ ...eve, password: 'not-it' }, ['ls']);
    expect(wrong.exitCode).toBe(1);
    expect(`${wrong.stdout}${wrong.stderr}`).toContain('NT_STATUS_LOGON_FAILURE');
  });

  it('removing the share from provision.conf takes it off the network and leaves the folder and data', async () => {
    if (server === undefined) throw new Error('smbd is not running');
    await fs.writeFile(includePath, renderProvisionConf([]));
    expect(await checkSambaConfig(runCommand, server.smbConfPath)).toEqual({ ok: true, warnings: [] });
    await server.reloadConfig();

    const result = await client(alex, ['ls']);
    expect(result.exitCode).toBe(1);
    expect(`${result.stdout}${result.stderr}`).toContain('tree connect failed: NT_STATUS_BAD_NETWORK_NAME');
    expect((await fs.stat(share)).mode & 0o7777).toBe(0o1777);
    expect((await fs.readdir(share)).sort()).toEqual(['alex-mac.sparsebundle', 'notes.txt', 'sam-mac.sparsebundle']);
    expect(await fs.readFile(path.join(share, 'alex-mac.sparsebundle', 'Info.plist'), 'utf8')).toBe(plist);
  });
});

describe.skipIf(skip !== undefined)(`the test smbd harness${skip === undefined ? '' : ` (skipped: ${skip})`}`, () => {
  it("fails with smbd's log when smbd cannot start", async () => {
    const base = await makeTempDir('provision-smbd-bad-');
    try {
      const includePath = path.join(base, 'provision.conf');
      await fs.writeFile(includePath, '[global]\n   server role = bogus\n');
      await expect(SambaServer.start({ dir: path.join(base, 'server'), includePath })).rejects.toThrow(/smbd did not start[\s\S]*Ignoring invalid value 'bogus'/);
    } finally {
      await removeTempDir(base);
    }
  });
});
