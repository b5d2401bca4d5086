import { readFileSync, writeFileSync } from 'node:fs';
import { chmod, lchown, lstat, mkdir, readFile, readdir, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProvisionError } from '../../src/errors.js';
import { RealHost } from '../../src/host/real-host.js';
import { fastTempBase, isRoot, makeTempDir, removeTempDir } from './fs/temp-dir.js';
import { diffSnapshots, snapshotTree } from './fs/tree-snapshot.js';

const host = new RealHost();
let dir: string;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await removeTempDir(dir);
});

describe('RealHost reads', () => {
  it('is the real kind', () => {
    expect(host.kind).toBe('real');
  });

  it('lstat maps kinds, never follows links, and says undefined for ENOENT and ENOTDIR', async () => {
    await writeFile(join(dir, 'f'), 'abc');
    await mkdir(join(dir, 'd'));
    await symlink('d', join(dir, 'l'));
    await execa('mkfifo', [join(dir, 'p')]);
    const f = await host.lstat(join(dir, 'f'));
    expect(f).toMatchObject({ kind: 'file', size: 3 });
    const real = await lstat(join(dir, 'f'));
    expect(f).toEqual({
      kind: 'file',
      dev: real.dev,
      ino: real.ino,
      mode: real.mode,
      uid: real.uid,
      gid: real.gid,
      size: 3,
      mtimeMs: real.mtimeMs,
      ctimeMs: real.ctimeMs,
    });
    expect((await host.lstat(join(dir, 'd')))?.kind).toBe('directory');
    expect((await host.lstat(join(dir, 'l')))?.kind).toBe('symlink');
    expect((await host.lstat(join(dir, 'p')))?.kind).toBe('other');
    expect(await host.lstat(join(dir, 'missing'))).toBeUndefined();
    expect(await host.lstat(join(dir, 'f', 'under-a-file'))).toBeUndefined();
  });

  it('readlink, readdir (sorted) and readFile', async () => {
    await writeFile(join(dir, 'b'), 'bee');
    await writeFile(join(dir, 'a'), 'ay');
    await symlink('../somewhere/else', join(dir, 'c'));
    expect(await host.readlink(join(dir, 'c'))).toBe('../somewhere/else');
    expect(await host.readdir(dir)).toEqual(['a', 'b', 'c']);
    expect((await host.readFile(join(dir, 'b'))).toString()).toBe('bee');
    await expect(host.readFile(join(dir, 'zz'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('statfs reports space and a short file system name', async () => {
    const space = await host.statfs(dir);
    expect(space.totalBytes).toBeGreaterThan(0);
    expect(space.freeBytes).toBeGreaterThan(0);
    expect(space.freeBytes).toBeLessThanOrEqual(space.totalBytes);
    if (process.platform === 'linux') {
      // Compare with the kernel's own name for the mount holding dir.
      const { stdout } = await execa('stat', ['-f', '-c', '%T', dir]);
      const kernel = stdout.trim();
      const expected: Record<string, string> = { 'ext2/ext3': 'ext4', tmpfs: 'tmpfs', btrfs: 'btrfs', xfs: 'xfs', overlayfs: 'overlay', zfs: 'zfs' };
      if (expected[kernel] !== undefined) expect(space.fsType).toBe(expected[kernel]);
      else expect(typeof space.fsType).toBe('string');
    } else {
      expect(space.fsType).toBe('unknown');
    }
  });

  it('statfs names tmpfs on /dev/shm when that is a tmpfs', async () => {
    const mounts = process.platform === 'linux' ? readFileSync('/proc/mounts', 'utf8') : '';
    if (!/^\S+ \/dev\/shm tmpfs /m.test(mounts)) return;
    expect((await host.statfs('/dev/shm')).fsType).toBe('tmpfs');
  });

  it('canWrite: true for a writable folder, false for a missing one', async () => {
    expect(await host.canWrite(dir)).toBe(true);
    expect(await host.canWrite(join(dir, 'missing'))).toBe(false);
  });

  it('summarize counts files, folders, links, bytes and the largest file without following links', async () => {
    await mkdir(join(dir, 'tree', 'sub', 'deeper'), { recursive: true });
    await writeFile(join(dir, 'tree', 'a'), 'x'.repeat(10));
    await writeFile(join(dir, 'tree', 'sub', 'b'), 'x'.repeat(250));
    await writeFile(join(dir, 'tree', 'sub', 'deeper', 'c'), '');
    await mkdir(join(dir, 'outside'));
    await writeFile(join(dir, 'outside', 'huge'), 'x'.repeat(10_000));
    await symlink('../outside', join(dir, 'tree', 'to-outside'));
    await symlink('a', join(dir, 'tree', 'sub', 'to-a'));
    expect(await host.summarize(join(dir, 'tree'))).toEqual({
      files: 3,
      directories: 2,
      symlinks: 2,
      bytes: 260,
      largestFile: 250,
      unreadable: [],
      // The first link the walk meets, for drives that cannot hold links (FAT, exFAT).
      firstLink: expect.stringMatching(/^(to-outside|sub\/to-a)$/) as unknown,
    });
    expect(await host.manifest(join(dir, 'tree'))).toEqual(
      new Map([
        ['a', 10],
        ['sub', -1],
        ['sub/b', 250],
        ['sub/deeper', -1],
        ['sub/deeper/c', 0],
        ['sub/to-a', -2],
        ['to-outside', -2],
      ]),
    );
    await expect(host.summarize(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(host.summarize(join(dir, 'tree', 'a'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(host.manifest(join(dir, 'tree', 'to-outside'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('summarize and manifest walk 100,000 files quickly', async () => {
    const base = await makeTempDir('provision-test-', await fastTempBase());
    const root = join(base, 'big');
    await mkdir(root);
    try {
      for (let d = 0; d < 250; d++) {
        const folder = join(root, d.toString(16).padStart(2, '0'));
        await mkdir(folder);
        // Synchronous writes on a tmpfs (see fastTempBase): the fixture would take longer than the walk.
        for (let i = 0; i < 400; i++) writeFileSync(join(folder, `${i}`), i % 7 === 0 ? 'xy' : '');
      }
      let started = performance.now();
      const summary = await host.summarize(root);
      const summarizeMs = performance.now() - started;
      started = performance.now();
      const manifest = await host.manifest(root);
      const manifestMs = performance.now() - started;
      console.log(`summarize of 100,000 files: ${summarizeMs.toFixed(0)} ms; manifest: ${manifestMs.toFixed(0)} ms`);
      expect(summary.files).toBe(100_000);
      expect(summary.directories).toBe(250);
      expect(summary.bytes).toBe(250 * 58 * 2);
      expect(manifest.size).toBe(100_250);
      // Measured 0.4-0.8 s here; the bound only catches a walk gone quadratic or serial.
      expect(summarizeMs).toBeLessThan(10_000);
      expect(manifestMs).toBeLessThan(10_000);
    } finally {
      await removeTempDir(base);
    }
  }, 120_000);

  it('query runs a command with arguments, input and environment, and never throws', async () => {
    const node = process.execPath;
    const ok = await host.query(node, ['-e', 'process.stdout.write(process.argv[1] + process.env.PROVISION_X)', 'arg with spaces'], {
      env: { PROVISION_X: '!' },
    });
    expect(ok).toEqual({ exitCode: 0, stdout: 'arg with spaces!', stderr: '' });
    const echoed = await host.query(node, ['-e', 'process.stdin.pipe(process.stdout)'], { input: 'from stdin' });
    expect(echoed.stdout).toBe('from stdin');
    const failing = await host.query(node, ['-e', 'console.error("bad"); process.exit(3)']);
    expect(failing).toEqual({ exitCode: 3, stdout: '', stderr: 'bad' });
    const missing = await host.query('provision-no-such-command', ['x']);
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toContain('provision-no-such-command');
    // Without input, standard input is closed: a command reading it ends instead of hanging.
    const noInput = await host.query(node, ['-e', 'process.stdin.resume(); process.stdin.on("end", () => process.exit(0))']);
    expect(noInput.exitCode).toBe(0);
  });

  it('query tells the caller once the process has started, while it runs; never for a command that cannot start', async () => {
    const node = process.execPath;
    const events: string[] = [];
    // The command waits for a line on its standard input: the caller is told before it ends.
    const running = host.query(node, ['-e', 'process.stdin.once("data", () => process.stdout.write("done"))'], {
      input: 'go\n',
      onSpawned: () => events.push('spawned'),
    });
    events.push('asked');
    const result = await running;
    events.push(result.stdout);
    expect(events).toEqual(['asked', 'spawned', 'done']);
    let told = false;
    const missing = await host.query('provision-no-such-command', [], { onSpawned: () => (told = true) });
    expect(missing.exitCode).toBe(127);
    expect(told).toBe(false);
  });

  it('mutate runs like query', async () => {
    const file = join(dir, 'made');
    const result = await host.mutate(process.execPath, ['-e', 'require("fs").writeFileSync(process.argv[1], "yes")', file]);
    expect(result.exitCode).toBe(0);
    expect(await readFile(file, 'utf8')).toBe('yes');
    expect((await host.mutate('provision-no-such-command', [])).exitCode).toBe(127);
  });

  it('hasCommand searches PATH', async () => {
    expect(await host.hasCommand('node')).toBe(true);
    expect(await host.hasCommand('sh')).toBe(true);
    expect(await host.hasCommand('provision-no-such-command')).toBe(false);
    expect(await host.hasCommand(process.execPath)).toBe(true);
    expect(await host.hasCommand('')).toBe(false);
  });
});

describe('RealHost writes', () => {
  it('mkdir creates one folder with exactly the mode, whatever the umask', async () => {
    const previous = process.umask(0o077);
    try {
      await host.mkdir(join(dir, 'open'), 0o777);
      await host.mkdir(join(dir, 'group'), 0o2750);
    } finally {
      process.umask(previous);
    }
    expect((await stat(join(dir, 'open'))).mode & 0o7777).toBe(0o777);
    expect((await stat(join(dir, 'group'))).mode & 0o7777).toBe(0o2750);
    await expect(host.mkdir(join(dir, 'open'), 0o755)).rejects.toMatchObject({ code: 'EEXIST' });
    await expect(host.mkdir(join(dir, 'no', 'parent'), 0o755)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('chmod sets the mode', async () => {
    await writeFile(join(dir, 'f'), '');
    await host.chmod(join(dir, 'f'), 0o640);
    expect((await stat(join(dir, 'f'))).mode & 0o7777).toBe(0o640);
  });

  it.skipIf(!isRoot)('chown changes the link itself, never what it points at', async () => {
    await writeFile(join(dir, 'target'), '');
    await symlink('target', join(dir, 'link'));
    await host.chown(join(dir, 'link'), 1234, 5678);
    expect(await lstat(join(dir, 'link'))).toMatchObject({ uid: 1234, gid: 5678 });
    expect(await lstat(join(dir, 'target'))).toMatchObject({ uid: 0, gid: 0 });
    await host.chown(join(dir, 'target'), 42, 43);
    expect(await lstat(join(dir, 'target'))).toMatchObject({ uid: 42, gid: 43 });
  });

  it('rename, unlink and rmdir', async () => {
    await mkdir(join(dir, 'a'));
    await host.rename(join(dir, 'a'), join(dir, 'b'));
    expect(await readdir(dir)).toEqual(['b']);
    await writeFile(join(dir, 'b', 'f'), '');
    await expect(host.rmdir(join(dir, 'b'))).rejects.toMatchObject({ code: 'ENOTEMPTY' });
    await host.unlink(join(dir, 'b', 'f'));
    await host.rmdir(join(dir, 'b'));
    expect(await readdir(dir)).toEqual([]);
  });

  it('link writes the target exactly as given; a junction request makes a plain link off Windows', async () => {
    await mkdir(join(dir, 'real'));
    await host.link('real', join(dir, 'rel'), 'symlink');
    await host.link('./real/../real', join(dir, 'odd'), 'symlink');
    await host.link(join(dir, 'real'), join(dir, 'junction'), 'junction');
    await host.link('nowhere', join(dir, 'dangling'), 'symlink');
    expect(await readlink(join(dir, 'rel'))).toBe('real');
    expect(await readlink(join(dir, 'odd'))).toBe('./real/../real');
    expect(await readlink(join(dir, 'dangling'))).toBe('nowhere');
    if (process.platform !== 'win32') {
      expect(await readlink(join(dir, 'junction'))).toBe(join(dir, 'real'));
      expect((await lstat(join(dir, 'junction'))).isSymbolicLink()).toBe(true);
    }
    await expect(host.link('real', join(dir, 'rel'), 'symlink')).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('removeTree removes a tree, read-only folders included', async () => {
    const tree = join(dir, 'tree');
    await mkdir(join(tree, 'ro', 'inner'), { recursive: true });
    await writeFile(join(tree, 'ro', 'inner', 'f'), 'x');
    await symlink(dir, join(tree, 'link-to-parent'));
    await chmod(join(tree, 'ro', 'inner'), 0o555);
    await chmod(join(tree, 'ro'), 0o555);
    await host.removeTree(tree);
    expect(await readdir(dir)).toEqual([]);
    await expect(host.removeTree(tree)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('removeTree reports the files it removes, and removes a single file or link', async () => {
    const tree = join(dir, 'tree');
    for (const sub of ['a', 'b/c']) await mkdir(join(tree, sub), { recursive: true });
    for (let i = 0; i < 30; i++) await writeFile(join(tree, i % 2 === 0 ? 'a' : 'b/c', `f${i}`), 'x');
    await symlink('a', join(tree, 'link'));
    const seen: number[] = [];
    await host.removeTree(tree, { onProgress: (p) => seen.push(p.files) });
    expect(seen.at(-1)).toBe(30); // links are not counted as files
    expect(await readdir(dir)).toEqual([]);
    await writeFile(join(dir, 'one'), 'x');
    await symlink('one', join(dir, 'alink'));
    await host.removeTree(join(dir, 'alink'));
    expect(await readdir(dir)).toEqual(['one']);
    await host.removeTree(join(dir, 'one'), { onProgress: (p) => seen.push(p.files) });
    expect(seen.at(-1)).toBe(1);
    expect(await readdir(dir)).toEqual([]);
  });

  it('removeTree refuses the root, top-level folders, relative paths and paths with ..', async () => {
    // Only paths that would fail harmlessly even without the check (none exists to be removed).
    await mkdir(join(dir, 'keep'));
    for (const path of ['/', '/tmp', '/tmp/', '/usr/..', 'no-such-relative/x', `${dir}/no-such/../keep`]) {
      const error = await host.removeTree(path).catch((e: unknown) => e);
      expect(isProvisionError(error), path).toBe(true);
      expect(error).toMatchObject({ code: 'IO' });
    }
    expect((await stat('/tmp')).isDirectory()).toBe(true);
    expect(await readdir(dir)).toEqual(['keep']);
  });

  it('writeFileAtomic writes and replaces a file, leaving no temporary file', async () => {
    const file = join(dir, 'state.json');
    await host.writeFileAtomic(file, '{"a":1}');
    await host.writeFileAtomic(file, Buffer.from('{"a":2}'));
    expect(await readFile(file, 'utf8')).toBe('{"a":2}');
    expect(await readdir(dir)).toEqual(['state.json']);
    await expect(host.writeFileAtomic(join(dir, 'missing', 'f'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('copyTree copies and makes durable', async () => {
    await mkdir(join(dir, 'src', 'sub'), { recursive: true });
    await writeFile(join(dir, 'src', 'sub', 'f'), 'content');
    await symlink('sub/f', join(dir, 'src', 'l'));
    const progress = await host.copyTree(join(dir, 'src'), join(dir, 'dest'));
    expect(progress).toEqual({ files: 1, bytes: 7 });
    expect(diffSnapshots(await snapshotTree(join(dir, 'src')), await snapshotTree(join(dir, 'dest')))).toEqual([]);
  });
});

describe('RealHost as root', () => {
  it.skipIf(!isRoot)('lchown of a link is visible through lstat', async () => {
    await symlink('x', join(dir, 'l'));
    await lchown(join(dir, 'l'), 7, 8);
    expect(await host.lstat(join(dir, 'l'))).toMatchObject({ kind: 'symlink', uid: 7, gid: 8 });
  });
});
