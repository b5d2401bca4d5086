/** Whether a command is on PATH, without running it (a `which` of our own: `which` itself may be missing). */

import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, sep } from 'node:path';

export async function hasCommand(command: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (command === '') return false;
  const names = candidateNames(command, env);
  if (command.includes('/') || command.includes(sep) || isAbsolute(command)) {
    for (const name of names) if (await isExecutableFile(name)) return true;
    return false;
  }
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter((d) => d !== '');
  for (const dir of dirs) {
    for (const name of names) if (await isExecutableFile(join(dir, name))) return true;
  }
  return false;
}

/** On Windows a command runs by any of the PATHEXT extensions. */
function candidateNames(command: string, env: NodeJS.ProcessEnv): string[] {
  if (process.platform !== 'win32') return [command];
  const exts = (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '');
  return [command, ...exts.map((e) => command + e.toLowerCase()), ...exts.map((e) => command + e)];
}

/**
 * Synchronous: a few stat calls of microseconds each. Through the thread pool, each of them
 * waited for the event loop's next turn, which a synchronous walk running beside (a plan walks
 * the folder to move while diskutil is being started) gives only between its chunks.
 */
async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats === undefined || !stats.isFile()) return false;
    if (process.platform === 'win32') return true;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
