/**
 * The user's cache folder for provision, where the checked declarations are kept
 * (declaration-cache.ts). Never a temporary folder, which a run in Ansible's check mode must
 * leave as it found it.
 */

import { lstatSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The cache folder for this user, or undefined when there is none. PROVISION_CACHE_DIR names another; `off`: none. */
export function cacheFolder(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string | undefined {
  const chosen = env['PROVISION_CACHE_DIR'];
  if (chosen === 'off') return undefined;
  if (chosen !== undefined && chosen !== '') return chosen;
  if (home === '') return undefined;
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches', 'provision');
  if (platform === 'win32') return path.join(env['LOCALAPPDATA'] ?? path.join(home, 'AppData', 'Local'), 'provision', 'Cache');
  const xdg = env['XDG_CACHE_HOME'];
  return path.join(xdg !== undefined && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'provision');
}

/**
 * Whether the folder, or the nearest folder above it that exists, belongs to this process's
 * user: sudo may keep the user's HOME, and root then writes nothing into a folder not its own.
 */
export function ownedByMe(folder: string): boolean {
  if (process.getuid === undefined) return true;
  for (let dir = folder; ; dir = path.dirname(dir)) {
    let uid: number | undefined;
    try {
      uid = lstatSync(dir).uid;
    } catch {
      uid = undefined;
    }
    if (uid !== undefined) return uid === process.getuid();
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * The folder of compiled code (`<cache folder>/compiled`) and the cache folder above it are this
 * user's and no one else may write to them: what both code caches (src/cli/compiled-cache.ts,
 * src/cli/load-cli.ts) ask before they read or write there.
 */
export function compiledFolderPrivate(compiled: string): boolean {
  return privateToMe(path.dirname(compiled), 'folder') && privateToMe(compiled, 'folder');
}

/** A folder or file of this user's that no one else may write to (what either cache reads back). */
export function privateToMe(at: string, kind: 'folder' | 'file'): boolean {
  try {
    const st = lstatSync(at);
    if (kind === 'folder' ? !st.isDirectory() : !st.isFile()) return false;
    if ((st.mode & 0o022) !== 0) return false;
    return process.getuid === undefined || st.uid === process.getuid();
  } catch {
    return false;
  }
}
