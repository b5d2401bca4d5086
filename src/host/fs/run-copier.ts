/**
 * Runs an external copier (GNU cp on Linux, ditto on macOS) as one child process, with an
 * argument array (never a shell), and reports progress while it runs:
 * - where a line names what was copied (cp -v: `'src' -> 'dest'`), the destination is lstat'ed
 *   (about a microsecond, while the copy runs in its own process): files and bytes exact;
 * - otherwise (ditto -V) files are the lines counted, and bytes how far the destination's free
 *   space dropped since the start (one statfs every half second): close enough for a progress
 *   line (other writers to the same drive show up in it too).
 * An abort (the move's AbortSignal) kills the child and throws an AbortError; a non-zero exit
 * throws the errno error its stderr names (copier-errors.ts).
 */

import { statfs } from 'node:fs/promises';
import type { CopyOptions, CopyProgress } from '../host.js';
import { copierFailure } from './copier-errors.js';
import { AbortError, throwIfAborted } from './fs-error.js';
import { ProgressThrottle } from './progress-throttle.js';

const POLL_MS = 500;

/** What one line of the tool's verbose output copied: a file of so many bytes, or something else (undefined). */
export type LineMeaning = (line: string) => { file: boolean; bytes: number } | undefined;

export async function runCopier(tool: string, command: string, args: readonly string[], watched: string, options: CopyOptions, meaning?: LineMeaning): Promise<CopyProgress> {
  const { signal } = options;
  throwIfAborted(signal, 'copy');
  const { execa } = await import('execa');
  const progress: CopyProgress = { files: 0, bytes: 0 };
  const throttle = new ProgressThrottle(options.onProgress);
  const free = async (): Promise<number | undefined> => {
    try {
      const s = await statfs(watched);
      return s.bavail * s.bsize;
    } catch {
      return undefined;
    }
  };
  const freeAtStart = await free();
  const child = execa(command, args, {
    reject: false,
    stdin: 'ignore',
    // Errors in the C locale's words, which copier-errors.ts reads.
    env: { LC_ALL: 'C' },
    ...(signal === undefined ? {} : { cancelSignal: signal }),
    buffer: { stdout: false, stderr: true },
    stripFinalNewline: false,
  });
  let rest = '';
  const countLines = (chunk: Buffer | string): void => {
    const text = rest + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (meaning === undefined) {
        progress.files++;
        continue;
      }
      const what = meaning(line);
      if (what?.file === true) {
        progress.files++;
        progress.bytes += what.bytes;
      }
    }
    throttle.report(progress);
  };
  child.stdout?.on('data', countLines);
  // ditto -V writes its lines to stderr; cp writes only errors there.
  if (tool === 'ditto') child.stderr?.on('data', countLines);
  const timer = setInterval(() => {
    if (meaning !== undefined) return;
    void free().then((now) => {
      if (now !== undefined && freeAtStart !== undefined) progress.bytes = Math.max(progress.bytes, freeAtStart - now);
      throttle.report(progress);
    });
  }, POLL_MS);
  let result;
  try {
    result = await child;
  } finally {
    clearInterval(timer);
  }
  if (signal?.aborted === true) throw new AbortError(`${tool} was aborted`, { cause: signal.reason });
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if (result.exitCode === 0) {
    const now = meaning === undefined ? await free() : undefined;
    if (now !== undefined && freeAtStart !== undefined) progress.bytes = Math.max(progress.bytes, freeAtStart - now);
    throttle.final(progress);
    return { ...progress };
  }
  const code = 'code' in result && typeof result.code === 'string' ? result.code : undefined;
  if (result.exitCode === undefined && code === 'ENOENT') {
    throw new Error(`${tool} is needed to copy with everything a file carries, and was not found (${command})`);
  }
  throw copierFailure(tool, result.exitCode ?? 1, stderr);
}
