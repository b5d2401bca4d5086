/**
 * What an apply lock file says about the process holding it, as one line of JSON. The record
 * is for people as much as for the code: a second apply quotes it to say who is running.
 */
export interface LockHolder {
  pid: number;
  /** os.hostname() of the computer the holder runs on: a pid means nothing on another one. */
  host: string;
  user: string;
  command: string;
  /** ISO 8601; with pid and host it tells this holder apart from an earlier one with the same pid. */
  startedAt: string;
  /** The --root the holder was given, or null. */
  root: string | null;
  /**
   * Which of this process's acquisitions of the lock it is (1, 2...): two acquisitions by one
   * process within the same millisecond have the same pid, host and startedAt, and the second
   * must not take the first's record for its own. Absent in records written before it existed.
   */
  acquisition?: number;
}

export function formatLockHolder(holder: LockHolder): string {
  return `${JSON.stringify(holder)}\n`;
}

/** The holder a lock file names, or undefined when it is empty, torn or not ours to read. */
export function parseLockHolder(text: string): LockHolder | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const { pid, host, startedAt } = v;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (typeof host !== 'string' || typeof startedAt !== 'string') return undefined;
  return {
    pid,
    host,
    startedAt,
    user: typeof v['user'] === 'string' ? v['user'] : 'an unknown user',
    command: typeof v['command'] === 'string' ? v['command'] : 'an unknown command',
    root: typeof v['root'] === 'string' ? v['root'] : null,
    ...(typeof v['acquisition'] === 'number' ? { acquisition: v['acquisition'] } : {}),
  };
}

/** Whether two records name the same holder (not merely the same pid, which the OS reuses). */
export function sameHolder(a: LockHolder, b: LockHolder): boolean {
  return a.pid === b.pid && a.host === b.host && a.startedAt === b.startedAt && a.acquisition === b.acquisition;
}

/** "process 123 (alex: provision apply --yes), started 2025-01-02T03:04:05.000Z" */
export function describeLockHolder(holder: LockHolder): string {
  const where = holder.root === null ? '' : ` on --root ${holder.root}`;
  return `process ${holder.pid} (${holder.user}: ${holder.command}${where}), started ${holder.startedAt}`;
}
