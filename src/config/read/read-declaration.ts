/**
 * A declaration file's bytes, read without the YAML parser (which only a declaration not seen
 * before needs: declaration-cache.ts), and the errors of reading it.
 */

import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { errnoCode, isProvisionError, ProvisionError, type Problem } from '../../errors.js';
import { printable } from '../../text/printable.js';

/**
 * A household's file is a few dozen lines; a fleet of 1,000 machines of five users each, every
 * one with its own folders, is 556 KiB (bench/household-declaration.ts). A bigger file is a
 * mistake or an attack on the parser. Every step of reading and refusing one takes time linear
 * in its size (the schema's errors gathered in place, linear-errors.ts; only the problems shown
 * worded, schema-problems.ts), so the limit is set by what a fleet needs, not by the time: a
 * hostile file at the limit, every line a problem, is refused in about 2 s of CPU on this
 * project's 2-core build machine, most of it the YAML parser (test/config/bad-corpus.test.ts
 * holds it to 1 s plus 6 s per MiB, and checks that four times the file takes four times as long).
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** A file name as messages show it. */
export function shown(file: string): string {
  return printable(file, { limit: 300 });
}

export function tooLarge(file: string): Problem {
  return {
    code: 'CONFIG_INVALID',
    message: `${shown(file)} is larger than ${MAX_CONFIG_BYTES / 1024} KiB, far too large for a declaration`,
    hint: 'check that this is the right file: a backups.yaml is usually a few dozen lines',
    location: { file, line: 1, column: 1 },
  };
}

const UNREADABLE_HINTS: Record<string, string> = {
  ENOENT: 'check the path: no file is there',
  EACCES: 'you may not read this file: check its permissions',
  EPERM: 'the system refused access: on a Mac, check Full Disk Access for your terminal',
  EISDIR: 'this is a folder: give the path of the backups.yaml file in it',
  NOT_A_FILE: 'this is not a regular file (a device, a pipe or a socket): give the path of your backups.yaml',
  ENAMETOOLONG: 'the path is too long to be a file name: check it',
};

/**
 * The file's bytes, at most MAX_CONFIG_BYTES of them. Only regular files are opened: a pipe would
 * block and a device like /dev/zero never ends. Every failure is a ProvisionError.
 */
export async function readDeclarationBytes(file: string): Promise<Uint8Array> {
  try {
    return await readBytes(file);
  } catch (e) {
    if (isProvisionError(e)) throw e;
    const code = errnoCode(e) ?? 'unknown';
    throw ProvisionError.fromProblems([
      {
        code: 'CONFIG_UNREADABLE',
        message: code === 'NOT_A_FILE' ? `Cannot read ${shown(file)}: it is not a regular file` : `Cannot read ${shown(file)} (${code})`,
        hint: UNREADABLE_HINTS[code] ?? 'check that the file exists and that you may read it',
      },
    ]);
  }
}

/**
 * Synchronous: a declaration is small, and node:fs/promises would load its own module (with the
 * file watchers and readline) into every plan's start. Opened without blocking (O_NONBLOCK), so
 * that a file swapped for a pipe after the stat cannot hang the run, and checked again once open.
 */
async function readBytes(file: string): Promise<Uint8Array> {
  const info = statSync(file);
  if (info.isDirectory()) throw Object.assign(new Error(`${file} is a folder`), { code: 'EISDIR' });
  if (!info.isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'NOT_A_FILE' });
  if (info.size > MAX_CONFIG_BYTES) throw ProvisionError.fromProblems([tooLarge(file)]);
  const fd = openSync(file, process.platform === 'win32' ? 'r' : constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'NOT_A_FILE' });
    // One byte more than allowed tells a file that grew since stat.
    const buffer = new Uint8Array(Math.min(info.size, MAX_CONFIG_BYTES) + 1);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) {
        if (length > MAX_CONFIG_BYTES) throw ProvisionError.fromProblems([tooLarge(file)]);
        break;
      }
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}
