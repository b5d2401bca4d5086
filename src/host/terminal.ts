import { fstatSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Whether a descriptor may be a terminal, without node:tty: loading that (and so node:net and the
 * streams machinery) is a part of a converged plan's start (docs/performance.md). Only a character
 * device can be a terminal; /dev/null, which launchd and cron give a scheduled run, is one too
 * and is told apart by its device number. A closed or unreadable descriptor is no terminal.
 */
export function mayBeTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice()) return false;
    return process.platform === 'win32' || st.rdev !== statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}

/**
 * Whether standard input is a terminal (someone could answer a prompt), as process.stdin.isTTY
 * says, without making process.stdin: that builds a stream object, for a pipe with node:net.
 * node:tty is asked only about what mayBeTerminal cannot rule out.
 */
export function stdinIsTerminal(): boolean {
  if (!mayBeTerminal(0)) return false;
  const tty = createRequire(import.meta.url)('node:tty') as typeof import('node:tty');
  return tty.isatty(0);
}
