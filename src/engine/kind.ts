import type { HostReads } from '../host/host.js';
import type { MachineContext } from '../desired/machine-context.js';
import type { ResolvedUser } from '../desired/resolve-users.js';
import type { Change } from './types.js';
import type { ResourceStatus } from './status/status-types.js';

/**
 * How a kind undoes itself (provision restore): what it observes for that, which may be more
 * than for a plan (free space on the internal disk), and a pure planner for the undo.
 */
export interface RestoreSupport<D, R> {
  observe(host: HostReads, ctx: MachineContext, desired: D): Promise<R>;
  plan(desired: D, observed: R): Change | undefined;
}

/**
 * Where a resource's moves leave provision's temporary names (engine/journal/temp-names.ts): the
 * folders holding its link paths (an original put aside, a restore's partial copy) and the
 * folder on the drive with its parent (a partial copy, a restore's drive folder put aside). The
 * journal's checks look there for what a damaged or lost journal entry left behind.
 */
export interface WorkPlaces {
  /** The resource's title, for messages: "iOS device backups". */
  title: string;
  /** Host paths of the folders to look in: first those beside the link paths, then those on the drive. */
  folders: string[];
  /** How many of `folders` are beside the link paths (on the machine); the rest are on the drive. */
  homeFolders: number;
  /** The declared folder on the drive, as the machine sees it. */
  declared: string;
  /** The link paths, as the machine sees them. */
  links: string[];
}

/**
 * What a resource kind supplies (design note 4): the desired resources for a user on this
 * machine, how to observe one, and a pure planner; optionally how to restore it. The engine
 * knows nothing else about kinds.
 */
export interface ResourceKind<D extends { id: string }, O, R = O> {
  readonly kind: string;
  desire(ctx: MachineContext, user: ResolvedUser): D[];
  observe(host: HostReads, ctx: MachineContext, desired: D): Promise<O>;
  /**
   * undefined: nothing of this resource exists on either side and nothing needs to (a photo
   * library the user does not have); the plan leaves it out rather than count it unchanged.
   */
  plan(desired: D, observed: O): Change | undefined;
  /**
   * What only a change needs observed, at the cost of starting a process (a drive's format from
   * diskutil, the running apps from pgrep). Called when the plan from `observe` alone changes
   * something or is blocked; the plan is then made again. A converged plan, which login scripts
   * run many times a day, so starts none of those processes.
   */
  refine?(host: HostReads, ctx: MachineContext, desired: D, observed: O): Promise<O>;
  restore?: RestoreSupport<D, R>;
  /**
   * What is where now, for provision status (reads only; may walk the data to size it). A kind
   * without one gets a row derived from its plan. undefined: nothing to show (a library the user
   * does not have).
   */
  status?(host: HostReads, ctx: MachineContext, desired: D): Promise<ResourceStatus | undefined>;
  /** Where its moves leave temporary names; pure. */
  places?(desired: D): WorkPlaces;
}

/** A desired resource bound to its kind, so the engine can treat all kinds alike. */
export interface BoundResource {
  id: string;
  /** The user it belongs to; undefined for the machine's own (Time Machine, shared folders). */
  user?: string;
  kind: string;
  /** Observes the resource on host and plans it (undefined: nothing there). Apply calls it again right before acting. */
  observeAndPlan(host: HostReads): Promise<Change | undefined>;
  /** The same for undoing it, when its kind can be restored. */
  observeAndPlanRestore?: (host: HostReads) => Promise<Change | undefined>;
  /** Its status, when its kind has one (ResourceKind.status). */
  status?: (host: HostReads) => Promise<ResourceStatus | undefined>;
  /** Where its moves leave temporary names, when its kind moves data. */
  places?: WorkPlaces;
}

/** A kind that belongs to the machine rather than to a user: its desire reads the machine alone. */
export interface MachineResourceKind<D extends { id: string }, O> {
  readonly kind: string;
  desire(ctx: MachineContext): D[];
  observe(host: HostReads, ctx: MachineContext, desired: D): Promise<O>;
  plan(desired: D, observed: O): Change | undefined;
  /** As ResourceKind.refine. */
  refine?(host: HostReads, ctx: MachineContext, desired: D, observed: O): Promise<O>;
}

/** Observes and plans one resource, refining the observation when the first plan is not a no-op. */
async function observeThenPlan<D, O>(
  kind: Pick<ResourceKind<{ id: string } & D, O>, 'observe' | 'plan' | 'refine'>,
  host: HostReads,
  ctx: MachineContext,
  d: { id: string } & D,
): Promise<Change | undefined> {
  const observed = await kind.observe(host, ctx, d);
  const draft = kind.plan(d, observed);
  if (kind.refine === undefined || draft === undefined || (draft.action === 'none' && draft.blockers.length === 0)) return draft;
  return kind.plan(d, await kind.refine(host, ctx, d, observed));
}

export function bindMachineKind<D extends { id: string }, O>(kind: MachineResourceKind<D, O>, ctx: MachineContext): BoundResource[] {
  return kind.desire(ctx).map((d) => ({
    id: d.id,
    kind: kind.kind,
    observeAndPlan: (host: HostReads) => observeThenPlan(kind, host, ctx, d),
  }));
}

export function bindKind<D extends { id: string }, O, R>(
  kind: ResourceKind<D, O, R>,
  ctx: MachineContext,
  user: ResolvedUser,
): BoundResource[] {
  const restore = kind.restore;
  const status = kind.status?.bind(kind);
  return kind.desire(ctx, user).map((d) => ({
    id: d.id,
    user: user.desired.name,
    kind: kind.kind,
    observeAndPlan: (host: HostReads) => observeThenPlan(kind, host, ctx, d),
    ...(restore ? { observeAndPlanRestore: async (host: HostReads) => restore.plan(d, await restore.observe(host, ctx, d)) } : {}),
    ...(status ? { status: (host: HostReads) => status(host, ctx, d) } : {}),
    ...(kind.places ? { places: kind.places(d) } : {}),
  }));
}

/**
 * The resource as provision restore sees it: planning it plans its undo. Plan building and
 * apply's stale check then work on restores unchanged. Undefined when the kind cannot restore.
 */
export function restoreView(r: BoundResource): BoundResource | undefined {
  const planRestore = r.observeAndPlanRestore;
  if (planRestore === undefined) return undefined;
  return { id: r.id, ...(r.user === undefined ? {} : { user: r.user }), kind: r.kind, observeAndPlan: planRestore, ...(r.places === undefined ? {} : { places: r.places }) };
}
