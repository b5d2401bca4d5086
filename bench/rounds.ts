/**
 * Runs commands alternately (A B C, A B C, ...): one warm-up round, then `rounds` timed ones,
 * so that a slow spell of a noisy machine falls on every competitor alike. A competitor that
 * fails is left out from then on and reported.
 */

import type { BenchContext } from './context.js';
import type { Command, RunResult } from './run-timed.js';

export interface Contender {
  name: string;
  floor?: boolean;
  commands: Command[];
  /** Checked after each successful run; a returned string is a failure. */
  check?: (result: RunResult) => string | undefined;
}

export interface RoundResults {
  times: Map<string, number[]>;
  failures: Map<string, string>;
}

export async function alternate(ctx: BenchContext, contenders: readonly Contender[], rounds: number): Promise<RoundResults> {
  const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  const failures = new Map<string, string>();
  for (let round = 0; round <= rounds; round++) {
    for (const c of contenders) {
      if (failures.has(c.name)) continue;
      const result = await ctx.run(c.commands);
      const problem = result.ok ? c.check?.(result) : (result.failure ?? 'failed');
      if (problem !== undefined) {
        failures.set(c.name, problem);
        continue;
      }
      if (round > 0) times.get(c.name)?.push(result.ms);
    }
  }
  return { times, failures };
}
