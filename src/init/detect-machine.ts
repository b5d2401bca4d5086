/**
 * Who and where init is writing for: this computer's names, its platform, the person and their
 * home. Reads only. Under --root the machine is the folder given, as for plan: its paths go
 * through the path mapper, and its name comes from scutil when scutil is on PATH (the simulator
 * in tests), as run-context.ts does.
 */

import os from 'node:os';
import path from 'node:path';
import type { Platform } from '../config/model/declared.js';
import { defaultHome } from '../desired/default-home.js';
import type { DualPath } from '../machine/path-mapper.js';
import { ProvisionError } from '../errors.js';
import type { HostReads } from '../host/host.js';
import { computerNames } from '../machine/computer-names.js';
import { createPathMapper, type PathMapper } from '../machine/path-mapper.js';
import { isValidName } from './names.js';

export interface DetectOptions {
  root?: string;
  platform?: Platform;
  user?: string;
}

export interface DetectedMachine {
  platform: Platform;
  paths: PathMapper;
  /** This computer's names, best first (ComputerName on a Mac). Never empty. */
  names: string[];
  user: string;
  home: DualPath;
  homeExists: boolean;
}

const RUNNING: Partial<Record<NodeJS.Platform, Platform>> = { darwin: 'macos', win32: 'windows', linux: 'linux' };

export async function detectMachine(reads: HostReads, opts: DetectOptions): Promise<DetectedMachine> {
  const root = opts.root === undefined ? undefined : path.resolve(opts.root);
  if (root !== undefined && (await reads.lstat(root))?.kind !== 'directory') {
    throw new ProvisionError('ROOT_INVALID', `--root ${opts.root} is not a folder`, { hint: "give an existing folder that stands for the machine's /" });
  }
  const platform = choosePlatform(opts.platform, root);
  const paths = createPathMapper(platform, root);
  const names = await computerNames(reads, process.platform);
  if (names.length === 0) {
    throw new ProvisionError('MACHINE_NOT_DETECTED', "this computer's name could not be found", {
      hint: 'set a computer name (on a Mac: System Settings > General > Sharing), then run init again',
    });
  }
  const { user, own } = chooseUser(opts.user);
  // Without --root the invoking account's real home is known; anyone else's follows the
  // platform's convention, as plan assumes (resolve-users.ts).
  const homeMachine = root === undefined && own ? os.homedir() : defaultHome(platform, user);
  const home = { machine: homeMachine, host: paths.toHost(homeMachine) };
  const homeExists = (await reads.lstat(home.host).catch(() => undefined))?.kind === 'directory';
  return { platform, paths, names, user, home, homeExists };
}

/**
 * The running OS, or with --root the --platform given (macos by default, as a machine declared
 * without a platform is). --platform without --root may only name the running OS: provision
 * refuses to plan a machine of another platform from here without --root.
 */
function choosePlatform(wanted: Platform | undefined, root: string | undefined): Platform {
  if (root !== undefined) return wanted ?? 'macos';
  const running = RUNNING[process.platform];
  if (running === undefined) {
    throw new ProvisionError('PLATFORM_MISMATCH', `provision does not know this computer's OS (${process.platform})`, {
      hint: 'run init on a Mac, a Windows PC or Linux, or pass --root DIR --platform NAME to describe a machine from here',
    });
  }
  if (wanted !== undefined && wanted !== running) {
    throw new ProvisionError('USAGE', `--platform ${wanted}: this computer runs ${running}`, {
      hint: 'leave --platform out, or pass --root DIR to describe another machine from its disk',
    });
  }
  return running;
}

/** --user, or whoever runs init (the account behind sudo when run with sudo). */
function chooseUser(given: string | undefined): { user: string; own: boolean } {
  const me = os.userInfo().username;
  if (given !== undefined) {
    if (!isValidName(given)) {
      throw new ProvisionError('USAGE', `--user ${given} is not a name a declaration can hold`, {
        hint: "give the account's short name: letters, digits, '.', '_' and '-'",
      });
    }
    return { user: given, own: given === me };
  }
  const sudoUser = process.env['SUDO_USER'];
  const user = process.getuid?.() === 0 && sudoUser !== undefined && sudoUser !== '' ? sudoUser : me;
  if (user === 'root') {
    throw new ProvisionError('USAGE', 'init declares a person\'s account, and it is running as root', {
      hint: 'run it as yourself, or name the account with --user NAME',
    });
  }
  if (!isValidName(user)) {
    throw new ProvisionError('USAGE', `your account name ${JSON.stringify(user)} is not a name a declaration can hold`, {
      hint: "pass the account's short name with --user NAME (letters, digits, '.', '_' and '-')",
    });
  }
  return { user, own: user === me };
}
