/**
 * Folders on drives: each declared path must be a folder inside the drive, and no two
 * (machine, user) pairs may keep their data in the same folder, or one inside the other, on the
 * same drive: their backups would mix (folders compare case-insensitively, like Mac volumes).
 * The one exception is the same user's same kind in the very same folder on several machines:
 * that is what a user-level location means.
 */

import type { Problem } from '../errors.js';
import { invalid, type CheckContext } from './check-context.js';
import { describePath } from './describe-path.js';
import { LOCATION_KINDS, machineUsers, overrideOf, userListings, type LocationKind } from './effective.js';
import { hasOwnEntry } from './own-entry.js';
import { folderContains, folderKey, parseDrivePath, type DrivePathProblem } from './path-forms.js';
import { quoted } from './printable.js';

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
}

function checkOverlaps({ config, where }: CheckContext): Problem[] {
  const placed: Placed[] = [];
  const problems: Problem[] = [];
  const reported = new Set<string>();
  for (const machineName of Object.keys(config.machines)) {
    for (const user of machineUsers(config, machineName)) {
      for (const kind of LOCATION_KINDS) {
        const loc = user[kind];
        if (loc === undefined || !hasOwnEntry(config.drives, loc.drive)) continue;
        const parsed = parseDrivePath(loc.path);
        if (!parsed.ok) continue; // reported by checkPathForms
        const overridePath = [...user.path, kind, 'path'];
        const here: Placed = {
          machine: machineName,
          user: user.name,
          kind,
          drive: loc.drive,
          folder: folderKey(parsed.segments),
          shown: parsed.segments.join('/'),
          origin: valueAt(config, overridePath) === undefined ? ['users', user.name, kind, 'path'] : overridePath,
          listing: user.path,
        };
        // One person's data in one folder from several machines is the point of a portable drive
        // (a user's location applies on every machine that lists them); anything else mixes.
        // Two folders that met through another machine already are not reported again.
        const pairKey = (p: Placed): string =>
          [p, here].map((x) => `${x.user}\0${x.kind}\0${x.drive}\0${x.folder.join('/')}`).sort().join('\0\0');
        const clash = placed.find(
          (p) =>
            p.drive === here.drive &&
            (folderContains(p.folder, here.folder) || folderContains(here.folder, p.folder)) &&
            !(p.user === here.user && p.kind === here.kind && p.folder.length === here.folder.length) &&
            !reported.has(pairKey(p)),
        );
        placed.push(here);
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
