/**
 * What each scheduled run did, in a file a program can read: the mount agent's apply and the
 * daily check each add one entry when they end (outcome, error code, when, the fix). `schedule
 * status`, `doctor` and `check` read it to tell "needs Full Disk Access for <node>" apart from an
 * ordinary "nothing to do", which launchd's bare exit code cannot. It lives beside the agents'
 * logs in ~/Library/Logs/provision (private, and not a place any plan observes, so a run never
 * makes a saved plan stale) and keeps the last KEPT_RUNS entries: it never grows.
 */

import os from 'node:os';
import path from 'node:path';
import { dual, type MachineContext } from '../desired/machine-context.js';
import { errnoCode, isProvisionError } from '../errors.js';
import type { Host, HostReads } from '../host/host.js';
import type { DualPath } from '../machine/path-mapper.js';

/** The agents' folder below a home: their logs and this record. */
export const SCHEDULE_FOLDER_SEGMENTS = ['Library', 'Logs', 'provision'] as const;
export const RUN_RECORD_NAME = 'scheduled-runs.json';

/** Enough to see a pattern (a failure since Tuesday), small enough to read at once. */
export const KEPT_RUNS = 20;

export type ScheduledCommand = 'apply' | 'check';

export type ScheduledOutcome =
  | 'applied' // changes were made
  | 'nothing-to-do' // everything was already as declared
  | 'waiting-for-drive' // a declared drive is away: nothing can be done until it is back
  | 'busy' // another apply held the lock
  | 'needs-full-disk-access' // macOS refused the folder: the program launchd runs lacks Full Disk Access
  | 'blocked' // the plan was refused for another reason (its codes say which)
  | 'failed' // an error stopped the run
  | 'healthy' // check: all fine
  | 'warnings' // check: warnings only
  | 'problems'; // check: at least one problem

/** Outcomes that need the user: everything else is a normal result of a scheduled run. */
export const NEEDS_USER: readonly ScheduledOutcome[] = ['needs-full-disk-access', 'blocked', 'failed'];

export interface ScheduledRun {
  command: ScheduledCommand;
  startedAt: string;
  finishedAt: string;
  outcome: ScheduledOutcome;
  exitCode: number;
  /** The error or blocker codes behind the outcome, when there are any. */
  codes: string[];
  /** One sentence: what happened. */
  words: string;
  fix?: string;
  /** The program macOS judges for Full Disk Access: node's real path. */
  program?: string;
}

interface RecordFile {
  version: 1;
  runs: ScheduledRun[];
}

/** The record of the user whose home is `homeMachine`, as the machine sees it. */
export function runRecordPath(ctx: MachineContext, homeMachine: string): DualPath {
  return dual(ctx, path.posix.join(homeMachine, ...SCHEDULE_FOLDER_SEGMENTS, RUN_RECORD_NAME));
}

export type RunRecord = { kind: 'none' } | { kind: 'unreadable'; code: string } | { kind: 'runs'; runs: ScheduledRun[] };

const OUTCOMES: readonly string[] = ['applied', 'nothing-to-do', 'waiting-for-drive', 'busy', 'needs-full-disk-access', 'blocked', 'failed', 'healthy', 'warnings', 'problems'];

function isRun(v: unknown): v is ScheduledRun {
  if (v === null || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return (
    (r['command'] === 'apply' || r['command'] === 'check') &&
    typeof r['startedAt'] === 'string' &&
    typeof r['finishedAt'] === 'string' &&
    typeof r['outcome'] === 'string' &&
    OUTCOMES.includes(r['outcome']) &&
    typeof r['exitCode'] === 'number' &&
    Array.isArray(r['codes']) &&
    typeof r['words'] === 'string'
  );
}

/** Reads the record; entries it does not understand (a newer provision's) are skipped. */
export async function readRunRecord(reads: HostReads, file: string): Promise<RunRecord> {
  let text: string;
  try {
    text = (await reads.readFile(file)).toString('utf8');
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'none' };
    if (code !== undefined) return { kind: 'unreadable', code };
    throw e;
  }
  try {
    const v = JSON.parse(text) as Partial<RecordFile>;
    if (!Array.isArray(v.runs)) return { kind: 'unreadable', code: 'not a record of runs' };
    return { kind: 'runs', runs: v.runs.filter(isRun) };
  } catch {
    return { kind: 'unreadable', code: 'not JSON' };
  }
}

/** The newest run of one command, if any. */
export function lastRun(record: RunRecord, command: ScheduledCommand): ScheduledRun | undefined {
  return record.kind === 'runs' ? record.runs.filter((r) => r.command === command).at(-1) : undefined;
}

/**
 * Adds a run and keeps the newest KEPT_RUNS, written atomically. Best effort: a run whose
 * record cannot be written still ends as it would have (its log says the rest), so this never
 * throws for an OS error. The folder is the agents' own, made by `schedule install`.
 */
export async function recordRun(host: Host, file: string, run: ScheduledRun): Promise<boolean> {
  try {
    const current = await readRunRecord(host, file);
    const runs = [...(current.kind === 'runs' ? current.runs : []), run].slice(-KEPT_RUNS);
    // ~/Library/Logs may not exist yet (install makes it; a check run by hand may come first).
    const missing: string[] = [];
    for (let dir = path.dirname(file); (await host.lstat(dir)) === undefined && path.dirname(dir) !== dir; dir = path.dirname(dir)) missing.unshift(dir);
    // The log folder is private (the logs name the user's files); the ones above as macOS makes them.
    for (const dir of missing) await host.mkdir(dir, dir === path.dirname(file) ? 0o700 : 0o755);
    await host.writeFileAtomic(file, `${JSON.stringify({ version: 1, runs } satisfies RecordFile, null, 2)}\n`);
    return true;
  } catch (e) {
    if (isProvisionError(e) || errnoCode(e) !== undefined) return false;
    throw e;
  }
}

/** Over this size, a log is set aside as `<name>.1` when the next run starts: at most twice this kept. */
export const LOG_LIMIT_BYTES = 1024 * 1024;

/**
 * Rotates an agent's log: over LOG_LIMIT_BYTES, it is renamed to `<log>.1` (replacing the older
 * one). launchd opened the log for this run already, so this run still writes to the renamed
 * file and the next run starts a new one. Best effort, like the record.
 */
export async function rotateLog(host: Host, log: string, limit = LOG_LIMIT_BYTES): Promise<boolean> {
  try {
    const st = await host.lstat(log);
    if (st?.kind !== 'file' || st.size <= limit) return false;
    await host.rename(log, `${log}.1`);
    return true;
  } catch (e) {
    if (isProvisionError(e) || errnoCode(e) !== undefined) return false;
    throw e;
  }
}

/**
 * Where a scheduled run records itself when its declaration could not even be read: the home
 * launchd gave the job (HOME), or under --root the machine's /Users/<user>.
 */
export function fallbackRecordPath(options: { root?: string; user?: string }): string {
  const home = options.root === undefined ? os.homedir() : path.join(path.resolve(options.root), 'Users', options.user ?? os.userInfo().username);
  return path.join(home, ...SCHEDULE_FOLDER_SEGMENTS, RUN_RECORD_NAME);
}
