import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunOptions, RunResult } from '../../src/host/host.js';
import { RealHost } from '../../src/host/real-host.js';
import { hasCommand } from '../../src/host/fs/find-command.js';
import { LSOF_ARGS, LSOF_ARGS_WHOLE, decodeLsofName, encodeLsofName, findOpenWriters, parseLsofFields } from '../../src/machine/open-writers.js';
import { makeTempDir, removeTempDir } from '../host/fs/temp-dir.js';

/** Real processes holding files open; each is ended (by its own pid) after the test. */
const children: ChildProcessWithoutNullStreams[] = [];

/** Starts a process and waits until it prints `ready` (it then holds its files open). */
async function startHolding(command: string, args: string[], input?: string): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(command, args, { stdio: 'pipe' });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${command} never got ready: ${out}`)), 10_000);
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`${command} exited ${code}: ${out}`)));
    if (input !== undefined) child.stdin.write(input);
  });
  return child;
}

/** A shell that opens `file` on descriptor 3 with `redirection` (>> or <) and waits. */
function shellHolding(file: string, redirection: '>>' | '<'): Promise<ChildProcessWithoutNullStreams> {
  // `read` is a builtin: no child process inherits descriptor 3.
  return startHolding('bash', ['-c', `exec 3${redirection}"$1"; echo ready; read -r _`, 'holder', file]);
}

let dir: string;
let tree: string;
const host = new RealHost();

beforeEach(async () => {
  dir = await makeTempDir();
  tree = join(dir, 'MobileSync', 'Backup');
  await mkdir(join(tree, 'device1', 'ab'), { recursive: true });
  await writeFile(join(tree, 'device1', 'Status.plist'), 'status');
  await writeFile(join(tree, 'device1', 'ab', 'abcdef'), 'data');
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }
  await removeTempDir(dir);
});

describe('findOpenWriters with real processes (lsof)', () => {
  it('finds a shell holding `exec 3>>file` in the tree, naming the process and the file', async () => {
    const file = join(tree, 'device1', 'Status.plist');
    const child = await shellHolding(file, '>>');
    const found = await findOpenWriters(host, [tree]);
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(found.writers).toContainEqual(expect.objectContaining({ pid: child.pid, command: 'bash', path: file, mode: 'w' }));
    expect(found.writers.every((w) => w.path.startsWith(tree))).toBe(true);
    // Another folder is not concerned.
    const other = await findOpenWriters(host, [join(dir, 'elsewhere')]);
    expect(other.ok && other.writers).toEqual([]);
  });

  it('takes a listing without memory maps, program text and working folders, and still finds the writer', async () => {
    // What has no descriptor number is never a writer: lsof leaves it out (-d), which made the
    // listing a fifteenth of its size and lsof twice as fast on the build machine.
    const file = join(tree, 'device1', 'Status.plist');
    const child = await shellHolding(file, '>>');
    const listings: RunResult[] = [];
    class ListingKept extends RealHost {
      override async query(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
        const result = await super.query(command, args, options);
        if (command === 'lsof') listings.push(result);
        return result;
      }
    }
    const found = await findOpenWriters(new ListingKept(), [tree]);
    expect(found.ok && found.writers.map((w) => w.pid)).toContain(child.pid);
    expect(listings).toHaveLength(1);
    const descriptors = new Set((listings[0]?.stdout ?? '').split('\n').filter((l) => l.startsWith('f')).map((l) => l.slice(1)));
    // bash itself has its program text, its working folder and mapped libraries: none is listed.
    for (const left of ['txt', 'mem', 'cwd', 'rtd', 'DEL']) expect(descriptors.has(left)).toBe(false);
    expect(descriptors.has('3')).toBe(true);
  });

  it('asks an lsof that refuses -d for the whole listing, and still finds the writer', async () => {
    // As lsof 4.98+ answers a descriptor name it does not know (LSOF_TAKES_FD_EXCLUSIONS).
    const file = join(tree, 'device1', 'Status.plist');
    const child = await shellHolding(file, '>>');
    const realLsof = (await execa('sh', ['-c', 'command -v lsof'])).stdout.trim();
    const refusing = join(dir, 'lsof-refusing-d');
    const script = ['#!/bin/sh', 'for a in "$@"; do', '  if [ "$a" = -d ]; then echo "lsof: invalid fd type given in -d option" >&2; exit 1; fi', 'done', `exec "${realLsof}" "$@"`, ''];
    await writeFile(refusing, script.join('\n'), { mode: 0o755 });
    const asked: string[][] = [];
    class RefusingHost extends RealHost {
      override query(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
        if (command !== 'lsof') return super.query(command, args, options);
        asked.push([...args]);
        return super.query(refusing, args, options);
      }
    }
    const found = await findOpenWriters(new RefusingHost(), [tree]);
    expect(found.ok && found.writers.map((w) => w.pid)).toContain(child.pid);
    expect(asked).toEqual([[...LSOF_ARGS], [...LSOF_ARGS_WHOLE]]);
  });

  it('finds an SQLite connection with an open write transaction on a database in the tree', async () => {
    const db = join(tree, 'device1', 'Manifest.db');
    await execa('sqlite3', [db, 'CREATE TABLE Files(fileID TEXT)']);
    const child = await startHolding('sqlite3', [db], "BEGIN; INSERT INTO Files VALUES ('a'); SELECT 'ready';\n");
    const found = await findOpenWriters(host, [tree]);
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    const mine = found.writers.filter((w) => w.pid === child.pid);
    expect(mine.map((w) => w.command)).toContain('sqlite3');
    // The database (open read-write) and its rollback journal, which the transaction created.
    expect(mine.map((w) => w.path)).toEqual(expect.arrayContaining([db, `${db}-journal`]));
  });

  it('does not count a reader (exec 3<file) as a writer', async () => {
    const child = await shellHolding(join(tree, 'device1', 'Status.plist'), '<');
    const found = await findOpenWriters(host, [tree]);
    expect(found.ok && found.writers.filter((w) => w.pid === child.pid)).toEqual([]);
  });

  it('reports the named background daemons apart, not as writers', async () => {
    const child = await shellHolding(join(tree, 'device1', 'ab', 'abcdef'), '>>');
    const found = await findOpenWriters(host, [tree], { background: ['bash'] });
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    expect(found.writers.filter((w) => w.pid === child.pid)).toEqual([]);
    expect(found.background).toContainEqual(expect.objectContaining({ pid: child.pid, command: 'bash' }));
  });

  it('finds the writer when the folder is given through a link, and in a folder whose name is not ASCII', async () => {
    const odd = join(tree, 'Sauvegarde été\\x41 ^A');
    await mkdir(odd);
    const file = join(odd, 'fichier');
    const child = await shellHolding(file, '>>');
    await symlink(tree, join(dir, 'link-to-backup'));
    const found = await findOpenWriters(host, [join(dir, 'link-to-backup')]);
    // Matched exactly (in lsof's printed form); the name in messages reads `^A` as the control
    // character it also stands for.
    expect(found.ok && found.writers.filter((w) => w.pid === child.pid).map((w) => w.path)).toEqual([file.replace('^A', '\u0001')]);
  });

  it('is a blocker-style result when lsof is not on PATH', async () => {
    const empty = join(dir, 'empty-bin');
    await mkdir(empty);
    class NoLsofHost extends RealHost {
      override hasCommand(command: string): Promise<boolean> {
        return hasCommand(command, { PATH: empty });
      }
    }
    const found = await findOpenWriters(new NoLsofHost(), [tree]);
    expect(found).toMatchObject({ ok: false, code: 'LSOF_MISSING' });
    if (!found.ok) expect(found.fix).toMatch(/lsof/);
  });

  it.runIf(process.platform === 'linux')('run as another user, names the processes it cannot look into', async () => {
    // lsof as nobody: other users' /proc/PID/fd cannot be read (Linux), and lsof says so.
    class NobodyHost extends RealHost {
      override query(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
        return super.query('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', command, ...args], options);
      }
    }
    const child = await shellHolding(join(tree, 'device1', 'Status.plist'), '>>');
    const found = await findOpenWriters(new NobodyHost(), [tree], { asRoot: false });
    expect(found.ok).toBe(true);
    if (!found.ok) return;
    // The writer runs as root: nobody cannot see it, and says so rather than "no writer".
    expect(found.writers).toEqual([]);
    expect(found.unseen?.asRoot).toBe(false);
    expect(found.unseen?.processes.map((p) => p.pid)).toContain(child.pid);
  });
});

describe('one listing looked at several times', () => {
  it('is parsed once, and each look finds the writers of its own folders', async () => {
    const other = join(dir, 'Pictures');
    await mkdir(other);
    // A real listing with two writers, one in each folder, answered by the same object each time
    // (as an apply round gives its plan's listing again: host/round-reads.ts).
    const a = await shellHolding(join(tree, 'device1', 'Status.plist'), '>>');
    const b = await shellHolding(join(other, 'x'), '>>');
    const real = await host.query('lsof', LSOF_ARGS, { env: { LC_ALL: 'C' } });
    let reads = 0;
    const listing: RunResult = {
      exitCode: real.exitCode,
      stderr: real.stderr,
      get stdout() {
        reads++;
        return real.stdout;
      },
    };
    class KeptHost extends RealHost {
      override query(): Promise<RunResult> {
        return Promise.resolve(listing);
      }
    }
    const kept = new KeptHost();
    const inTree = await findOpenWriters(kept, [tree]);
    const inOther = await findOpenWriters(kept, [other]);
    const inNeither = await findOpenWriters(kept, [join(dir, 'elsewhere')]);
    expect(inTree.ok && inTree.writers.map((w) => w.pid)).toEqual([a.pid]);
    expect(inOther.ok && inOther.writers.map((w) => w.pid)).toEqual([b.pid]);
    expect(inNeither.ok && inNeither.writers).toEqual([]);
    expect(reads).toBe(1);
  });
});

describe('when lsof starts', () => {
  it('before anything is awaited: the caller may go on with a synchronous walk at once', async () => {
    let started = false;
    class Recording extends RealHost {
      override query(command: string, args: readonly string[], options?: RunOptions): Promise<RunResult> {
        started = true;
        return super.query(command, args, options);
      }
    }
    const found = findOpenWriters(new Recording(), [tree]);
    expect(started).toBe(true);
    expect((await found).ok).toBe(true);
  });
});

describe('lsof field output', () => {
  it('decodes the escapes lsof prints names with', () => {
    expect(decodeLsofName('/a b/c\\\\d')).toBe('/a b/c\\d');
    expect(decodeLsofName('/caf\\xc3\\xa9/x')).toBe('/café/x');
    expect(decodeLsofName('/tab\\there\\nnl')).toBe('/tab\there\nnl');
    expect(decodeLsofName('/ctl^A')).toBe('/ctl\u0001');
  });

  it('encodes a folder as lsof prints it, so that names are compared exactly', () => {
    expect(encodeLsofName('/Users/alex/Library/Application Support')).toBe('/Users/alex/Library/Application Support');
    expect(encodeLsofName('/café\\x41 ^A\u0001\n')).toBe('/caf\\xc3\\xa9\\\\x41 ^A^A\\n');
    expect(encodeLsofName('/a\\b', false)).toBe('/a\\b');
  });

  it('parses processes, descriptors, access modes and the NOFD entries of unseen processes', () => {
    const out = ['p1', 'cinit', 'u0', 'Lroot', 'fNOFD', 'a ', 'n/proc/1/fd (opendir: Permission denied)', 'p42', 'csqlite3', 'u501', 'Lalex', 'fcwd', 'a ', 'n/Users/alex', 'f3', 'au', 'n/Users/alex/db', 'f4', 'ar', 'n/Users/alex/r', ''].join('\n');
    expect(parseLsofFields(out)).toEqual([
      { pid: 1, command: 'init', user: 'root', fd: 'NOFD', access: '', name: '/proc/1/fd (opendir: Permission denied)', raw: '/proc/1/fd (opendir: Permission denied)' },
      { pid: 42, command: 'sqlite3', user: 'alex', fd: 'cwd', access: '', name: '/Users/alex', raw: '/Users/alex' },
      { pid: 42, command: 'sqlite3', user: 'alex', fd: '3', access: 'u', name: '/Users/alex/db', raw: '/Users/alex/db' },
      { pid: 42, command: 'sqlite3', user: 'alex', fd: '4', access: 'r', name: '/Users/alex/r', raw: '/Users/alex/r' },
    ]);
    // Only what `keep` accepts becomes an entry, each with its own process.
    expect(parseLsofFields(out, (fd, access, raw) => fd === 'NOFD' || (access === 'u' && raw.endsWith('/db')))).toEqual([
      { pid: 1, command: 'init', user: 'root', fd: 'NOFD', access: '', name: '/proc/1/fd (opendir: Permission denied)', raw: '/proc/1/fd (opendir: Permission denied)' },
      { pid: 42, command: 'sqlite3', user: 'alex', fd: '3', access: 'u', name: '/Users/alex/db', raw: '/Users/alex/db' },
    ]);
  });
});
