/**
 * Which of a user's apps are running, with pgrep(1): moving a photo library while Photos has it
 * open would copy a database mid-write. pgrep -x compares the process name exactly, and -U picks
 * the user's processes by real uid (a user name or uid), on macOS and Linux alike. Exit 0: some
 * matched; 1: none; anything else (127: no pgrep; 2: an unknown user) means we cannot tell, which
 * the caller must treat as a blocker rather than as "not running".
 * Process names are the executable's; macOS keeps at most 16 characters of them (MAXCOMLEN), so
 * longer names would never match exactly; callers should pass short executable names ("Photos").
 */

import { ProvisionError } from '../errors.js';
import type { HostReads, RunResult } from '../host/host.js';

export type RunningAppsResult = { ok: true; running: string[] } | { ok: false; error: ProvisionError };

function cannotTell(user: string, name: string, result: RunResult | undefined, cause?: unknown): ProvisionError {
  const detail = result === undefined ? '' : result.stderr.trim();
  const why =
    result === undefined ? 'pgrep could not be run' : result.exitCode === 127 ? 'pgrep is not installed' : `pgrep failed (exit ${result.exitCode})`;
  return new ProvisionError('COMMAND_FAILED', `cannot tell whether ${name} is running for ${user}: ${why}${detail === '' ? '' : `: ${detail}`}`, {
    hint: `Quit ${name} for ${user}, make sure pgrep is on PATH, and run provision again.`,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * The names (from `names`, in their order, without duplicates) that have at least one process
 * running as `user` (a user name or uid). Never throws for a failing pgrep: the first name it
 * cannot check ends the search with { ok: false, error } (COMMAND_FAILED).
 */
export async function runningApps(host: HostReads, user: string, names: readonly string[]): Promise<RunningAppsResult> {
  const running: string[] = [];
  for (const name of new Set(names)) {
    let result: RunResult;
    try {
      result = await host.query('pgrep', ['-U', user, '-x', name]);
    } catch (e) {
      return { ok: false, error: cannotTell(user, name, undefined, e) };
    }
    if (result.exitCode === 0 && result.stdout.trim() !== '') running.push(name);
    else if (result.exitCode !== 1) return { ok: false, error: cannotTell(user, name, result) };
  }
  return { ok: true, running };
}
