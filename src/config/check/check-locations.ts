/**
 * Folders on drives: each declared path must be a folder inside the drive, and no two
 * (machine, user) pairs may keep their data in the same folder, or one inside the other, on the
 * same drive: their backups would mix (folders compare case-insensitively, like Mac volumes).
 * The one exception is the same user's same kind in the very same folder on several machines:
 * that is what a user-level location means.
 */

import type { Problem } from '../../errors.js';
import { invalid, type CheckContext } from './check-context.js';
import { describePath } from './describe-path.js';
import { LOCATION_KINDS, machineUsers, overrideOf, userListings, type LocationKind } from '../model/effective.js';
import { hasOwnEntry } from '../model/own-entry.js';
import { folderKey, parseDrivePath, type DrivePathProblem } from '../model/path-forms.js';
import { quoted } from '../../text/printable.js';

const PATH_PROBLEMS: Record<DrivePathProblem, { message: string; hint: string }> = {
  absolute: {
    message: 'is an absolute path, but it must be a folder on the drive',
    hint: 'write the folder relative to the top of the drive, like MobileSync/alex (the drive itself is chosen by `drive:`)',
  },
  escapes: {
    message: 'goes above the top of the drive with `..`',
    hint: 'write a folder inside the drive, like MobileSync/alex, without `..`',
  },
  empty: {
    message: 'names no folder (it is the top of the drive itself)',
    hint: 'give a folder on the drive, like MobileSync/alex, so the data does not mix with the rest of the drive',
  },
};

function checkPathForms({ config, where }: CheckContext): Problem[] {
  const paths: (string | number)[][] = [];
  for (const [userName, user] of Object.entries(config.users ?? {})) {
    for (const kind of LOCATION_KINDS) if (user[kind] !== undefined) paths.push(['users', userName, kind, 'path']);
  }
  for (const machineName of Object.keys(config.machines)) {
    for (const listing of userListings(config, machineName)) {
      const entry = overrideOf(listing.entry);
      if (entry === undefined) continue;
      for (const kind of LOCATION_KINDS) {
        const override = entry[kind];
        if (override !== undefined && override !== false && override.path !== undefined) paths.push([...listing.path, kind, 'path']);
      }
    }
  }
  for (const [machineName, machine] of Object.entries(config.machines)) {
    (machine.shares ?? []).forEach((_, i) => paths.push(['machines', machineName, 'shares', i, 'path']));
  }
  const problems: Problem[] = [];
  for (const path of paths) {
    const value = valueAt(config, path);
    if (typeof value !== 'string') continue;
    const parsed = parseDrivePath(value);
    if (parsed.ok) continue;
    const wording = PATH_PROBLEMS[parsed.problem];
    problems.push(invalid(`${describePath(path)} ${quoted(value)} ${wording.message}`, wording.hint, where.value(path)));
  }
  return problems;
}

/** The value at a path of the declaration (own properties only). */
function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let here = root;
  for (const segment of path) {
    if (here === null || typeof here !== 'object' || !Object.prototype.hasOwnProperty.call(here, segment)) return undefined;
    here = (here as Record<string | number, unknown>)[segment];
  }
  return here;
}

interface Placed {
  machine: string;
  user: string;
  kind: LocationKind;
  drive: string;
  folder: string[];
  shown: string;
  /** Where the path was written: the machine's override, else the user's own location. */
  origin: (string | number)[];
  listing: (string | number)[];
  /** The number of its user, kind, drive and folder together: the same for every placement of them. */
  tupleId: number;
}

/**
 * How many earlier folders a new one may pass over because their clash with it was reported
 * already, before it is taken as reported too. Only a hostile file comes near it (hundreds of
 * users in one folder on many machines, each machine's look passing over every earlier
 * machine's): it keeps refusing such a file linear in its size, at worst leaving out problems
 * past the ones shown (MAX_PROBLEMS in load-config.ts).
 */
const MAX_REPORTED_PASSED = 50;

/** Placements of one list, and the tuples (tupleId) they are of: one placement per tuple. */
interface Placements {
  entries: { p: Placed; i: number }[];
  tuples: Set<number>;
}

/**
 * The folders placed so far, by drive and folder, so that finding one that holds, or sits in, a
 * new folder costs its depth rather than a pass over every folder: a household of 1,000 machines
 * places 5,000 of them.
 *
 * Each list keeps only the first placement of each user's kind in each folder: a later one of
 * the same user, kind and folder (the same location on another machine) would clash, or not,
 * exactly as the first does, and the first is the one reported. Without that, a user listed on
 * N machines with the same location made each machine's look pass over all the earlier ones:
 * 8,000 machines took 17 s to check.
 */
class PlacedIndex {
  /** drive \0 folder → placements of exactly that folder, in their order, and their tuples. */
  private readonly exact = new Map<string, Placements>();
  /** drive \0 folder → placements strictly inside that folder, in their order, and their tuples. */
  private readonly inside = new Map<string, Placements>();

  add(p: Placed, i: number): void {
    const push = (map: Map<string, Placements>, key: string): void => {
      const list = map.get(key);
      if (list === undefined) {
        map.set(key, { entries: [{ p, i }], tuples: new Set([p.tupleId]) });
      } else if (!list.tuples.has(p.tupleId)) {
        list.tuples.add(p.tupleId);
        list.entries.push({ p, i });
      }
    };
    push(this.exact, `${p.drive}\0${p.folder.join('/')}`);
    for (let d = 0; d < p.folder.length; d++) push(this.inside, `${p.drive}\0${p.folder.slice(0, d).join('/')}`);
  }

  /**
   * The earliest placement on the same drive that holds `here`, is it, or sits inside it, and
   * passes `ok`; once MAX_REPORTED_PASSED have failed `ok`, the earliest found by then, if any.
   */
  firstClash(here: Placed, ok: (p: Placed) => boolean): Placed | undefined {
    const lists: (Placements | undefined)[] = [];
    for (let d = 0; d <= here.folder.length; d++) lists.push(this.exact.get(`${here.drive}\0${here.folder.slice(0, d).join('/')}`));
    lists.push(this.inside.get(`${here.drive}\0${here.folder.join('/')}`));
    let best: { p: Placed; i: number } | undefined;
    let passed = 0;
    for (const list of lists) {
      // Each list is in the order of placement: past the best so far, nothing is earlier.
      for (const e of list?.entries ?? []) {
        if (best !== undefined && e.i >= best.i) break;
        if (ok(e.p)) {
          best = e;
          break;
        }
        if (++passed >= MAX_REPORTED_PASSED) return best?.p;
      }
    }
    return best?.p;
  }
}

function checkOverlaps({ config, where }: CheckContext): Problem[] {
  const placed: Placed[] = [];
  const index = new PlacedIndex();
  const problems: Problem[] = [];
  /** Pairs of tuples already reported, as lower id * 2^26 + higher id (ids stay far below 2^26). */
  const reported = new Set<number>();
  const tupleIds = new Map<string, number>();
  for (const machineName of Object.keys(config.machines)) {
    for (const user of machineUsers(config, machineName)) {
      for (const kind of LOCATION_KINDS) {
        const loc = user[kind];
        if (loc === undefined || !hasOwnEntry(config.drives, loc.drive)) continue;
        const parsed = parseDrivePath(loc.path);
        if (!parsed.ok) continue; // reported by checkPathForms
        const overridePath = [...user.path, kind, 'path'];
        const folder = folderKey(parsed.segments);
        const tuple = `${user.name}\0${kind}\0${loc.drive}\0${folder.join('/')}`;
        let tupleId = tupleIds.get(tuple);
        if (tupleId === undefined) tupleIds.set(tuple, (tupleId = tupleIds.size));
        const here: Placed = {
          machine: machineName,
          user: user.name,
          kind,
          drive: loc.drive,
          folder,
          shown: parsed.segments.join('/'),
          origin: valueAt(config, overridePath) === undefined ? ['users', user.name, kind, 'path'] : overridePath,
          listing: user.path,
          tupleId,
        };
        // One person's data in one folder from several machines is the point of a portable drive
        // (a user's location applies on every machine that lists them); anything else mixes.
        // Two folders that met through another machine already are not reported again.
        const pairKey = (p: Placed): number => Math.min(p.tupleId, tupleId) * 2 ** 26 + Math.max(p.tupleId, tupleId);
        const clash = index.firstClash(here, (p) =>
          !(p.user === here.user && p.kind === here.kind && p.folder.length === here.folder.length) && !reported.has(pairKey(p)),
        );
        placed.push(here);
        index.add(here, placed.length - 1);
        if (clash === undefined) continue;
        reported.add(pairKey(clash));
        const theirs = `the folder ${clash.user} uses on machine ${clash.machine} (${clash.drive}:${clash.shown})`;
        const relation =
          clash.folder.length === here.folder.length
            ? theirs
            : clash.folder.length < here.folder.length
              ? `inside ${theirs}`
              : `a folder that holds ${theirs}`;
        const sameSource = JSON.stringify(clash.origin) === JSON.stringify(here.origin);
        problems.push(
          invalid(
            `${here.user} on machine ${here.machine} keeps ${here.kind} in ${here.drive}:${here.shown}, which is ${relation}: their data would mix`,
            `give one of them its own path, e.g. with a machine override: machines.${here.machine}.users: { ${here.user}: { ${here.kind}: { path: ${here.shown}-${here.machine} } } }`,
            sameSource ? where.key(here.listing) : where.value(here.origin),
          ),
        );
      }
    }
  }
  return problems;
}

export function checkLocations(ctx: CheckContext): Problem[] {
  return [...checkPathForms(ctx), ...checkOverlaps(ctx)];
}
