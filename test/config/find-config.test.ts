import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findConfigFile } from '../../src/config/read/find-config.js';
import { isProvisionError } from '../../src/errors.js';

describe('findConfigFile', () => {
  let root: string;
  let cwd: string;
  let home: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'provision-find-'));
    cwd = join(root, 'work');
    home = join(root, 'home');
    await mkdir(cwd, { recursive: true });
    await mkdir(home, { recursive: true });
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const put = async (path: string): Promise<string> => {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, 'version: 1\n');
    return path;
  };

  it('follows the order: -c, $PROVISION_CONFIG, ./backups.yaml, then the dotfiles places', async () => {
    const config = await put(join(home, '.config', 'provision', 'backups.yaml'));
    expect(findConfigFile({ env: {}, cwd, home })).toEqual({ file: config, source: 'dotfiles' });

    const plain = await put(join(home, 'dotfiles', 'backups.yaml'));
    expect(findConfigFile({ env: {}, cwd, home })).toEqual({ file: plain, source: 'dotfiles' });

    const dotted = await put(join(home, '.dotfiles', 'backups.yaml'));
    expect(findConfigFile({ env: {}, cwd, home })).toEqual({ file: dotted, source: 'dotfiles' });

    const local = await put(join(cwd, 'backups.yaml'));
    expect(findConfigFile({ env: {}, cwd, home })).toEqual({ file: local, source: 'current folder' });

    const fromEnv = await put(join(root, 'env.yaml'));
    expect(findConfigFile({ env: { PROVISION_CONFIG: fromEnv }, cwd, home })).toEqual({ file: fromEnv, source: 'PROVISION_CONFIG' });

    const explicit = await put(join(root, 'explicit.yaml'));
    expect(findConfigFile({ explicit, env: { PROVISION_CONFIG: fromEnv }, cwd, home })).toEqual({ file: explicit, source: 'option' });
  });

  it('resolves a relative -c against the current folder and ~ against home', async () => {
    const rel = await put(join(cwd, 'conf', 'mine.yaml'));
    expect(findConfigFile({ explicit: 'conf/mine.yaml', env: {}, cwd, home }).file).toBe(rel);
    const homed = await put(join(home, 'b.yaml'));
    expect(findConfigFile({ env: { PROVISION_CONFIG: '~/b.yaml' }, cwd, home }).file).toBe(homed);
  });

  it('does not fall through when a named file is missing', async () => {
    await put(join(cwd, 'backups.yaml'));
    expect(() => findConfigFile({ explicit: 'missing.yaml', env: {}, cwd, home })).toThrow(expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }));
    expect(() => findConfigFile({ env: { PROVISION_CONFIG: join(root, 'gone.yaml') }, cwd, home })).toThrow(
      expect.objectContaining({ code: 'CONFIG_NOT_FOUND' }),
    );
    // An empty variable counts as unset.
    expect(findConfigFile({ env: { PROVISION_CONFIG: '' }, cwd, home }).source).toBe('current folder');
  });

  it('lists every place it looked when nothing is found, with a hint', () => {
    let error: unknown;
    try {
      findConfigFile({ env: {}, cwd, home });
    } catch (e) {
      error = e;
    }
    expect(isProvisionError(error)).toBe(true);
    if (!isProvisionError(error)) return;
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    for (const place of [join(cwd, 'backups.yaml'), join(home, '.dotfiles', 'backups.yaml'), join(home, 'dotfiles', 'backups.yaml'), join(home, '.config', 'provision', 'backups.yaml')]) {
      expect(error.message).toContain(place);
    }
    expect(error.hint).toContain('-c FILE');
  });
});
