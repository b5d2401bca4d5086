import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDeviceBackup, udid } from '../helpers/fixtures.js';
import { changesOf } from '../helpers/plan-json.js';
import { Sandbox } from '../helpers/sandbox.js';
import { macBackupFolder, makeHome, writeHousehold } from './household.js';

const realRoot = process.getuid?.() === 0;
const fatSupport = await Sandbox.imageSupport('fat');
const ARCHIVE = '/Volumes/Archive 2TB';

/**
 * One drive for several people (docs/commands.md, "drive adopt"): what the drive does with
 * owners decides whether per-user folders are private, and whether a person is locked out of
 * their own folder made on another machine under another uid.
 */
describe('a drive shared by the household: owners', () => {
  let sb: Sandbox | undefined;
  afterEach(async () => {
    await sb?.dispose();
    sb = undefined;
  });

  async function household(options: { realRoot?: boolean } = {}): Promise<{ s: Sandbox; config: string; cli: (...args: string[]) => ReturnType<Sandbox['cli']> }> {
    const s = await Sandbox.create('iMac', options);
    sb = s;
    const config = await writeHousehold(s.root);
    await makeHome(s.root, 'alex');
    await makeDeviceBackup(path.join(macBackupFolder(s.root, 'alex'), udid(61)), 61);
    const cli = (...args: string[]) => s.cli([...args, '-c', config, '--root', s.root, '--machine', 'imac']);
    return { s, config, cli };
  }

  const planOf = async (cli: (...args: string[]) => ReturnType<Sandbox['cli']>) => {
    const r = await cli('plan', '--json', '--user', 'alex');
    expect([0, 1], r.stderr).toContain(r.exitCode);
    const [c] = changesOf(r.stdout);
    if (c === undefined) throw new Error(`no change in ${r.stdout}`);
    return c;
  };

  it('owners ignored on a Mac volume ("Ignore ownership on this volume", the default): the plan warns, and says to untick it', async () => {
    const { s, cli } = await household();
    await s.mountDrive('Archive 2TB');
    await s.setSimState({ diskutil: s.simVolumes({ 'Archive 2TB': 'apfs' }) });
    const c = await planOf(cli);
    expect(c.action).toBe('relocate');
    const w = c.warnings.find((x) => x.code === 'FOLDERS_NOT_PRIVATE');
    expect(w?.message).toContain(`${ARCHIVE}/MobileSync/alex is meant for alex only`);
    expect(w?.message).toContain('untick "Ignore ownership on this volume"');
  });

  it.skipIf(fatSupport !== undefined)(`owners ignored on FAT32 through FUSE, by its format: the plan warns, and names a format that keeps owners (${fatSupport ?? 'tools present'})`, async () => {
    const { s, cli } = await household();
    await s.mountImage('Archive 2TB', 'fat');
    // Not a volume diskutil knows: the format is what statfs says (FUSE), as on Linux.
    await s.setSimState({ diskutil: { volumes: {} } });
    const c = await planOf(cli);
    const w = c.warnings.find((x) => x.code === 'FOLDERS_NOT_PRIVATE');
    expect(w?.message).toContain('(fuse) ignores file owners');
    expect(w?.message).toContain('a format that keeps owners');
    // status says it too, without starting a process: from the format statfs names.
    const text = await cli('status', '--user', 'alex');
    expect(text.stdout).toContain('ignores file owners: the per-user folders on it are not private');
    const json = JSON.parse((await cli('status', '--json', '--user', 'alex')).stdout) as { drives: { name: string; owners: string | null }[] };
    expect(json.drives.find((d) => d.name === 'archive')?.owners).toBe('ignored');
  });

  it.skipIf(!realRoot)(`owners honoured by the format (tmpfs, as statfs names it off a Mac): a folder of another uid blocks${realRoot ? '' : ' (skipped: needs real root)'}`, async () => {
    const { s, cli } = await household({ realRoot: true });
    await fs.chown(path.join(s.root, 'Users', 'alex'), 501, 20);
    const drive = await s.mountDrive('Archive 2TB');
    await s.setSimState({ diskutil: { volumes: {} } });
    const alexDir = path.join(drive, 'MobileSync', 'alex');
    await fs.mkdir(alexDir, { recursive: true, mode: 0o700 });
    await fs.chown(alexDir, 502, 20);
    const c = await planOf(cli);
    expect(c.blockers.find((b) => b.code === 'OWNER_MISMATCH')?.reason).toContain('belongs to uid 502, but alex is uid 501');
    expect(c.warnings.map((w) => w.code)).not.toContain('FOLDERS_NOT_PRIVATE');
  });

  it.skipIf(!realRoot)(
    `owners honoured, the person's folder made under another uid: blocked before anything moves; drive adopt gives that folder (only) to the person${realRoot ? '' : ' (skipped: needs real root to own files as other uids)'}`,
    async () => {
      const { s, cli } = await household({ realRoot: true });
      await fs.chown(path.join(s.root, 'Users', 'alex'), 501, 20);
      const drive = await s.mountDrive('Archive 2TB');
      await s.setSimState({ diskutil: { volumes: { [path.join(s.root, ARCHIVE)]: { VolumeName: 'Archive 2TB', GlobalPermissionsEnabled: true } } } });
      // alex's folder and sam's, both made on another Mac where both accounts were uid 502.
      const alexDir = path.join(drive, 'MobileSync', 'alex');
      const samDir = path.join(drive, 'MobileSync', 'sam');
      await fs.mkdir(alexDir, { recursive: true, mode: 0o700 });
      await fs.mkdir(samDir, { mode: 0o700 });
      await fs.writeFile(path.join(alexDir, 'old.txt'), 'alex');
      await fs.writeFile(path.join(samDir, 'sam.txt'), 'sam');
      await fs.symlink('../sam/sam.txt', path.join(alexDir, 'to-sam'));
      for (const p of [alexDir, path.join(alexDir, 'old.txt'), samDir, path.join(samDir, 'sam.txt')]) await fs.chown(p, 502, 20);
      await fs.lchown(path.join(alexDir, 'to-sam'), 502, 20);
      await fs.chmod(alexDir, 0o700);
      const backup = macBackupFolder(s.root, 'alex');

      const c = await planOf(cli);
      expect(c.blockers.map((b) => b.code)).toContain('OWNER_MISMATCH');
      const b = c.blockers.find((x) => x.code === 'OWNER_MISMATCH');
      expect(b?.reason).toContain('belongs to uid 502');
      expect(b?.reason).toContain('alex is uid 501');
      expect(b?.fix).toContain('provision drive adopt alex');
      expect((await cli('apply', '--yes', '--user', 'alex')).exitCode).toBe(1);
      expect((await fs.lstat(backup)).isDirectory()).toBe(true);

      // No terminal, no --confirm: refused; --confirm naming someone else: refused.
      const asked = await cli('drive', 'adopt', 'alex');
      expect(asked.exitCode).toBe(1);
      expect(asked.stdout).toContain(`${ARCHIVE}/MobileSync/alex on drive archive: 3 item(s) owned by uid 502 -> alex (uid 501)`);
      expect(asked.stderr).toContain('--confirm alex');
      expect((await cli('drive', 'adopt', 'alex', '--confirm', 'sam')).exitCode).toBe(1);
      expect((await fs.lstat(alexDir)).uid).toBe(502);

      const adopt = await cli('drive', 'adopt', 'alex', '--confirm', 'alex');
      expect(adopt.exitCode, adopt.stderr).toBe(0);
      expect(adopt.stdout).toContain('Gave 3 item(s) to alex (uid 501)');
      for (const p of [alexDir, path.join(alexDir, 'old.txt'), path.join(alexDir, 'to-sam')]) {
        const st = await fs.lstat(p);
        expect([st.uid, st.gid], p).toEqual([501, 20]);
      }
      expect((await fs.lstat(alexDir)).mode & 0o777).toBe(0o700);
      // sam's folder, even through alex's link to it, is sam's as before.
      for (const p of [samDir, path.join(samDir, 'sam.txt')]) expect((await fs.lstat(p)).uid, p).toBe(502);

      const again = await cli('drive', 'adopt', 'alex', '--confirm', 'alex');
      expect(again.stdout).toContain('Nothing to change.');
      const after = await planOf(cli);
      expect(after.blockers.map((x) => x.code)).not.toContain('OWNER_MISMATCH');
    },
  );
});
