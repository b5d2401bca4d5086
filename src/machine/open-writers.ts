/**
 * Which processes hold a file below some folders open for writing, with lsof(8): a folder is
 * never moved while something writes into it (an SQLite connection's next COMMIT, a device
 * backup in progress), as its writes would go into the original that is then removed.
 *
 * What lsof says, and where that is written (lsof 4.95 man page, and lsof-org/lsof's sources):
 * - `-F pcuLfan` prints one field a line, each line's first character naming the field: p pid,
 *   c command, u uid, L login name, f file descriptor, a access mode, n name. The access mode
 *   of a numbered descriptor is r (read), w (write) or u (read and write); others (cwd, txt,
 *   mem...) have none. Only w and u are writers: a reader does not change the folder.
 * - Names are printed "safely" (lib/misc.c, safestrprt): a backslash as `\\`, control
 *   characters as `\n`, `\t`..., or `^X`, and other bytes the locale does not print as `\xNN`.
 *   lsof runs here with LC_ALL=C, so every byte above 0x7f is escaped. The folders are
 *   compared in that printed form (encodeLsofName), which is exact whatever the name holds;
 *   decodeLsofName gives the file's name for messages (where a literal `^A` in a name would
 *   read as a control character). Whether older lsof versions (macOS ships one) escape
 *   the backslash was not checked: both forms of a folder are matched.
 * - Exit status: 1 when "any error was detected, including the failure to locate ... files it
 *   was asked to list" (DIAGNOSTICS). With `+D dir`, every file of the tree is a search item,
 *   so lsof exits 1 whenever some file in it is not open, even when it lists writers (seen on
 *   4.95). `-Q` (ignore search failures) only came after 4.95, and macOS ships an older lsof.
 *   So lsof is asked for no search item at all: every open file of every process it may see,
 *   exit 0, filtered here by path. Exit 1 then is a real failure.
 * - Measured on Linux (ext4, 2 cores, 100,096 files in 256 folders, about 100 processes):
 *   `lsof +D tree` took 4.3 s (it stats every file of the tree); listing every open file and
 *   filtering by path took 0.11 s (14,000 lines).
 * - Who can be seen: lsof lists another user's open files only if the system lets it read
 *   them. Linux (dialects/linux/dproc.c): /proc/PID/fd of another user's process cannot be
 *   opened, and lsof prints, unless warnings are off (`+w` keeps them on), an entry with
 *   descriptor NOFD named "/proc/PID/fd (opendir: Permission denied)", or per descriptor
 *   "(readlink: Permission denied)"; those processes are `unseen` here. macOS (dialects/darwin/
 *   dproc.c): proc_pidinfo fails with EPERM for them and lsof skips them silently, so a run that
 *   is not root cannot tell which processes it missed. Root sees every process, except where
 *   the system hides some even from root (a container, a user namespace).
 * - Paths are the files' real paths (Linux reads /proc/PID/fd links; macOS the vnode's path), so
 *   each folder is compared by its real path (host/fs/real-path-via.ts). Under `--root` the folder
 *   is the host path, which is what lsof reports too.
 * Not seen by lsof: writes through a shared writable memory map without an open descriptor
 * (lsof's `mem` entries carry no access mode), and writes by another computer to a network
 * folder. The fingerprint check before the original goes (Host.fingerprint) catches those.
 */

import { sep } from 'node:path';
import type { HostReads, RunResult } from '../host/host.js';
import { realPathVia } from '../host/fs/real-path-via.js';
import { LSOF_TAKES_FD_EXCLUSIONS } from '../assumptions.js';

export interface ProcessRef {
  pid: number;
  /** The process name as lsof reports it (macOS: at most 16 characters, MAXCOMLEN). */
  command: string;
  /** Login name, or the uid as text when the name is not known. */
  user?: string;
}

export interface OpenWriter extends ProcessRef {
  /** The file held open for writing (host path, as lsof names it). */
  path: string;
  /** w: open for writing; u: for reading and writing. */
  mode: 'w' | 'u';
}

export interface OpenWritersOptions {
  /**
   * Process names that always hold the kind's files open (Photos' photolibraryd): they are
   * reported in `background`, not as writers; their writes are caught by the fingerprint.
   */
  background?: readonly string[];
  /** Whether provision runs as root (MachineContext.runningAsRoot). Default: the effective uid is 0. */
  asRoot?: boolean;
}

export type OpenWritersResult =
  | {
      ok: true;
      /** Every process holding a file below the folders open for writing, one entry per file and process. */
      writers: OpenWriter[];
      /** The same for the processes named in options.background. */
      background: OpenWriter[];
      /**
       * Processes whose open files lsof could not see. undefined: it saw every process.
       * `processes` lists them where lsof names them (Linux); it is empty when lsof cannot even
       * name them (macOS, not root).
       */
      unseen?: { processes: ProcessRef[]; asRoot: boolean };
    }
  | { ok: false; code: 'LSOF_MISSING' | 'LSOF_FAILED'; reason: string; fix: string };

/** The escapes of lsof's safestrprt, undone. */
export function decodeLsofName(name: string): string {
  // Most names have nothing escaped; a whole system's listing has some 15,000 of them.
  if (!name.includes('\\') && !name.includes('^')) return name;
  const bytes: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const c = name[i] ?? '';
    const next = name[i + 1] ?? '';
    if (c === '\\') {
      const simple: Record<string, number> = { '\\': 0x5c, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09 };
      const known = simple[next];
      if (known !== undefined) {
        bytes.push(known);
        i++;
        continue;
      }
      const hex = name.slice(i + 2, i + 4);
      if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 3;
        continue;
      }
    } else if (c === '^' && next >= '@' && next <= '_') {
      bytes.push(next.charCodeAt(0) - 0x40);
      i++;
      continue;
    } else if (c === '^' && next === '?') {
      bytes.push(0xff);
      i++;
      continue;
    }
    bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A path as lsof (LC_ALL=C) prints it; `escapeBackslash` false for older versions. */
export function encodeLsofName(path: string, escapeBackslash = true): string {
  let out = '';
  const named: Record<number, string> = { 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };
  for (const b of Buffer.from(path, 'utf8')) {
    if (b === 0x5c) out += escapeBackslash ? '\\\\' : '\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else if (b < 0x20) out += named[b] ?? `^${String.fromCharCode(b + 0x40)}`;
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** One open file as lsof lists it, with its process. */
export interface LsofEntry extends ProcessRef {
  fd: string;
  access: string;
  /** The name, decoded (for messages). */
  name: string;
  /** The name exactly as lsof printed it (for comparing). */
  raw: string;
}

/**
 * Parses `lsof -F pcuLfan` output into one entry per open file (names decoded); with `keep`,
 * only the files it accepts (by descriptor, access and name as printed) become entries: a whole
 * system's listing has thousands, of which a move looks at a few.
 */
export function parseLsofFields(stdout: string, keep?: (fd: string, access: string, raw: string) => boolean): LsofEntry[] {
  const entries: LsofEntry[] = [];
  let proc: ProcessRef & { uid?: string } = { pid: 0, command: '' };
  // The file being read: its fields arrive one line each, after its 'f' line.
  let fd: string | undefined;
  let access = '';
  let raw = '';
  const flush = (): void => {
    if (fd !== undefined && (keep === undefined || keep(fd, access, raw))) {
      const entry: LsofEntry = { pid: proc.pid, command: proc.command, fd, access, name: decodeLsofName(raw), raw };
      if (proc.user !== undefined) entry.user = proc.user;
      entries.push(entry);
    }
    fd = undefined;
  };
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const field = line[0];
    const value = line.slice(1);
    switch (field) {
      case 'p':
        flush();
        proc = { pid: Number(value), command: '' };
        break;
      case 'c':
        proc.command = decodeLsofName(value);
        break;
      case 'u':
        proc.uid = value;
        if (proc.user === undefined) proc.user = value;
        break;
      case 'L':
        proc.user = value;
        break;
      case 'f':
        flush();
        fd = value;
        access = '';
        raw = '';
        break;
      case 'a':
        if (fd !== undefined) access = value.trim();
        break;
      case 'n':
        if (fd !== undefined) raw = value;
        break;
      default:
        // Fields not asked for (lsof may add some): ignored.
        break;
    }
  }
  flush();
  return entries;
}

/** Whether an entry is lsof saying it could not look into a process (Linux, /proc denied). */
function isDenied(e: LsofEntry): boolean {
  return isDeniedName(e.name);
}

/**
 * Whether a name is lsof's message that it could not look into a process. Such a name (a /proc
 * path of digits and lsof's own words) has nothing to escape: as printed, it is as decoded.
 */
function isDeniedName(name: string): boolean {
  return /\((opendir|readlink): (Permission denied|Operation not permitted)\)$/.test(name) && name.startsWith('/proc/');
}

/** Whether path is root or below it. */
function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * lsof's arguments. -d leaves out what has no descriptor number, which findOpenWriters never
 * counts (only numbered descriptors have an access mode): memory-mapped files and program text
 * (most of a listing: 14,200 lines became 950 on the build machine, and lsof took half the time),
 * working and root folders, deleted maps. A process lsof cannot look into is still listed, by its
 * NOFD entry or its numbered descriptors' "readlink: Permission denied" names; a kernel thread,
 * whose only entries are an unreadable working folder, root and text, no longer is, having no
 * open file. That every lsof takes these names is read from lsof's source, not tried on a Mac
 * (LSOF_TAKES_FD_EXCLUSIONS): an lsof that refuses them is asked again for the whole listing,
 * LSOF_ARGS_WHOLE.
 */
export const LSOF_ARGS_WHOLE: readonly string[] = ['-n', '-P', '+w', '-F', 'pcuLfan'];
export const LSOF_ARGS: readonly string[] = LSOF_TAKES_FD_EXCLUSIONS ? ['-n', '-P', '+w', '-d', '^cwd,^rtd,^txt,^mem,^DEL', '-F', 'pcuLfan'] : LSOF_ARGS_WHOLE;

/**
 * Starts the listing of every open file that findOpenWriters reads, through `host`: a caller that
 * knows it will be needed starts it early, and a host that keeps answers (a dry run, an apply
 * round: host/round-reads.ts) gives findOpenWriters the same one.
 */
export function startOpenFilesListing(host: HostReads): Promise<RunResult> {
  // -n -P: no host or port name look-ups (sockets are listed too; they are not files here).
  // +w: warnings on, so that Linux's lsof lists the processes it could not look into.
  const ask = (args: readonly string[]): Promise<RunResult> => host.query('lsof', args, { env: { LC_ALL: 'C' }, volatile: true });
  // lsof exits 0 when it lists without a search item; any failure but "not found" (127) is asked
  // once more without -d, whose failure, if it fails too, is the one reported.
  return ask(LSOF_ARGS).then((r) => (r.exitCode === 0 || r.exitCode === 127 || !LSOF_TAKES_FD_EXCLUSIONS ? r : ask(LSOF_ARGS_WHOLE)));
}

/**
 * The processes that hold a file below any of `roots` (host paths of folders) open for writing.
 * Never throws for lsof's sake: lsof missing or failing gives { ok: false } with the reason
 * and the fix, which the caller turns into a blocker (plan) or an error (apply), as for pgrep.
 */
export async function findOpenWriters(host: HostReads, roots: readonly string[], options: OpenWritersOptions = {}): Promise<OpenWritersResult> {
  // lsof is started first, before anything is awaited: it is the slow part, and what follows
  // is worked out while it runs. Started after a few awaits, it began up to 0.1 s late when the
  // caller went on with a synchronous walk (a comparison yields only every 10 ms).
  const listing = startOpenFilesListing(host).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  const asRoot = options.asRoot ?? process.geteuid?.() === 0;
  const [onPath, realRoots] = await Promise.all([host.hasCommand('lsof'), Promise.all(roots.map((r) => realPathVia(host, r)))]);
  if (!onPath) {
    await listing;
    return lsofMissing();
  }
  // macOS may name a file of the data volume through its firmlink (unverified which form
  // lsof prints): both are matched.
  if (process.platform === 'darwin') for (const r of [...realRoots]) realRoots.push(`/System/Volumes/Data${r}`);
  const printed = realRoots.flatMap((r) => [encodeLsofName(r), encodeLsofName(r, false)]);
  const got = await listing;
  if ('error' in got) {
    return lsofFailed(got.error instanceof Error ? got.error.message : String(got.error));
  }
  const { result } = got;
  if (result.exitCode === 127) return lsofMissing();
  if (result.exitCode !== 0) return lsofFailed(`exit ${result.exitCode}${result.stderr.trim() === '' ? '' : `: ${result.stderr.trim().split('\n')[0]}`}`);
  const background = new Set(options.background ?? []);
  const writers: OpenWriter[] = [];
  const quiet: OpenWriter[] = [];
  const unseen = new Map<number, ProcessRef>();
  for (const e of whatMatters(result)) {
    if (isDenied(e)) {
      unseen.set(e.pid, { pid: e.pid, command: e.command, ...(e.user === undefined ? {} : { user: e.user }) });
      continue;
    }
    if (!printed.some((r) => isUnder(e.raw, r))) continue;
    const w: OpenWriter = { pid: e.pid, command: e.command, ...(e.user === undefined ? {} : { user: e.user }), path: e.name, mode: e.access === 'w' ? 'w' : 'u' };
    (background.has(e.command) ? quiet : writers).push(w);
  }
  const ok: OpenWritersResult = { ok: true, writers, background: quiet };
  // macOS skips what it may not see without a word: not root is blind to other users.
  if (process.platform === 'darwin' && !asRoot) ok.unseen = { processes: [], asRoot };
  else if (unseen.size > 0) ok.unseen = { processes: [...unseen.values()], asRoot };
  return ok;
}

/**
 * The entries of a listing that can matter: processes lsof could not look into, and files open
 * for writing. One listing is looked at several times in an apply round (the plan, its dry run,
 * the move's check before its first write: host/round-reads.ts), and parsing every line of it
 * (about 16,000 on this machine) took 20-40 ms each time: it is parsed once per listing.
 */
const parsedListings = new WeakMap<RunResult, LsofEntry[]>();

function whatMatters(listing: RunResult): LsofEntry[] {
  let known = parsedListings.get(listing);
  if (known === undefined) {
    // Only numbered descriptors have an access mode; "3w", "3u" in lsof's table are f3 + aw/au here.
    known = parseLsofFields(listing.stdout, (fd, access, raw) => ((access === 'w' || access === 'u') && /^\d+$/.test(fd)) || isDeniedName(raw));
    parsedListings.set(listing, known);
  }
  return known;
}

function lsofMissing(): OpenWritersResult {
  return {
    ok: false,
    code: 'LSOF_MISSING',
    reason: 'lsof is not on PATH, so provision cannot tell whether an app is writing into the folder',
    fix:
      process.platform === 'darwin'
        ? 'lsof comes with macOS at /usr/sbin/lsof: put /usr/sbin on PATH (a launchd job or a cron line may start with a shorter one), then run provision again'
        : 'install lsof (Debian, Raspberry Pi OS: sudo apt-get install lsof) and run provision again',
  };
}

function lsofFailed(detail: string): OpenWritersResult {
  return {
    ok: false,
    code: 'LSOF_FAILED',
    reason: `lsof failed (${detail}), so provision cannot tell whether an app is writing into the folder`,
    fix: 'run `lsof -n -P -F pcn` to see why, then run provision again',
  };
}
