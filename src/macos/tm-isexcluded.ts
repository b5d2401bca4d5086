import type { HostReads } from '../host/host.js';

/**
 * Whether Time Machine backs an item up, as `tmutil isexcluded PATH` says: one line,
 * `[Excluded]` or `[Included]`, then the path (docs/platform-facts.md). Anything else (no
 * tmutil, an error, a line provision does not know) is 'unknown', which callers treat as "not
 * backed up": the only answer provision acts on is an explicit [Included]
 * (TM_ISEXCLUDED_REPORTS_VOLUMES in assumptions.ts).
 */
export type TmInclusion = 'included' | 'excluded' | 'unknown';

export async function timeMachineInclusion(reads: HostReads, machinePath: string): Promise<TmInclusion> {
  if (!(await reads.hasCommand('tmutil'))) return 'unknown';
  const r = await reads.query('tmutil', ['isexcluded', machinePath]);
  if (r.exitCode !== 0) return 'unknown';
  return parseIsExcluded(r.stdout);
}

export function parseIsExcluded(stdout: string): TmInclusion {
  const first = stdout.split('\n')[0] ?? '';
  if (first.startsWith('[Included]')) return 'included';
  if (first.startsWith('[Excluded]')) return 'excluded';
  return 'unknown';
}
