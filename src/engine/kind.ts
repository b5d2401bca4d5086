import type { HostReads } from '../host/host.js';
import type { DesiredMachine, DesiredUser } from '../desired/desired-machine.js';
import type { StepContext } from './apply/step-context.js';
import type { Blocker } from '../errors.js';
import type { DesiredDrive, DriveObserved } from '../drives/types.js';
import type { Change, KindStep } from './types.js';
import type { ResourceStatus } from './status/status-types.js';
import type { HealthFinding } from './health/finding.js';

/**
 * How a kind undoes itself (provision restore): what it observes for that, which may be more
 * than for a plan (free space on the internal disk), and a pure planner for the undo.
 */
export interface RestoreSupport<D, R> {
  observe(host: HostReads, machine: DesiredMachine, desired: D): Promise<R>;
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

/** A command a kind calls on this machine (doctor checks that it is on PATH). */
export interface ToolNeed {
  command: string;
  /** What for, in words: "reading and setting Time Machine's destinations". */
  neededFor: string;
  /** A missing tool is a problem, or a warning where provision has a fallback. */
  ifMissing: 'problem' | 'warning';
}

/** A declared drive a resource uses, and by what name status and doctor say so ("alex/photos"). */
export interface DriveUse {
  drive: string;
  usedBy: string;
}

/**
 * Rules a resource's drive must meet whatever the plan (Apple's for photo libraries): a plan
 * checks them only when something is about to move, so doctor checks them on a machine already
 * set up. One check per user and kind.
 */
export interface DriveRules {
  /** The doctor check's id, subject and title: "photo-drive", "alex", "Photo libraries of alex". */
  id: string;
  subject: string;
  title: string;
  drive: DesiredDrive;
  /** The problems of the drive as observed (with its format), or the words for a drive that keeps the rules. */
  check(observed: DriveObserved): { problems: Blocker[]; ok: string };
}

/**
 * The steps a kind carries out itself (a Time Machine destination, a Samba configuration): their
 * ops, and the runner the engine hands them to. The engine runs only its own data-moving steps
 * (mkdir, relocate, link, restore, remember-drive); it knows no other op.
 */
export interface StepRunner {
  readonly ops: readonly string[];
  run(ctx: StepContext, step: KindStep): Promise<void>;
}

/** Each kind's step runner, by kind id (kinds/registry.ts builds it). */
export type StepRunners = ReadonlyMap<string, StepRunner>;

/** A typed runner for a kind's own step union S: a step of another op is an internal error. */
export function stepRunner<S extends KindStep>(ops: readonly S['op'][], run: (ctx: StepContext, step: S) => Promise<void>): StepRunner {
  const own = (step: KindStep): step is S => (ops as readonly string[]).includes(step.op);
  return {
    ops,
    run: (ctx, step) => {
      if (!own(step)) throw new Error(`internal: step ${step.op} is not one of ${ops.join(', ')}`);
      return run(ctx, step);
    },
  };
}

/** What every kind supplies (docs/design.md, note 4), whoever its resources belong to. */
interface KindParts<D extends { id: string }, O, R> {
  /** The kind's id: a change's `kind` in plans and status. */
  readonly kind: string;
  observe(host: HostReads, machine: DesiredMachine, desired: D): Promise<O>;
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
  refine?(host: HostReads, machine: DesiredMachine, desired: D, observed: O): Promise<O>;
  /**
   * Loads its restore support: only provision restore needs it, so a kind keeps it in a module of
   * its own and a plan never loads it (docs/performance.md). Its status, health and step runners
   * are loaded on use the same way, inside those functions.
   */
  restore?: () => Promise<RestoreSupport<D, R>>;
  /**
   * What is where now, for provision status (reads only; may walk the data to size it). A kind
   * without one gets a row derived from its plan. undefined: nothing to show (a library the user
   * does not have).
   */
  status?(host: HostReads, machine: DesiredMachine, desired: D): Promise<ResourceStatus | undefined>;
  /** What `provision check` says of this resource's backups: read only, held against machine.watch / user.watch limits. */
  health?(host: HostReads, machine: DesiredMachine, desired: D, now: Date): Promise<HealthFinding[]>;
  /** Where its moves leave temporary names; pure. */
  places?(desired: D): WorkPlaces;
  /** Its own steps and their runner. */
  steps?: StepRunner;
  /** The commands it calls for these resources on this machine (doctor asks). */
  tools?(machine: DesiredMachine, desired: readonly D[]): ToolNeed[];
  /** What of a planned change needs root, in words ("Time Machine"); undefined: nothing (doctor asks). */
  needsRoot?(change: Change, machine: DesiredMachine): string | undefined;
  /** The declared drives a resource uses (status and doctor ask). */
  drives?(desired: D): DriveUse[];
  /** The rules a resource's drive must meet whatever the plan (doctor asks). */
  driveRules?(desired: D): DriveRules | undefined;
}

/** A kind whose resources belong to a user (iOS backups, photo libraries, music). */
export interface UserKind<D extends { id: string }, O, R = O> extends KindParts<D, O, R> {
  readonly scope: 'user';
  desire(machine: DesiredMachine, user: DesiredUser): D[];
}

/** A kind whose resources belong to the machine (Time Machine, shared folders); left out when a run is narrowed to one user. */
export interface MachineKind<D extends { id: string }, O, R = O> extends KindParts<D, O, R> {
  readonly scope: 'machine';
  desire(machine: DesiredMachine): D[];
}

export type ResourceKind<D extends { id: string }, O, R = O> = UserKind<D, O, R> | MachineKind<D, O, R>;

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
  /** Its status, when its kind has one. */
  status?: (host: HostReads) => Promise<ResourceStatus | undefined>;
  /** What `provision check` says of it, when its kind says anything. */
  health?: (host: HostReads, now: Date) => Promise<HealthFinding[]>;
  /** Where its moves leave temporary names, when its kind moves data. */
  places?: WorkPlaces;
  /** The declared drives it uses. */
  drives: DriveUse[];
  /** The rules its drive must meet, when its kind has any. */
  driveRules?: DriveRules;
}

/** Observes and plans one resource, refining the observation when the first plan is not a no-op. */
async function observeThenPlan<D extends { id: string }, O, R>(kind: KindParts<D, O, R>, host: HostReads, machine: DesiredMachine, d: D): Promise<Change | undefined> {
  const observed = await kind.observe(host, machine, d);
  const draft = kind.plan(d, observed);
  if (kind.refine === undefined || draft === undefined || (draft.action === 'none' && draft.blockers.length === 0)) return draft;
  return kind.plan(d, await kind.refine(host, machine, d, observed));
}

/** The kind's resources for this machine (and user, for a user kind), bound for the engine. */
export function bindKind<D extends { id: string }, O, R>(kind: KindParts<D, O, R>, machine: DesiredMachine, desired: readonly D[], user?: string): BoundResource[] {
  const restore = kind.restore;
  const status = kind.status?.bind(kind);
  const health = kind.health?.bind(kind);
  return desired.map((d) => {
    const rules = kind.driveRules?.(d);
    return {
      id: d.id,
      ...(user === undefined ? {} : { user }),
      kind: kind.kind,
      observeAndPlan: (host: HostReads) => observeThenPlan(kind, host, machine, d),
      ...(restore
        ? {
            observeAndPlanRestore: async (host: HostReads) => {
              const undo = await restore();
              return undo.plan(d, await undo.observe(host, machine, d));
            },
          }
        : {}),
      ...(status ? { status: (host: HostReads) => status(host, machine, d) } : {}),
      ...(health ? { health: (host: HostReads, now: Date) => health(host, machine, d, now) } : {}),
      ...(kind.places ? { places: kind.places(d) } : {}),
      drives: kind.drives?.(d) ?? [],
      ...(rules === undefined ? {} : { driveRules: rules }),
    };
  });
}

/**
 * The resource as provision restore sees it: planning it plans its undo. Plan building and
 * apply's stale check then work on restores unchanged. Undefined when the kind cannot restore.
 */
export function restoreView(r: BoundResource): BoundResource | undefined {
  const planRestore = r.observeAndPlanRestore;
  if (planRestore === undefined) return undefined;
  return { id: r.id, ...(r.user === undefined ? {} : { user: r.user }), kind: r.kind, observeAndPlan: planRestore, drives: r.drives, ...(r.places === undefined ? {} : { places: r.places }) };
}

/** A kind with its types erased, as the registry lists it: everything the layers above ask of a kind. */
export interface RegisteredKind {
  readonly kind: string;
  readonly scope: 'user' | 'machine';
  /** Whether provision restore can undo it. */
  readonly restorable: boolean;
  readonly steps?: StepRunner;
  /** Its resources for the machine (a machine kind) or for one user (a user kind), bound, with the tools they need. */
  bind(machine: DesiredMachine, user?: DesiredUser): { resources: BoundResource[]; tools: ToolNeed[] };
  /** What of a planned change of this kind needs root, in words; undefined: nothing. */
  needsRoot(change: Change, machine: DesiredMachine): string | undefined;
}

export function register<D extends { id: string }, O, R>(k: ResourceKind<D, O, R>): RegisteredKind {
  return {
    kind: k.kind,
    scope: k.scope,
    restorable: k.restore !== undefined,
    ...(k.steps === undefined ? {} : { steps: k.steps }),
    bind(machine, user) {
      const desired = k.scope === 'user' ? (user === undefined ? [] : k.desire(machine, user)) : k.desire(machine);
      return { resources: bindKind(k, machine, desired, k.scope === 'user' ? user?.name : undefined), tools: k.tools?.(machine, desired) ?? [] };
    },
    needsRoot: (change, machine) => k.needsRoot?.(change, machine),
  };
}
