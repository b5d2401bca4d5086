import { chmod, lstat, mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import nodeModule from 'node:module';
import path from 'node:path';
import { execa } from 'execa';
import { beforeEach, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/sandbox.js';
import { ONE_DRIVE_DECLARATION } from '../helpers/one-drive-declaration.js';
import { cliCacheSandbox, runCli } from '../helpers/cli-cache-sandbox.js';

const YAML = ONE_DRIVE_DECLARATION;

/** Node 22.1+ (the floor of engines is 22): absent on an older Node, where there is nothing to test. */
const HAS_COMPILE_CACHE = typeof (nodeModule as unknown as { flushCompileCache?: unknown }).flushCompileCache === 'function';

/** Every file under a folder with its size and modification time: what a run changed. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const name of (await readdir(at)).sort()) {
      const p = path.join(at, name);
      const st = await lstat(p);
      out.push(`${path.relative(dir, p)} ${st.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`);
      if (st.isDirectory()) await walk(p);
    }
  };
  await walk(dir);
  return out;
}

describe.skipIf(!HAS_COMPILE_CACHE)("Node's compile cache of the built CLI", () => {
  // NODE_DEBUG_NATIVE=COMPILE_CACHE makes Node say on stderr what its compile cache does.
  const sb = cliCacheSandbox('provision-compiled-');
  let dir = '';
  let cache = '';
  let file = '';
  beforeEach(() => {
    ({ dir, cache, file } = sb);
  });
  const run = (args: string[], extra: Record<string, string> = {}) => runCli(sb, args, extra);
  const compiledFolder = async (): Promise<string> => {
    // The folder of Node's cache; the CLI's script caches (`<folder>.<command>.v8`) sit beside it.
    const names = (await readdir(path.join(cache, 'compiled'))).filter((n) => !n.endsWith('.v8'));
    expect(names).toHaveLength(1);
    return path.join(cache, 'compiled', names[0] ?? '');
  };

  it('is filled after a run that succeeded, private to the user, then used: a refused run and a converged one write nothing into it', async () => {
    const first = await run(['validate', '-c', file], { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
    expect(first.exitCode, first.stderr).toBe(0);
    // The run itself compiled without the cache: it was not complete yet.
    expect(first.stderr).not.toContain('[compile cache]');
    const kept = await compiledFolder();
    expect(path.basename(kept)).toMatch(new RegExp(`^[0-9a-f]{16}-${process.version.replace(/\./g, '\\.')}-${process.arch}$`));
    expect(await readFile(path.join(kept, 'complete'), 'utf8')).toContain(process.version);
    expect((await lstat(kept)).mode & 0o777).toBe(0o700);
    expect((await lstat(path.dirname(kept))).mode & 0o777).toBe(0o700);
    // Every file of the bundle compiled: one cache file each (but the launcher's start.mjs and
    // the CLI's script, which keeps a cache of its own).
    const bundle = (await readdir(path.join(path.dirname(CLI), '..', 'dist', 'bundle'))).filter((n) => /\.(mjs|cjs)$/.test(n) && n !== 'start.mjs' && n !== 'provision.cjs');
    const nodeFolders = (await readdir(kept)).filter((n) => n !== 'complete');
    expect(nodeFolders).toHaveLength(1);
    expect((await readdir(path.join(kept, nodeFolders[0] ?? ''))).length).toBe(bundle.length);

    const before = await snapshot(cache);
    const refused = await run(['validate', '-c', file, '--machine', 'nope'], { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
    expect(refused.exitCode).toBe(1);
    await writeFile(file, YAML.replace('users: [alex]', 'users: [alx]'));
    const badFile = await run(['validate', '-c', file], { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
    expect(badFile.exitCode).toBe(1);
    expect(badFile.stderr).toContain('[compile cache]');
    expect(badFile.stderr).toContain('because cache was the same');
    expect(badFile.stderr).not.toMatch(/\[compile cache\] writing/i);
    expect(refused.stderr).toContain('[compile cache]');
    await writeFile(file, YAML);
    const again = await run(['validate', '-c', file]);
    expect(again.exitCode, again.stderr).toBe(0);
    // Only the checked declaration's entry may be new (the refused runs wrote none).
    const now = await snapshot(cache);
    expect(now.filter((l) => l.startsWith('compiled'))).toEqual(before.filter((l) => l.startsWith('compiled')));
  });

  it('is not used when others may write to it, nor under Node options or the user\'s own NODE_COMPILE_CACHE, nor with the cache off', async () => {
    expect((await run(['validate', '-c', file])).exitCode).toBe(0);
    const kept = await compiledFolder();

    // Not read while others may write to it: filled again from nothing after the run.
    await chmod(kept, 0o777);
    const planted = path.join(kept, 'planted');
    await writeFile(planted, 'x');
    const shared = await run(['--version'], { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
    expect(shared.exitCode).toBe(0);
    expect(shared.stderr).not.toContain('[compile cache]');
    expect((await lstat(kept)).mode & 0o777).toBe(0o700);
    await expect(lstat(planted)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(path.join(kept, 'complete'), 'utf8')).toContain(process.version);
    const before = await snapshot(cache);

    const withOptions = await run(['validate', '-c', file, '--machine', 'nope'], { NODE_DEBUG_NATIVE: 'COMPILE_CACHE', NODE_OPTIONS: '--no-warnings' });
    expect(withOptions.stderr).not.toContain('[compile cache]');
    const own = path.join(dir, 'own');
    const users = await run(['--version'], { NODE_COMPILE_CACHE: own });
    expect(users.exitCode).toBe(0);
    // Node's own cache where the user put it, provision's left alone.
    expect((await readdir(own)).length).toBeGreaterThan(0);
    const off = await run(['--version'], { PROVISION_CACHE_DIR: 'off', NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
    expect(off.stderr).not.toContain('[compile cache]');
    expect(await snapshot(cache)).toEqual(before);
  });

  it('a run that succeeds with an incomplete cache completes it, and removes what other builds left a month ago', async () => {
    const old = path.join(cache, 'compiled', '0123456789abcdef-v22.0.0-x64');
    const recent = path.join(cache, 'compiled', 'fedcba9876543210-v22.0.0-x64');
    for (const other of [old, recent]) {
      await mkdir(other, { recursive: true, mode: 0o700 });
      await writeFile(path.join(other, 'complete'), 'other\n');
    }
    const fiveWeeksAgo = new Date(Date.now() - 35 * 24 * 3600 * 1000);
    await utimes(old, fiveWeeksAgo, fiveWeeksAgo);
    expect((await run(['--version'])).exitCode).toBe(0);
    // Another install used alternately keeps its cache; one unfilled for a month goes.
    await expect(lstat(old)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await readdir(recent)).sort()).toEqual(['complete']);
    await rm(recent, { recursive: true });
    const kept = await compiledFolder();
    await rm(path.join(kept, 'complete'));
    const half = await run(['--version'], { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
    expect(half.exitCode).toBe(0);
    // Without its mark the cache was not used by that run, only filled after it.
    expect(half.stderr).not.toContain('skip persisting');
    expect(await readFile(path.join(kept, 'complete'), 'utf8')).toContain(process.version);
  });

  it('runs that fill it at the same time leave one complete cache, which a refused run then leaves as it is', async () => {
    const runs = await Promise.all([1, 2, 3, 4].map(() => run(['validate', '-c', file])));
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
    const kept = await compiledFolder();
    expect(await readFile(path.join(kept, 'complete'), 'utf8')).toContain(process.version);
    const before = await snapshot(path.join(cache, 'compiled'));
    // A declaration never seen, refused: its check loads the YAML parser's bundle from the cache.
    await writeFile(file, YAML.replace('users: [alex]', 'users: [alx]'));
    const refused = await run(['validate', '-c', file], { NODE_DEBUG_NATIVE: 'COMPILE_CACHE' });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('because cache was the same');
    expect(await snapshot(path.join(cache, 'compiled'))).toEqual(before);
  });

  // What a run that found the cache incomplete starts after it succeeded (bin/provision.js).
  const fillDirectly = (into: string) =>
    execa(process.execPath, [path.join(path.dirname(CLI), '..', 'dist', 'bundle', 'start.mjs'), '--fill-compiled-cache', into], {
      reject: false,
      extendEnv: false,
      env: { PATH: process.env['PATH'] ?? '', HOME: dir, PROVISION_CACHE_DIR: cache },
    });
  const bundleFiles = async (): Promise<number> =>
    (await readdir(path.join(path.dirname(CLI), '..', 'dist', 'bundle'))).filter((n) => /\.(mjs|cjs)$/.test(n) && n !== 'start.mjs' && n !== 'provision.cjs').length;

  it('a fill that finds the cache complete (another fill finished first) leaves it as it is', async () => {
    expect((await run(['validate', '-c', file])).exitCode).toBe(0);
    const kept = await compiledFolder();
    const before = await snapshot(path.join(cache, 'compiled'));
    const { ino } = await lstat(kept);
    const late = await fillDirectly(kept);
    expect(late.exitCode, late.stderr).toBe(0);
    // Not removed and put back: runs reading it meanwhile would miss files.
    expect((await lstat(kept)).ino).toBe(ino);
    expect(await snapshot(path.join(cache, 'compiled'))).toEqual(before);
  });

  it('fills started at the same time over an incomplete cache leave it complete with every file, and nothing of theirs beside it', async () => {
    expect((await run(['validate', '-c', file])).exitCode).toBe(0);
    const kept = await compiledFolder();
    const files = await bundleFiles();
    for (let round = 0; round < 4; round++) {
      await rm(path.join(kept, 'complete'));
      const fills = await Promise.all([1, 2, 3, 4, 5, 6].map(() => fillDirectly(kept)));
      for (const f of fills) expect(f.exitCode, f.stderr).toBe(0);
      expect(await readdir(path.join(cache, 'compiled'))).toEqual([path.basename(kept), `${path.basename(kept)}.validate.v8`]);
      const nodeFolders = (await readdir(kept)).filter((n) => n !== 'complete');
      expect(nodeFolders).toHaveLength(1);
      expect(await readFile(path.join(kept, 'complete'), 'utf8')).toContain(process.version);
      expect((await readdir(path.join(kept, nodeFolders[0] ?? ''))).length, `round ${round}`).toBe(files);
    }
  });

  it('a refused first run leaves no cache folder at all', async () => {
    await writeFile(file, YAML.replace('users: [alex]', 'users: [alx]'));
    const r = await run(['validate', '-c', file]);
    expect(r.exitCode).toBe(1);
    await expect(readdir(cache)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
