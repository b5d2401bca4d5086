import type { DesiredMachine } from '../desired/desired-machine.js';
import { register, type BoundResource, type RegisteredKind, type StepRunners, type ToolNeed } from '../engine/kind.js';
import type { Change } from '../engine/types.js';
import { mobilesync } from './mobilesync/index.js';
import { music } from './music/index.js';
import { photos } from './photos/index.js';
import { samba } from './shares/samba/index.js';
import { macShares } from './shares/mac/index.js';
import { timemachine } from './timemachine/index.js';

/**
 * Every resource kind provision manages: the one list (adding a kind means adding it here).
 * Users' kinds are planned per user in this order, then the machine's own (Time Machine,
 * shares), which are left out when the run is narrowed to one user with --user.
 */
export const KINDS: readonly RegisteredKind[] = [register(mobilesync), register(photos), register(music), register(timemachine), register(samba), register(macShares)];

/** Each kind's runner for its own steps, by kind id: what the engine hands those steps to. */
export const STEP_RUNNERS: StepRunners = new Map(KINDS.flatMap((k) => (k.steps === undefined ? [] : [[k.kind, k.steps] as const])));

/** The kinds provision restore can undo (restore --only). */
export const RESTORABLE_KINDS: readonly string[] = KINDS.filter((k) => k.restorable).map((k) => k.kind);

export interface BoundKinds {
  resources: BoundResource[];
  /** The commands these resources call, each once, in the order first needed (doctor checks them). */
  tools: ToolNeed[];
}

/** This run's resources: each user's, then unless narrowed to one user, the machine's own. */
export function bindAllResources(machine: DesiredMachine, options: { machineLevel: boolean }): BoundKinds {
  const out: BoundKinds = { resources: [], tools: [] };
  const add = (bound: { resources: BoundResource[]; tools: ToolNeed[] }): void => {
    out.resources.push(...bound.resources);
    for (const t of bound.tools) if (!out.tools.some((have) => have.command === t.command)) out.tools.push(t);
  };
  for (const user of machine.users) for (const k of KINDS) if (k.scope === 'user') add(k.bind(machine, user));
  if (options.machineLevel) for (const k of KINDS) if (k.scope === 'machine') add(k.bind(machine));
  return out;
}

/** What of a planned change needs root, in words, as its kind says; undefined: nothing. */
export function changeNeedsRoot(change: Change, machine: DesiredMachine): string | undefined {
  return KINDS.find((k) => k.kind === change.kind)?.needsRoot(change, machine);
}
