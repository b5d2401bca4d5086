/**
 * Every drive and user named somewhere must be declared: in machines' user lists and maps, in
 * users' and overrides' locations, machines' drives maps and Time Machine destinations.
 */

import type { Problem } from '../../errors.js';
import { invalid, unknownNameHint, type CheckContext } from './check-context.js';
import { describePath } from './describe-path.js';
import { didYouMean } from './did-you-mean.js';
import { LOCATION_KINDS, overrideOf, userListings } from '../model/effective.js';
import { hasOwnEntry } from '../model/own-entry.js';
import { quoted } from '../../text/printable.js';

export function checkReferences({ config, where }: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const driveNames = Object.keys(config.drives ?? {});
  const userNames = Object.keys(config.users ?? {});

  const unknownDrive = (name: string, path: (string | number)[], asKey: boolean): void => {
    if (hasOwnEntry(config.drives, name)) return;
    problems.push(
      invalid(
        `${describePath(path)} names drive ${quoted(name)}, which is not declared under drives:`,
        unknownNameHint(name, driveNames, 'drives', didYouMean(name, driveNames)),
        asKey ? where.key(path) : where.value(path),
      ),
    );
  };

  for (const [userName, user] of Object.entries(config.users ?? {})) {
    for (const kind of LOCATION_KINDS) {
      const drive = user[kind]?.drive;
      if (drive !== undefined) unknownDrive(drive, ['users', userName, kind, 'drive'], false);
    }
  }

  for (const [machineName, machine] of Object.entries(config.machines)) {
    for (const listing of userListings(config, machineName)) {
      if (!hasOwnEntry(config.users, listing.name)) {
        problems.push(
          invalid(
            `Machine ${machineName} lists user ${quoted(listing.name)}, who is not declared under users:`,
            unknownNameHint(listing.name, userNames, 'users', didYouMean(listing.name, userNames)),
            where.key(listing.path),
          ),
        );
      }
      const entry = overrideOf(listing.entry);
      if (entry === undefined) continue;
      for (const kind of LOCATION_KINDS) {
        const override = entry[kind];
        if (override === false || override?.drive === undefined) continue;
        unknownDrive(override.drive, [...listing.path, kind, 'drive'], false);
      }
    }
    (machine.timemachine?.destinations ?? []).forEach((dest, i) => {
      if (dest.drive !== undefined) unknownDrive(dest.drive, ['machines', machineName, 'timemachine', 'destinations', i, 'drive'], false);
    });
    (machine.shares ?? []).forEach((share, i) => {
      unknownDrive(share.drive, ['machines', machineName, 'shares', i, 'drive'], false);
      share.users.forEach((u, j) => {
        if (hasOwnEntry(config.users, u)) return;
        problems.push(
          invalid(
            `Share ${quoted(share.name)} of machine ${machineName} lets in user ${quoted(u)}, who is not declared under users:`,
            unknownNameHint(u, userNames, 'users', didYouMean(u, userNames)),
            where.value(['machines', machineName, 'shares', i, 'users', j]),
          ),
        );
      });
    });
    for (const driveName of Object.keys(machine.drives ?? {})) {
      unknownDrive(driveName, ['machines', machineName, 'drives', driveName], true);
    }
  }
  return problems;
}
