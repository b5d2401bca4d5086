import type { HostReads } from '../host/host.js';
import type { MachineContext } from '../desired/machine-context.js';
import type { ResolvedUser } from '../desired/resolve-users.js';
import type { Change } from './types.js';

/**
 * What a resource kind supplies (design note 4): the desired resources for a user on this
 * machine, how to observe one, and a pure planner. The engine knows nothing else about kinds.
 */
export interface ResourceKind<D extends { id: string }, O> {
  readonly kind: string;
  desire(ctx: MachineContext, user: ResolvedUser): D[];
  observe(host: HostReads, ctx: MachineContext, desired: D): Promise<O>;
  plan(desired: D, observed: O): Change;
}

/** A desired resource bound to its kind, so the engine can treat all kinds alike. */
export interface BoundResource {
  id: string;
  user: string;
  /** Observes the resource on host and plans it. Apply calls it again right before acting. */
  observeAndPlan(host: HostReads): Promise<Change>;
}

export function bindKind<D extends { id: string }, O>(
  kind: ResourceKind<D, O>,
  ctx: MachineContext,
  user: ResolvedUser,
): BoundResource[] {
  return kind.desire(ctx, user).map((d) => ({
    id: d.id,
    user: user.desired.name,
    observeAndPlan: async (host: HostReads) => kind.plan(d, await kind.observe(host, ctx, d)),
  }));
}
