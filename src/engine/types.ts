/**
 * Plan data: plain, serialisable values (docs/design.md, note 2). The planner produces these from
 * desired and observed state without any I/O; renderers print them; apply executes their steps.
 */

/** What happens to one resource. The renderer maps each to a symbol (cli/views/symbols.ts). */
export type Action =
  | 'none' // already as declared
  | 'create' // nothing there yet: create folder and link
  | 'update' // re-point or restore a link; no data moves
  | 'relocate' // data moves to the drive
  | 'resume' // an interrupted move is finished
  | 'restore' // data moves back from the drive and the link goes (provision restore)
  | 'blocked'; // cannot proceed; see blockers

import type { Blocker, Warning } from '../errors.js';

export type { Blocker, Warning };

/** How much data a change moves. */
export interface DataVolume {
  files: number;
  bytes: number;
}

export interface Owner {
  uid: number;
  gid: number;
}

/**
 * The engine's own steps: the journaled, data-moving ones the linked-folder kinds use. Each is
 * one idempotent operation. Paths named `path`, `from`, `to`, `source`, `dest` are host paths
 * (what this process opens); `target` of a link is written as the machine itself sees it.
 */
export type CoreStep =
  | {
      op: 'mkdir';
      path: string;
      mode: number;
      owner?: Owner;
    }
  | {
      op: 'relocate';
      /** Identifies the move in the journal. */
      id: string;
      /** The folder whose contents move (host path). */
      source: string;
      /** The folder on the drive that receives them (host path); an earlier mkdir step creates it. */
      dest: string;
      /** Top-level entries of source that move; their names must not exist in dest. */
      entries: string[];
      /** Top-level entries of source that are left behind and discarded (.DS_Store when dest has one). */
      discard: string[];
      /** Where the link goes when the data has moved; source is put aside and this link takes its place. */
      link: { path: string; target: string; type: 'symlink' | 'junction'; owner?: Owner };
      volume: DataVolume;
      /** The drive dest is on: its declared name and mount point (host path). Absent in entries made before drive identity. */
      drive?: { name: string; mount: string };
      /** Processes that always hold the source's files open (Photos' photolibraryd): not blockers; content is compared instead. */
      backgroundWriters?: string[];
      /**
       * The files compared byte for byte whatever --verify says, after the copy and again right
       * before the original goes aside (an app library's databases, rewritten in place at the same
       * size): names matched against every segment of a file's path, `*` standing for any text
       * ("database" for everything in a folder of that name, "*.sqlite*"). See database-files.ts.
       */
      databases?: string[];
      /**
       * Keep the original instead of removing it: renamed to this name beside the link once the
       * link is in place, with a record of the move inside it (a photo library, which Apple says
       * to delete only after the moved one was opened and checked). Its kind removes it later.
       */
      keepOriginal?: { as: string; context?: Record<string, string> };
    }
  | {
      op: 'link';
      path: string;
      target: string;
      type: 'symlink' | 'junction';
      owner?: Owner;
      /** What is at path now: nothing, a link (replaced atomically), or an empty folder (put aside, then removed). */
      replaces: 'absent' | 'symlink' | 'empty-directory';
    }
  | {
      op: 'restore';
      /** Identifies the restore in the journal (never the same as a relocate's id). */
      id: string;
      /** The link that becomes a real folder again (host path). */
      link: string;
      /** What the link points at, exactly as readlink gives it: checked before anything is done. */
      linkTarget: string;
      /** The folder the link leads to, whose contents come back (host path); may be absent. */
      source: string;
      /** Top-level entries of source that come back (all of them; empty for an empty folder). */
      entries: string[];
      /** Mode of the restored folder, and its owner when running as root. */
      mode: number;
      owner?: Owner;
      volume: DataVolume;
      /** The drive source is on (as for relocate). */
      drive?: { name: string; mount: string };
    }
  | {
      /**
       * Remembers which physical drive a declared drive is (drives/drive-record.ts): gives it
       * provision's marker when it has none, and records its identity in this machine's state
       * folder, so that a twin of the same name is refused from then on.
       */
      op: 'remember-drive';
      drive: string;
      /** Its mount point (host path). */
      mount: string;
      /** The state folder the record goes to (host path). */
      recordIn: string;
    };

/**
 * A step a kind carries out itself (a Time Machine destination, a Samba configuration, a
 * preference): its op is the kind's own, the engine hands it to the runner the kind registered
 * (engine/kind.ts, StepRunner), and the kind's folder declares its exact shape.
 */
export type KindStep = { op: string } & Record<string, unknown>;

export type Step = CoreStep | KindStep;

const CORE_OPS: ReadonlySet<string> = new Set(['mkdir', 'relocate', 'link', 'restore', 'remember-drive'] satisfies CoreStep['op'][]);

/** Whether the engine runs this step itself. */
export function isCoreStep(step: Step): step is CoreStep {
  return CORE_OPS.has(step.op);
}

export interface Change {
  /** Unique within a plan, e.g. "alex/mobilesync". */
  id: string;
  /** Resource kind, e.g. "mobilesync". */
  kind: string;
  /** The user this resource belongs to, if any. */
  user?: string;
  /** What the resource is, for people: "iOS device backups". */
  title: string;
  /** The place being managed, as the machine sees it (for display). */
  path: string;
  action: Action;
  /** The state now and the state after, in words. */
  before: string;
  after: string;
  /** Why this action; exists only to explain the plan to a person. */
  reason: string;
  moves: DataVolume;
  blockers: Blocker[];
  warnings: Warning[];
  steps: Step[];
}

/** What a plan and a status report say about where they come from. */
/**
 * The format of plans and status reports (their JSON's format_version). 2: the shared folders'
 * kind is samba or mac-shares (format 1 said shares for both), and a kind's own steps are an
 * open shape named by their op.
 */
export const FORMAT_VERSION = 2;

export interface RunHeader {
  formatVersion: typeof FORMAT_VERSION;
  machine: string;
  platform: string;
  configFile: string;
  /** The --root sandbox, when one is used. */
  root?: string;
  users: string[];
  /** Each user's home folder on the machine, for showing paths with ~. */
  homes: Record<string, string>;
}

export interface Plan extends RunHeader {
  /** What the plan is for; absent for apply. A restore plan is worded as one. */
  intent?: 'restore';
  changes: Change[];
}

export function hasBlockers(plan: Plan): boolean {
  return plan.changes.some((c) => c.blockers.length > 0);
}

export function pendingChanges(plan: Plan): Change[] {
  return plan.changes.filter((c) => c.action !== 'none' && c.blockers.length === 0);
}
