/**
 * Which declaration to read: `-c FILE`, then $PROVISION_CONFIG, then ./backups.yaml, then the
 * usual dotfiles places. A path the user named that does not exist is an error, not a reason to
 * quietly read some other file.
 */

import { statSync } from 'node:fs';
import path from 'node:path';
import { ProvisionError } from '../../errors.js';
import { printable } from '../../text/printable.js';

export type ConfigSource = 'option' | 'PROVISION_CONFIG' | 'current folder' | 'dotfiles';

export interface FoundConfig {
  file: string;
  source: ConfigSource;
}

export interface FindConfigOptions {
  explicit?: string;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
}

export const CONFIG_FILE_NAME = 'backups.yaml';

/** The dotfiles places, in the order they are tried. */
export function dotfilesCandidates(home: string): string[] {
  return [
    path.join(home, '.dotfiles', CONFIG_FILE_NAME),
    path.join(home, 'dotfiles', CONFIG_FILE_NAME),
    path.join(home, '.config', 'provision', CONFIG_FILE_NAME),
  ];
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** A user-given path: `~/x` is the home folder (an env value may arrive unexpanded), relative is from cwd. */
function expand(p: string, opts: FindConfigOptions): string {
  const homed = p === '~' ? opts.home : p.startsWith('~/') || p.startsWith('~\\') ? path.join(opts.home, p.slice(2)) : p;
  return path.resolve(opts.cwd, homed);
}

/** A path as messages show it: escaped, and cut if absurdly long. */
function shown(p: string): string {
  return printable(p, { limit: 300 });
}

export function findConfigFile(opts: FindConfigOptions): FoundConfig {
  const named: [string | undefined, ConfigSource, string][] = [
    [opts.explicit, 'option', '-c'],
    [opts.env.PROVISION_CONFIG, 'PROVISION_CONFIG', '$PROVISION_CONFIG'],
  ];
  for (const [given, source, label] of named) {
    if (given === undefined || given === '') continue;
    const file = expand(given, opts);
    // Existing but unreadable (a folder, no permission) is left to loadConfig to explain.
    if (exists(file)) return { file, source };
    throw new ProvisionError('CONFIG_NOT_FOUND', `The declaration ${shown(file)} given by ${label} does not exist`, {
      hint: `check the path given by ${label}${source === 'PROVISION_CONFIG' ? ', or unset PROVISION_CONFIG to use the usual places' : ''}`,
    });
  }

  const local = path.join(opts.cwd, CONFIG_FILE_NAME);
  if (isFile(local)) return { file: local, source: 'current folder' };
  const dotfiles = dotfilesCandidates(opts.home);
  for (const file of dotfiles) if (isFile(file)) return { file, source: 'dotfiles' };

  const looked = [local, ...dotfiles];
  throw new ProvisionError('CONFIG_NOT_FOUND', `No ${CONFIG_FILE_NAME} found; looked in: ${looked.map(shown).join(', ')}`, {
    hint: `name the file with -c FILE (or set PROVISION_CONFIG), or create ${CONFIG_FILE_NAME} in one of those places`,
  });
}
