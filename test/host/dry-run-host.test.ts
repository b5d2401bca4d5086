import { mkdir, readFile as fsReadFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DryRunHost } from '../../src/host/dry-run-host.js';
import { ReadOnlyHost } from '../../src/host/read-only-host.js';
import { RealHost } from '../../src/host/real-host.js';
import { makeTempDir, removeTempDir } from './fs/temp-dir.js';
import { diffSnapshots, snapshotTree, type EntrySnapshot } from './fs/tree-snapshot.js';

const real = new RealHost();
let dir: string;
let before: Map<string, EntrySnapshot>;
let host: DryRunHost;

beforeEach(async () => {
  dir = await makeTempDir();
  // A home with an iPhone backup folder, and a drive.
  const backup = join(dir, 'home', 'MobileSync', 'Backup');
  await mkdir(join(backup, 'device1', 'ab'), { recursive: true });
  await writeFile(join(backup, 'device1', 'Info.plist'), '<plist/>');
  await writeFile(join(backup, 'device1', 'ab', 'abcdef'), 'x'.repeat(100));
  await symlink('Info.plist', join(backup, 'device1', 'link'));
  await mkdir(join(dir, 'drive'));
  before = await snapshotTree(dir);
  host = new DryRunHost(new ReadOnlyHost(real));
});
afterEach(async () => {
  // Whatever the test simulated, the disk never changed.
  expect(diffSnapshots(before, await snapshotTree(dir))).toEqual([]);
  await removeTempDir(dir);
});

describe('DryRunHost', () => {
  it('is the dry-run kind and forwards reads of untouched paths', async () => {
    expect(host.kind).toBe('dry-run');
    const backup = join(dir, 'home', 'MobileSync', 'Backup');
    expect(await host.lstat(backup)).toEqual(await real.lstat(backup));
    expect(await host.readdir(join(backup, 'device1'))).toEqual(['Info.plist', 'ab', 'link']);
    expect(await host.summarize(backup)).toEqual(await real.summarize(backup));
    expect(await host.manifest(backup)).toEqual(await real.manifest(backup));
    expect(await host.readlink(join(backup, 'device1', 'link'))).toBe('Info.plist');
    expect(await host.statfs(dir)).toMatchObject({ fsType: (await real.statfs(dir)).fsType });
    expect(await host.canWrite(dir)).toBe(true);
    expect(await host.hasCommand('node')).toBe(true);
    expect(host.journal).toEqual([]);
  });

  it('mkdir: later reads see a folder with the mode, on the parent device; nested mkdir works', async () => {
    const target = join(dir, 'drive', 'Backups');
    await host.mkdir(target, 0o750);
    await host.mkdir(join(target, 'inner'), 0o700);
    const stats = await host.lstat(target);
    expect(stats).toMatchObject({ kind: 'directory', dev: (await real.lstat(join(dir, 'drive')))?.dev });
    expect((stats?.mode ?? 0) & 0o7777).toBe(0o750);
    expect(await host.readdir(join(dir, 'drive'))).toEqual(['Backups']);
    expect(await host.readdir(target)).toEqual(['inner']);
    expect(await host.canWrite(target)).toBe(true);
    expect(await host.statfs(join(target, 'inner'))).toMatchObject({ fsType: (await real.statfs(dir)).fsType });
    expect(host.journal).toEqual([
      { op: 'mkdir', args: [target, 0o750] },
      { op: 'mkdir', args: [join(target, 'inner'), 0o700] },
    ]);
  });

  it('checks writes as the real calls would (EEXIST, ENOENT, ENOTEMPTY, ENOTDIR) and records only what succeeded', async () => {
    await expect(host.mkdir(join(dir, 'drive'), 0o755)).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(host.mkdir(join(dir, 'nope', 'x'), 0o755)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(host.rmdir(join(dir, 'home'))).rejects.toMatchObject({ code: 'ENOTEMPTY' });
    await expect(host.rmdir(join(dir, 'home', 'MobileSync', 'Backup', 'device1', 'Info.plist'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(host.unlink(join(dir, 'drive'))).rejects.toMatchObject({ code: 'EISDIR' });
    await expect(host.rename(join(dir, 'nope'), join(dir, 'x'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(host.rename(join(dir, 'home'), join(dir, 'home', 'inside'))).rejects.toMatchObject({ code: 'EINVAL' });
    await expect(host.link('x', join(dir, 'drive'), 'symlink')).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(host.copyTree(join(dir, 'home'), join(dir, 'drive'))).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(host.removeTree(join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(host.removeTree('/tmp')).rejects.toMatchObject({ code: 'IO' });
    expect(host.journal).toEqual([]);
  });

  it('rename moves a real path and everything under it', async () => {
    const backup = join(dir, 'home', 'MobileSync', 'Backup');
    const aside = join(dir, 'home', 'MobileSync', 'Backup.old');
    const manifest = await real.manifest(backup);
    await host.rename(backup, aside);
    expect(await host.lstat(backup)).toBeUndefined();
    expect(await host.lstat(join(backup, 'device1'))).toBeUndefined();
    expect(await host.readdir(join(dir, 'home', 'MobileSync'))).toEqual(['Backup.old']);
    expect(await host.lstat(aside)).toMatchObject({ kind: 'directory' });
    expect(await host.readdir(join(aside, 'device1'))).toEqual(['Info.plist', 'ab', 'link']);
    expect((await host.readFile(join(aside, 'device1', 'Info.plist'))).toString()).toBe('<plist/>');
    expect(await host.readlink(join(aside, 'device1', 'link'))).toBe('Info.plist');
    expect(await host.manifest(aside)).toEqual(manifest);
    expect(host.journal).toEqual([{ op: 'rename', args: [backup, aside] }]);
  });

  it('rename carries simulated changes below the moved folder', async () => {
    const home = join(dir, 'home');
    await host.mkdir(join(home, 'made'), 0o755);
    await host.writeFileAtomic(join(home, 'made', 'note'), 'hi');
    await host.unlink(join(home, 'MobileSync', 'Backup', 'device1', 'link'));
    await host.rename(home, join(dir, 'home2'));
    expect((await host.readFile(join(dir, 'home2', 'made', 'note'))).toString()).toBe('hi');
    expect(await host.readdir(join(dir, 'home2', 'MobileSync', 'Backup', 'device1'))).toEqual(['Info.plist', 'ab']);
    expect(await host.lstat(join(home, 'made'))).toBeUndefined();
  });

  it('link: lstat says symlink, readlink returns the target, and reads go through it', async () => {
    const drive = join(dir, 'drive');
    const link = join(dir, 'home', 'shortcut');
    await host.link(drive, link, 'junction');
    await host.link('MobileSync/Backup', join(dir, 'home', 'relative'), 'symlink');
    expect(await host.lstat(link)).toMatchObject({ kind: 'symlink' });
    expect(await host.readlink(link)).toBe(drive);
    expect(await host.readlink(join(dir, 'home', 'relative'))).toBe('MobileSync/Backup');
    expect(await host.readdir(join(dir, 'home', 'relative'))).toEqual(['device1']);
    await host.mkdir(join(drive, 'x'), 0o755);
    expect(await host.readdir(link)).toEqual(['x']);
    expect(await host.lstat(join(link, 'x'))).toMatchObject({ kind: 'directory' });
    expect(host.journal.map((r) => r.op)).toEqual(['link', 'link', 'mkdir']);
  });

  it('removeTree, unlink and rmdir make paths absent', async () => {
    const device = join(dir, 'home', 'MobileSync', 'Backup', 'device1');
    await host.unlink(join(device, 'link'));
    expect(await host.lstat(join(device, 'link'))).toBeUndefined();
    await host.removeTree(join(device, 'ab'));
    expect(await host.lstat(join(device, 'ab', 'abcdef'))).toBeUndefined();
    expect(await host.readdir(device)).toEqual(['Info.plist']);
    await host.unlink(join(device, 'Info.plist'));
    await host.rmdir(device);
    expect(await host.readdir(join(dir, 'home', 'MobileSync', 'Backup'))).toEqual([]);
    await expect(host.readdir(device)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(host.readFile(join(device, 'Info.plist'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('copyTree: the copy appears as a folder holding what the source held', async () => {
    const backup = join(dir, 'home', 'MobileSync', 'Backup');
    const dest = join(dir, 'drive', 'Backup');
    const progress: unknown[] = [];
    const result = await host.copyTree(backup, dest, { onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ files: 2, bytes: 108 });
    expect(progress).toEqual([{ files: 2, bytes: 108 }]);
    expect(await host.lstat(dest)).toMatchObject({ kind: 'directory' });
    expect(await host.readdir(dest)).toEqual(['device1']);
    expect(await host.summarize(dest)).toEqual(await real.summarize(backup));
    expect(await host.manifest(dest)).toEqual(await real.manifest(backup));
    // The source is still there.
    expect(await host.manifest(backup)).toEqual(await real.manifest(backup));
    expect(host.journal).toEqual([{ op: 'copyTree', args: [backup, dest] }]);
    expect(await host.compareTrees(backup, dest)).toBeUndefined();
    // A copy is known to be its original without being walked; a simulated chmod inside is not.
    const walked = new DryRunHost(real);
    await walked.copyTree(backup, dest);
    await walked.chmod(join(dest, 'device1', 'Info.plist'), 0o600);
    expect(await walked.compareTrees(backup, dest)).toBeUndefined();
    await walked.writeFileAtomic(join(dest, 'device1', 'Info.plist'), 'longer than eight');
    expect(await walked.compareTrees(backup, dest)).toBe('device1/Info.plist has 17 bytes in the copy, 8 in the original');
    // Changes inside the copy show in its manifest and summary, and in a comparison.
    await host.writeFileAtomic(join(dest, 'device1', 'extra'), '12345');
    expect(await host.compareTrees(backup, dest)).toBe('device1/extra is in the copy but not in the original');
    expect(await host.compareTrees(backup, dest, { skipTop: ['device1'] })).toBeUndefined();
    await host.removeTree(join(dest, 'device1', 'ab'));
    expect(await host.manifest(dest)).toEqual(
      new Map([
        ['device1', -1],
        ['device1/Info.plist', 8],
        ['device1/link', -2],
        ['device1/extra', 5],
      ]),
    );
    expect(await host.summarize(dest)).toEqual({ files: 2, directories: 1, symlinks: 1, bytes: 13, largestFile: 8, unreadable: [] });
  });

  it('copyTree honours an aborted signal', async () => {
    const error = await host
      .copyTree(join(dir, 'home'), join(dir, 'drive', 'h'), { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(host.journal).toEqual([]);
  });

  it('simulates a whole relocation: aside, copy, link, remove', async () => {
    const backup = join(dir, 'home', 'MobileSync', 'Backup');
    const aside = `${backup}.provision-old`;
    const dest = join(dir, 'drive', 'MobileSync');
    const original = await real.manifest(backup);
    await host.mkdir(dest, 0o700);
    await host.rename(backup, aside);
    await host.copyTree(aside, join(dest, 'Backup'));
    await host.link(join(dest, 'Backup'), `${backup}.tmp-link`, 'symlink');
    await host.rename(`${backup}.tmp-link`, backup);
    await host.removeTree(aside);

    expect(await host.lstat(backup)).toMatchObject({ kind: 'symlink' });
    expect(await host.readlink(backup)).toBe(join(dest, 'Backup'));
    expect(await host.lstat(aside)).toBeUndefined();
    expect(await host.readdir(join(dir, 'home', 'MobileSync'))).toEqual(['Backup']);
    // The copy still reads as the original although the put-aside source was removed:
    // in the real world it is an independent copy.
    expect(await host.manifest(join(dest, 'Backup'))).toEqual(original);
    expect(await host.readdir(backup)).toEqual(['device1']);
    expect(host.journal.map((r) => r.op)).toEqual(['mkdir', 'rename', 'copyTree', 'link', 'rename', 'removeTree']);
  });

  it('writeFileAtomic, chmod and chown are seen by later reads', async () => {
    const file = join(dir, 'drive', 'state.json');
    await host.writeFileAtomic(file, '{"a":1}');
    expect((await host.readFile(file)).toString()).toBe('{"a":1}');
    expect(await host.lstat(file)).toMatchObject({ kind: 'file', size: 7 });
    await host.chmod(file, 0o600);
    expect(((await host.lstat(file))?.mode ?? 0) & 0o7777).toBe(0o600);
    const drive = join(dir, 'drive');
    await host.chmod(drive, 0o711);
    await host.chown(drive, 501, 20);
    const stats = await host.lstat(drive);
    expect((stats?.mode ?? 0) & 0o7777).toBe(0o711);
    expect(stats).toMatchObject({ kind: 'directory', uid: 501, gid: 20 });
    // The attribute change keeps what was simulated inside.
    expect(await host.readdir(drive)).toEqual(['state.json']);
    await expect(host.chmod(join(dir, 'nope'), 0o700)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fsReadFile(join(dir, 'home', 'MobileSync', 'Backup', 'device1', 'Info.plist'), 'utf8')).toBe('<plist/>');
  });

  it('mutate is recorded and not run; query still runs', async () => {
    const touched = join(dir, 'touched');
    const result = await host.mutate('touch', [touched]);
    expect(result).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(await real.lstat(touched)).toBeUndefined();
    expect(host.journal).toEqual([{ op: 'mutate', args: ['touch', [touched]] }]);
    expect((await host.query(process.execPath, ['-e', 'process.stdout.write("q")'])).stdout).toBe('q');
  });

  it('walks a real, untouched folder once per simulation: the summary, and each fingerprint', async () => {
    const walked: string[] = [];
    const inner = new ReadOnlyHost(real);
    const counting = Object.create(inner) as ReadOnlyHost;
    counting.summarize = (p) => (walked.push(`summarize ${p}`), inner.summarize(p));
    counting.fingerprint = (p, o) => (walked.push(`fingerprint ${p}`), inner.fingerprint(p, o));
    const sim = new DryRunHost(counting);
    const backup = join(dir, 'home', 'MobileSync', 'Backup');
    const summary = await sim.summarize(backup);
    const fp = await sim.fingerprint(backup, { skipTop: [] });
    // The copy walks the original for its size; the fingerprints before and after compare it.
    await sim.copyTree(backup, join(dir, 'drive', 'copy'));
    expect(await sim.summarize(backup)).toEqual(summary);
    expect(await sim.fingerprint(backup, { skipTop: [] })).toEqual(fp);
    expect(walked).toEqual([`summarize ${backup}`, `fingerprint ${backup}`]);
    // Something simulated inside it: no longer the real folder's walk.
    await sim.mkdir(join(backup, 'new'), 0o755);
    expect((await sim.summarize(backup)).directories).toBe(summary.directories + 1);
    // A simulated command may have changed anything: walked again.
    const device = join(backup, 'device1');
    await sim.summarize(device);
    await sim.summarize(device);
    await sim.mutate('true', []);
    await sim.summarize(device);
    expect(walked).toEqual([`summarize ${backup}`, `fingerprint ${backup}`, `summarize ${device}`, `summarize ${device}`]);
  });

  it('copies every entry of an untouched folder on its one walk, charging the drive as entry by entry', async () => {
    const walked: string[] = [];
    const inner = new ReadOnlyHost(real);
    const counting = Object.create(inner) as ReadOnlyHost;
    counting.summarize = (p) => (walked.push(p), inner.summarize(p));
    const backup = join(dir, 'home', 'MobileSync', 'Backup');
    await writeFile(join(backup, 'loose.txt'), 'y'.repeat(5000));
    before = await snapshotTree(dir);
    const entries = ['device1', 'loose.txt'];
    const whole = new DryRunHost(counting);
    await whole.summarize(backup);
    await whole.mkdir(join(dir, 'drive', 'all'), 0o700);
    const done = await whole.copyTree(backup, join(dir, 'drive', 'all'), { entries });
    expect(walked).toEqual([backup]);
    expect(await whole.readdir(join(dir, 'drive', 'all'))).toEqual(entries);
    expect(await whole.summarize(join(dir, 'drive', 'all', 'device1'))).toEqual(await real.summarize(join(backup, 'device1')));
    // The same entries copied one by one: the same files, bytes and space taken.
    const oneByOne = new DryRunHost(new ReadOnlyHost(real));
    await oneByOne.mkdir(join(dir, 'drive', 'all'), 0o700);
    let files = 0;
    let bytes = 0;
    for (const e of entries) {
      const p = await oneByOne.copyTree(join(backup, e), join(dir, 'drive', 'all', e));
      files += p.files;
      bytes += p.bytes;
    }
    expect(done).toEqual({ files, bytes });
    expect((await whole.statfs(join(dir, 'drive'))).freeBytes).toBe((await oneByOne.statfs(join(dir, 'drive'))).freeBytes);
    // Not every entry: each is walked for itself.
    await whole.mkdir(join(dir, 'drive', 'some'), 0o700);
    await whole.copyTree(backup, join(dir, 'drive', 'some'), { entries: ['device1'] });
    expect(walked).toEqual([backup, join(backup, 'device1')]);
  });
});
