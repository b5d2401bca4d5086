/**
 * Standard output and error for the CLI's own text, written without Node's stream objects where
 * that changes nothing a reader sees.
 *
 * Why: the first use of process.stdout or process.stderr builds a stream object, and for a pipe
 * or a socket that loads node:net and the whole streams machinery: about a tenth of a converged
 * plan's start (docs/performance.md). A pipe or a file gets the same bytes, in the same order,
 * from a plain write(2) on the descriptor.
 *
 * Rules, so that nothing is reordered or lost:
 * - what may be a terminal (a character device other than /dev/null) and Windows always go
 *   through the stream: it knows the terminal's width and colours, and Windows' console wants
 *   its own encoding;
 * - once anything (a prompt, apply's progress display, a library) has made the stream, every later
 *   write goes through it too, so text written before it is all out before the stream's first;
 * - a reader that went away (EPIPE) drops the rest quietly, as quietWhenReaderGoes does for the
 *   streams; a descriptor left non-blocking by another program (EAGAIN) is waited for.
 */

import { fstatSync, writeSync } from 'node:fs';
import { mayBeTerminal } from '../host/terminal.js';

type Name = 'stdout' | 'stderr';

/** What the CLI's text needs of an output: a stream of its own or a plain descriptor. */
export interface StdOutput {
  write(text: string): void;
  readonly isTTY: boolean;
  readonly columns: number | undefined;
}

const made = new Map<Name, NodeJS.WriteStream>();
let failed = false;
let watching = false;

/**
 * Makes every later creation of process.stdout/stderr, by anyone, known here (and quiet when its
 * reader goes). Called once, before the CLI writes anything.
 */
export function watchStdStreams(): void {
  if (watching) return;
  watching = true;
  for (const name of ['stdout', 'stderr'] as const) {
    const own = Object.getOwnPropertyDescriptor(process, name);
    const get = own?.get;
    if (own === undefined || get === undefined || own.configurable !== true) {
      // Not a lazy getter on this Node: the stream exists already.
      remember(name, process[name]);
      continue;
    }
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: own.enumerable ?? false,
      get(): NodeJS.WriteStream {
        const stream = get.call(process) as NodeJS.WriteStream;
        remember(name, stream);
        return stream;
      },
    });
  }
}

/** Whether a write to stdout or stderr failed for a reason other than its reader going away. */
export function stdOutputFailed(): boolean {
  return failed;
}

export const stdout: StdOutput = output('stdout', 1);
export const stderr: StdOutput = output('stderr', 2);

function output(name: Name, fd: 1 | 2): StdOutput {
  let direct: boolean | undefined;
  let closed = false;
  // Decided on first use, not at load: tests and embedders may replace the descriptors first.
  const useDirect = (): boolean => {
    direct ??= process.platform !== 'win32' && !mayBeTerminal(fd) && open(fd);
    return direct && !made.has(name);
  };
  return {
    write(text: string): void {
      if (!useDirect()) {
        process[name].write(text);
        return;
      }
      if (closed) return;
      const result = writeAll(fd, Buffer.from(text, 'utf8'));
      if (result === 'closed') closed = true;
      if (result === 'failed') {
        closed = true;
        failed = true;
      }
    },
    get isTTY(): boolean {
      return useDirect() ? false : process[name].isTTY === true;
    },
    get columns(): number | undefined {
      return useDirect() ? undefined : process[name].columns;
    },
  };
}

function remember(name: Name, stream: NodeJS.WriteStream): void {
  if (made.has(name)) return;
  made.set(name, stream);
  quietWhenReaderGoes(stream);
}

/**
 * `provision status | head -3`: when the reader of the output goes away, writing to it fails
 * with EPIPE, and an unhandled stream error would end the process with a stack trace, perhaps
 * in the middle of an apply. Output nobody reads is dropped instead and the work goes on.
 */
function quietWhenReaderGoes(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return;
    failed = true;
    process.exitCode = 1;
  });
}

/** A closed descriptor goes to the stream, which reports it as Node always has. */
function open(fd: number): boolean {
  try {
    fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function writeAll(fd: number, bytes: Buffer): 'ok' | 'closed' | 'failed' {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // Non-blocking and full: the reader is slow, not gone.
        Atomics.wait(pause, 0, 0, 2);
        continue;
      }
      return code === 'EPIPE' ? 'closed' : 'failed';
    }
  }
  return 'ok';
}
