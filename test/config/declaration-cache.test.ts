import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheFolder, cachedDeclaration, KEPT_ENTRIES, keepDeclaration } from '../../src/config/declaration-cache.js';
import { parseConfig } from '../../src/config/load-config.js';
import { CLI, REPO } from '../helpers/sandbox.js';
import { ONE_DRIVE_DECLARATION } from '../helpers/one-drive-declaration.js';

const YAML = ONE_DRIVE_DECLARATION;

describe('the cache of checked declarations', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'provision-cache-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const BYTES = Buffer.from(YAML);
  const OTHER = Buffer.from(YAML.replace('iMac', 'iMaC'));
  const checked = () => ({ ...parseConfig(YAML, '/dotfiles/backups.yaml'), sha256: 'a'.repeat(64) });

  it('gives back, for the same bytes and build, the same values and the same places', async () => {
    const loaded = checked();
    await keepDeclaration(loaded, BYTES, 'build1', dir);
    const kept = await cachedDeclaration('/elsewhere/backups.yaml', BYTES, 'build1', dir);
    expect(kept?.config).toEqual(loaded.config);
    expect(kept?.sha256).toBe('a'.repeat(64));
    for (const p of [['machines', 'imac', 'hostname', 1], ['users', 'alex', 'mobilesync', 'path'], ['drives'], []]) {
      expect(kept?.locate(p)).toEqual({ ...loaded.locate(p), file: '/elsewhere/backups.yaml' });
    }
    // A place with no value: the nearest value above it.
    expect(kept?.locate(['machines', 'imac', 'timemachine'])).toEqual({ ...loaded.locate(['machines', 'imac']), file: '/elsewhere/backups.yaml' });
  });

  it('answers only for the same bytes and the same build, and never with an entry others may write or that does not read back', async () => {
    await keepDeclaration(checked(), BYTES, 'build1', dir);
    expect(await cachedDeclaration('f', OTHER, 'build1', dir)).toBeUndefined();
    expect(await cachedDeclaration('f', BYTES, 'build2', dir)).toBeUndefined();
    expect(await cachedDeclaration('f', BYTES, undefined, dir)).toBeUndefined();
    const [name] = await readdir(path.join(dir, 'declarations'));
    const entry = path.join(dir, 'declarations', name ?? '');
    await chmod(entry, 0o620);
    expect(await cachedDeclaration('f', BYTES, 'build1', dir)).toBeUndefined();
    await chmod(entry, 0o600);
    expect(await cachedDeclaration('f', BYTES, 'build1', dir)).toBeDefined();
    // The same place, other bytes (as a collision of the quick hash would give): not an answer for these.
    const stored = JSON.parse(await readFile(entry, 'utf8')) as { bytes: string };
    await writeFile(entry, JSON.stringify({ ...stored, bytes: OTHER.toString('base64') }), { mode: 0o600 });
    expect(await cachedDeclaration('f', BYTES, 'build1', dir)).toBeUndefined();
    await writeFile(entry, (await readFile(entry, 'utf8')).slice(0, 40));
    expect(await cachedDeclaration('f', BYTES, 'build1', dir)).toBeUndefined();
  });

  it('keeps at most KEPT_ENTRIES, none older than a month: a run that keeps one removes the rest (edits and builds do not pile up)', async () => {
    const folder = path.join(dir, 'declarations');
    await mkdir(folder, { recursive: true, mode: 0o700 });
    // Entries of earlier edits and builds, each a day older than the one before.
    const day = 24 * 3600 * 1000;
    const names: string[] = [];
    for (let i = 0; i < 40; i++) {
      const name = `0000${String(i).padStart(4, '0')}-10-build${i % 3}.json`;
      names.push(name);
      await writeFile(path.join(folder, name), '{}', { mode: 0o600 });
      const when = new Date(Date.now() - (i + 1) * day);
      await utimes(path.join(folder, name), when, when);
    }
    // What a killed run's write left, two days ago; another run's write in progress, now.
    const stale = path.join(folder, 'dead.json.1.tmp');
    const live = path.join(folder, 'live.json.2.tmp');
    await writeFile(stale, 'x');
    await utimes(stale, new Date(Date.now() - 2 * day), new Date(Date.now() - 2 * day));
    await writeFile(live, 'x');
    await keepDeclaration(checked(), BYTES, 'build1', dir);
    const left = (await readdir(folder)).sort();
    // The new entry and the newest others, up to KEPT_ENTRIES.
    expect(left.filter((n) => n.endsWith('.json'))).toHaveLength(KEPT_ENTRIES);
    expect(left).toEqual(expect.arrayContaining(names.slice(0, KEPT_ENTRIES - 1)));
    expect(left).toContain('live.json.2.tmp');
    expect(left).not.toContain('dead.json.1.tmp');
    expect(await cachedDeclaration('f', BYTES, 'build1', dir)).toBeDefined();
    // None older than a month, however few.
    for (const name of left.filter((n) => n.startsWith('0000'))) await rm(path.join(folder, name));
    const old = path.join(folder, 'ffffffff-10-build9.json');
    await writeFile(old, '{}', { mode: 0o600 });
    await utimes(old, new Date(Date.now() - 31 * day), new Date(Date.now() - 31 * day));
    await keepDeclaration(checked(), OTHER, 'build1', dir);
    expect((await readdir(folder)).filter((n) => n.endsWith('.json'))).toHaveLength(2);
    await expect(readFile(old)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes nothing into a folder of another user (sudo keeping the HOME of the one who ran it)', async () => {
    if (process.getuid?.() !== 0) return;
    const theirs = path.join(dir, 'theirs');
    await mkdir(theirs);
    await chown(theirs, 4321, 4321);
    await keepDeclaration(checked(), BYTES, 'build1', path.join(theirs, '.cache', 'provision'));
    expect(await readdir(theirs)).toEqual([]);
  });

  it('lives in the user cache folder of each platform, or where PROVISION_CACHE_DIR says; off turns it off', () => {
    expect(cacheFolder({}, 'darwin', '/Users/alex')).toBe('/Users/alex/Library/Caches/provision');
    expect(cacheFolder({}, 'linux', '/home/alex')).toBe('/home/alex/.cache/provision');
    expect(cacheFolder({ XDG_CACHE_HOME: '/var/cache/alex' }, 'linux', '/home/alex')).toBe('/var/cache/alex/provision');
    expect(cacheFolder({ PROVISION_CACHE_DIR: '/tmp/c' }, 'linux', '/home/alex')).toBe('/tmp/c');
    expect(cacheFolder({ PROVISION_CACHE_DIR: 'off' }, 'linux', '/home/alex')).toBeUndefined();
  });

  it('the built CLI keeps a declaration it checked and answers from it, never for a file that changed or one that is refused', async () => {
    const file = path.join(dir, 'backups.yaml');
    const cache = path.join(dir, 'cache');
    await writeFile(file, YAML);
    const validate = () => execa(process.execPath, [CLI, 'validate', '-c', file], { reject: false, env: { PROVISION_CACHE_DIR: cache, NO_COLOR: '1' }, cwd: REPO });
    expect((await validate()).exitCode).toBe(0);
    expect(await readdir(path.join(cache, 'declarations'))).toHaveLength(1);
    expect((await validate()).stdout).toContain('Valid:');
    // One byte changed: checked again, and refused, with its place; nothing new is kept.
    await writeFile(file, YAML.replace('users: [alex]', 'users: [alx]'));
    const bad = await validate();
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain(`${file}:10:13: Machine imac lists user \`alx\``);
    expect(await readdir(path.join(cache, 'declarations'))).toHaveLength(1);
  });

  it("a converged run's start loads neither the YAML parser nor node:crypto nor node:child_process", async () => {
    const file = path.join(dir, 'backups.yaml');
    const cache = path.join(dir, 'cache');
    const reporter = path.join(dir, 'loaded.mjs');
    await writeFile(file, YAML);
    // At exit: Node's own modules loaded, and every file of the bundle read.
    await writeFile(reporter, "process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList)));\n");
    const run = () => execa(process.execPath, ['--import', reporter, CLI, 'validate', '-c', file], { env: { PROVISION_CACHE_DIR: cache, NO_COLOR: '1' } });
    await run();
    const loaded = JSON.parse((await run()).stderr) as string[];
    expect(loaded).not.toContain('NativeModule crypto');
    expect(loaded).not.toContain('NativeModule child_process');
    expect(loaded).toContain('NativeModule fs');
  });

  it('a refused declaration leaves nothing in the cache folder or the temporary folder (Node\'s compile cache stays off)', async () => {
    const file = path.join(dir, 'backups.yaml');
    const cache = path.join(dir, 'cache');
    const tmp = path.join(dir, 'tmp');
    await mkdir(tmp);
    await writeFile(file, YAML.replace('users: [alex]', 'users: [alx]'));
    const r = await execa(process.execPath, [CLI, 'validate', '-c', file], { reject: false, env: { PROVISION_CACHE_DIR: cache, TMPDIR: tmp, NO_COLOR: '1' } });
    expect(r.exitCode).toBe(1);
    expect(await readdir(tmp)).toEqual([]);
    await expect(readdir(cache)).rejects.toMatchObject({ code: 'ENOENT' });
  });

});
