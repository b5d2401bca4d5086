import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makePhotosLibrary } from '../helpers/photo-libraries.js';
import { Sandbox } from '../helpers/sandbox.js';
import { changesOf } from '../helpers/plan-json.js';
import { expectNothingPlanned, writeHousehold } from './household.js';
import { ARCHIVE, contents, PHOTO_HOUSEHOLD, pictures } from './photo-household.js';

/**
 * Apple's order for moving a photo library (HT201517): copy, open the moved library, check it
 * works, and only then delete the original. And the database rule: Photos.sqlite is rewritten
 * in place at the same size (by photolibraryd even with Photos quit), so its bytes are compared.
 */
const PHOTOS = 'Photos Library.photoslibrary';
const KEPT = `${PHOTOS} (original, kept by provision)`;
const SYSTEM_LIBRARY_DOMAIN = '/Users/alex/Library/Containers/com.apple.photolibraryd/Data/Library/Preferences/com.apple.photolibraryd';

describe("photo libraries moved in Apple's order, databases compared by content", () => {
  let sb: Sandbox;
  let config: string;
  let gate: string;
  const run = (cmd: string, ...args: string[]) => sb.cli([cmd, '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex', ...args]);
  const kept = () => path.join(pictures(sb, 'alex'), KEPT);
  const onDrive = () => path.join(sb.volume('Archive 2TB'), 'Photos', 'alex', PHOTOS);
  const exists = (p: string) => fs.lstat(p).then(() => true, () => false);

  beforeEach(async () => {
    sb = await Sandbox.create();
    config = await writeHousehold(sb.root, PHOTO_HOUSEHOLD);
    await fs.mkdir(pictures(sb, 'alex'), { recursive: true });
    await sb.setSimState({ diskutil: sb.simVolumes({ 'Archive 2TB': 'apfs' }), sudo: { users: { alex: 501, sam: 502 } } });
    await sb.mountDrive('Archive 2TB');
    gate = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-gate-'));
  });
  afterEach(async () => {
    await sb.dispose();
    await fs.rm(gate, { recursive: true, force: true });
  });

  async function applyPausedAt(op: string, nth: number, ...more: string[]) {
    const child = sb.spawnCli(['apply', '--yes', '-c', config, '--root', sb.root, '--machine', 'imac', '--user', 'alex', ...more], {
      PROVISION_TEST_HOOKS: JSON.stringify({ gate: { op, nth, dir: gate } }),
    });
    for (let i = 0; i < 2000 && !(await exists(path.join(gate, 'paused'))); i++) await sleep(10);
    expect(await exists(path.join(gate, 'paused')), 'apply never reached the gate').toBe(true);
    return { child };
  }
  const goOn = () => fs.writeFile(path.join(gate, 'continue'), '');

  it('keeps the original until its owner confirms; a scheduled run never removes it; apply then does', async () => {
    const lib = await makePhotosLibrary(pictures(sb, 'alex'), 1, { assets: 8 });
    const want = await contents(lib.root);
    const apply = await run('apply', '--yes');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(await fs.readlink(lib.root)).toBe(`${ARCHIVE}/Photos/alex/${PHOTOS}`);
    expect(await contents(onDrive())).toEqual(want);
    // The original, whole, under a name its owner recognises, with the record of the move.
    const original = await contents(kept());
    expect(Object.keys(original).filter((k) => k !== '.provision-kept.json').sort()).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) expect(original[k], k).toBe(v);

    const plan = await run('plan', '--detailed-exitcode');
    expect(plan.exitCode, plan.stdout).toBe(0);
    expect(plan.stdout).toContain(`the original of this library is kept at /Users/alex/Pictures/${KEPT}`);
    expect(plan.stdout).toContain('provision confirm-library');
    const status = JSON.parse((await run('status', '--json')).stdout) as { locations: { id: string; state: string; data: { where: string; files: number }[] }[] };
    const row = status.locations.find((r) => r.id === `alex/photos/${PHOTOS}`);
    expect(row?.state).toBe('kept-original');
    expect(row?.data.find((d) => d.where === 'kept')?.files).toBe(Object.keys(want).length);

    // --yes is not a confirmation: nothing goes.
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    expect(await exists(kept())).toBe(true);

    const confirm = await run('confirm-library', PHOTOS);
    expect(confirm.exitCode, confirm.stderr).toBe(0);
    expect(confirm.stdout).toContain('Confirmed');
    const scheduled = await run('apply', '--yes', '--scheduled');
    expect(scheduled.exitCode, scheduled.stderr + scheduled.stdout).toBe(0);
    expect(await exists(kept())).toBe(true);

    const [change] = changesOf((await run('plan', '--json')).stdout);
    expect(change?.action).toBe('update');
    expect(change?.steps.map((s) => s.op)).toEqual(['remove-kept-original']);
    const done = await run('apply', '--yes');
    expect(done.exitCode, done.stderr + done.stdout).toBe(0);
    expect(await exists(kept())).toBe(false);
    expect(await contents(onDrive())).toEqual(want);
    await expectNothingPlanned((cmd, ...args) => run(cmd, ...args));
  });

  it('Photos made to use the moved library as its System Photo Library counts as opened', async () => {
    await makePhotosLibrary(pictures(sb, 'alex'), 2);
    await sb.setSimState({ defaults: { users: { '501': { [SYSTEM_LIBRARY_DOMAIN]: { SystemLibraryPath: `/Users/alex/Pictures/${PHOTOS}` } } } } });
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    expect(await exists(kept())).toBe(true);
    await sb.setSimState({ defaults: { users: { '501': { [SYSTEM_LIBRARY_DOMAIN]: { SystemLibraryPath: `${ARCHIVE}/Photos/alex/${PHOTOS}` } } } } });
    const plan = await run('plan');
    expect(plan.stdout).toContain('Photos now uses');
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    expect(await exists(kept())).toBe(false);
  });

  it('a removal cut short is finished by the next apply; the drive copy is checked first', async () => {
    const lib = await makePhotosLibrary(pictures(sb, 'alex'), 3);
    const want = await contents(lib.root);
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    expect((await run('confirm-library')).exitCode).toBe(0);
    // The second removeTree: one entry of the kept original is gone, the rest and the record are there.
    const { child } = await applyPausedAt('removeTree', 2);
    child.kill('SIGKILL');
    await child;
    expect(await exists(path.join(kept(), '.provision-kept.json'))).toBe(true);
    // The moved library lost an entry meanwhile: the rest of the original stays.
    await fs.rename(path.join(onDrive(), 'originals'), path.join(sb.volume('Archive 2TB'), 'elsewhere'));
    const refused = await run('apply', '--yes');
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/originals is not there on the drive/);
    expect(await exists(path.join(kept(), 'originals'))).toBe(true);
    await fs.rename(path.join(sb.volume('Archive 2TB'), 'elsewhere'), path.join(onDrive(), 'originals'));
    const done = await run('apply', '--yes');
    expect(done.exitCode, done.stderr + done.stdout).toBe(0);
    expect(await exists(kept())).toBe(false);
    expect(await contents(onDrive())).toEqual(want);
  });

  it('a twin drive of the same name holding the same library when the kept original would go: refused, the original kept; with the right drive it goes', async () => {
    // Each volume with its own UUID, as diskutil reports them (the simulator keys volumes by mount point).
    const volume = (uuid: string) => ({ volumes: { [path.join(sb.root, 'Volumes', 'Archive 2TB')]: { VolumeName: 'Archive 2TB', FilesystemType: 'apfs', VolumeUUID: uuid } } });
    await sb.setSimState({ diskutil: volume('11111111-2222-3333-4444-555555555555') });
    await makePhotosLibrary(pictures(sb, 'alex'), 7);
    expect((await run('apply', '--yes')).exitCode).toBe(0);
    expect((await run('confirm-library')).exitCode).toBe(0);
    const original = await contents(kept());
    // The twin: another volume mounted over the same place, holding a copy of the moved library.
    const copy = path.join(sb.root, 'library-copy');
    await fs.cp(onDrive(), copy, { recursive: true });
    await sb.mountDrive('Archive 2TB');
    await sb.setSimState({ diskutil: volume('99999999-8888-7777-6666-555555555555') });
    await fs.mkdir(path.dirname(onDrive()), { recursive: true });
    await fs.cp(copy, onDrive(), { recursive: true });
    const refused = await run('apply', '--yes');
    expect(refused.exitCode, refused.stdout).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/not the drive|DRIVE_MISMATCH|another drive|is not drive/i);
    expect(await contents(kept())).toEqual(original);
    await sb.unmountDrive('Archive 2TB', false);
    await sb.setSimState({ diskutil: volume('11111111-2222-3333-4444-555555555555') });
    const done = await run('apply', '--yes');
    expect(done.exitCode, done.stderr + done.stdout).toBe(0);
    expect(await exists(kept())).toBe(false);
  });

  it('a database copy that changed at the same size after verification is caught without --verify content; the copy starts over', async () => {
    const lib = await makePhotosLibrary(pictures(sb, 'alex'), 4);
    const want = await contents(lib.root);
    // The first rename gives the verified copies their final names on the drive.
    const { child } = await applyPausedAt('rename', 1);
    const dest = path.dirname(onDrive());
    const partial = (await fs.readdir(path.join(dest, PHOTOS))).find((n) => n.startsWith('.provision-partial-'));
    expect(partial).toBeDefined();
    const db = path.join(dest, PHOTOS, partial ?? '', 'database', 'Photos.sqlite');
    const bytes = await fs.readFile(db);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    await fs.writeFile(db, bytes);
    await goOn();
    const r = await child;
    expect(r.exitCode, r.stdout).toBe(1);
    expect(r.stderr + r.stdout).toMatch(/database\/Photos\.sqlite has different bytes/);
    // The original never moved; nothing of the stale copy is left to be used.
    expect(await contents(lib.root)).toEqual(want);
    expect(await exists(kept())).toBe(false);
    const again = await run('apply', '--yes');
    expect(again.exitCode, again.stderr + again.stdout).toBe(0);
    expect(await contents(onDrive())).toEqual(want);
  });

  it('a library migrated from iPhoto shares its originals with the old one: blocked with the choice; without the old one it moves, its own hard links kept', async () => {
    const lib = await makePhotosLibrary(pictures(sb, 'alex'), 6, { assets: 4 });
    const originals = path.join(lib.root, 'originals');
    const first = path.join(originals, (await fs.readdir(originals))[0] ?? '');
    const photo = path.join(first, (await fs.readdir(first))[0] ?? '');
    // Photos' migration: the old library keeps its Masters as other names of the same files.
    const old = path.join(pictures(sb, 'alex'), 'iPhoto Library.migratedphotolibrary');
    await fs.mkdir(path.join(old, 'Masters', '2019'), { recursive: true });
    await fs.link(photo, path.join(old, 'Masters', '2019', 'IMG_0001.jpeg'));
    // And one file with two names inside the library itself.
    await fs.link(photo, path.join(lib.root, 'resources', 'second-name.jpeg'));
    const plan = await run('plan');
    expect(plan.exitCode).toBe(1);
    expect(plan.stdout).toContain('The other names are most likely in /Users/alex/Pictures/iPhoto Library.migratedphotolibrary');
    expect(plan.stdout).toContain('iPhoto Library.migratedphotolibrary to the Trash');
    expect((await run('apply', '--yes')).exitCode).toBe(1);
    expect((await fs.lstat(lib.root)).isDirectory()).toBe(true);

    await fs.rm(old, { recursive: true });
    const want = await contents(lib.root);
    const apply = await run('apply', '--yes');
    expect(apply.exitCode, apply.stderr + apply.stdout).toBe(0);
    expect(await contents(onDrive())).toEqual(want);
    const rel = path.relative(lib.root, photo);
    const [a, b] = await Promise.all([fs.stat(path.join(onDrive(), rel)), fs.stat(path.join(onDrive(), 'resources', 'second-name.jpeg'))]);
    expect(a.ino).toBe(b.ino);
    expect(a.nlink).toBe(2);
  });

  it('photolibraryd holding Photos.sqlite open does not block; a same-size rewrite after the copy, by a process gone by then, starts the copy over', async () => {
    const lib = await makePhotosLibrary(pictures(sb, 'alex'), 5);
    const db = path.join(lib.root, 'database', 'Photos.sqlite');
    // A stand-in for the daemon: a shell named photolibraryd inside the sandbox holding the database open for writing.
    const bin = await fs.mkdtemp(path.join(os.tmpdir(), 'provision-daemon-'));
    await fs.copyFile('/bin/sh', path.join(bin, 'photolibraryd'));
    await fs.chmod(path.join(bin, 'photolibraryd'), 0o755);
    const daemon = execa('nsenter', ['--target', String(sb.pid), '--user', '--mount', '--preserve-credentials', path.join(bin, 'photolibraryd'), '-c', 'exec 3<>"$1"; while :; do sleep 1 3>&-; done', 'photolibraryd', db], { reject: false, stdin: 'ignore' });
    try {
      let plan = await run('plan');
      for (let i = 0; i < 50 && !plan.stdout.includes('photolibraryd'); i++) {
        await sleep(100);
        plan = await run('plan');
      }
      expect(plan.exitCode, plan.stdout).toBe(0);
      expect(plan.stdout).toContain('photolibraryd');
      const { child } = await applyPausedAt('rename', 1);
      daemon.kill('SIGKILL');
      await daemon;
      // Rewritten in place, the same size, its time put back; the writer holds nothing any more.
      const st = await fs.stat(db);
      const bytes = await fs.readFile(db);
      bytes[100] = bytes[100]! ^ 0x01;
      const h = await fs.open(db, 'r+');
      await h.write(bytes, 0, bytes.length, 0);
      await h.close();
      await fs.utimes(db, st.atime, st.mtime);
      const newest = await contents(lib.root);
      await goOn();
      const r = await child;
      expect(r.exitCode, r.stdout).toBe(1);
      expect(r.stderr + r.stdout).toMatch(/different bytes|changed while it was being moved/);
      expect(await contents(lib.root)).toEqual(newest);
      const again = await run('apply', '--yes');
      expect(again.exitCode, again.stderr + again.stdout).toBe(0);
      expect(await contents(onDrive())).toEqual(newest);
    } finally {
      daemon.kill('SIGKILL');
      await daemon.catch(() => undefined);
      await fs.rm(bin, { recursive: true, force: true });
    }
  });
});
