/**
 * Each machine must set up someone, and each user set up on a machine must end up with
 * complete locations and a home folder that is absolute on that machine's platform.
 */

import type { Problem } from '../../errors.js';
import { invalid, type CheckContext } from './check-context.js';
import { describePath } from './describe-path.js';
import { activeListings, isCompleteLocation, LOCATION_KINDS, machinePlatform, mergedLocation, overrideOf, userListings } from '../model/effective.js';
import { ownEntry } from '../model/own-entry.js';
import { isAbsolutePosix, isAbsoluteWindows, stepsUp } from '../model/path-forms.js';
import { quoted } from '../../text/printable.js';

export function checkMachineUsers({ config, where }: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const declaredUsers = Object.keys(config.users ?? {});
  const example = declaredUsers.length > 0 ? `[${declaredUsers.slice(0, 2).join(', ')}]` : '[alex]';
  const homesSeen = new Set<string>();

  for (const [machineName, machine] of Object.entries(config.machines)) {
    const listed = userListings(config, machineName);
    const active = activeListings(config, machineName);
    // A machine that only shares folders (a NAS) or only backs up with Time Machine has
    // something to set up without users.
    const machineLevel = (machine.shares?.length ?? 0) > 0 || machine.timemachine !== undefined;
    if (active.length === 0 && !machineLevel) {
      const hasUsers = machine.users !== undefined;
      problems.push(
        invalid(
          listed.length === 0 ? `Machine ${machineName} lists no users` : `Machine ${machineName} opts every listed user out`,
          `list who uses this computer, e.g. \`users: ${example}\`; a machine with no users has nothing to set up`,
          where.value(hasUsers ? ['machines', machineName, 'users'] : ['machines', machineName]),
        ),
      );
    }

    const platform = machinePlatform(machine);
    for (const listing of active) {
      const user = ownEntry(config.users, listing.name);
      if (user === undefined) continue; // reported as an unknown user
      const override = overrideOf(listing.entry);

      for (const kind of LOCATION_KINDS) {
        const merged = mergedLocation(user, listing.entry, kind);
        if (merged === undefined || isCompleteLocation(merged)) continue;
        const missing = merged.drive === undefined ? 'drive' : 'path';
        const hasOverride = override?.[kind] !== undefined;
        problems.push(
          invalid(
            `On machine ${machineName}, ${listing.name}'s ${kind} location has no \`${missing}\``,
            `give it a ${missing} here, or declare \`${kind}: { drive: ..., path: ... }\` for ${listing.name} under users:`,
            hasOverride ? where.value([...listing.path, kind]) : where.key(listing.path),
          ),
        );
      }

      const home = override?.home ?? user.home;
      if (home === undefined) continue;
      const fromOverride = override?.home !== undefined;
      const origin = fromOverride ? [...listing.path, 'home'] : ['users', listing.name, 'home'];
      const windows = platform === 'windows';
      const seenKey = `${JSON.stringify(origin)}:${windows}`;
      const absolute = windows ? isAbsoluteWindows(home) : isAbsolutePosix(home);
      if (homesSeen.has(seenKey) || (absolute && !stepsUp(home))) continue;
      homesSeen.add(seenKey);
      if (absolute) {
        problems.push(
          invalid(
            `${describePath(origin)} ${quoted(home)} steps up with \`..\`, so it is not plainly the home folder`,
            `write the home folder itself, without \`..\`, like ${windows ? `C:\\Users\\${listing.name}` : `${platform === 'linux' ? '/home' : '/Users'}/${listing.name}`}`,
            where.value(origin),
          ),
        );
        continue;
      }
      problems.push(
        invalid(
          `${describePath(origin)} ${quoted(home)} is not an absolute ${windows ? 'Windows' : platform === 'linux' ? 'Linux' : 'Mac'} path, as machine ${machineName} needs`,
          windows
            ? `write the full folder, like C:\\Users\\${listing.name}${fromOverride ? '' : `; if other machines need a different home, set it per machine: machines.${machineName}.users.${listing.name}.home`}`
            : `write the full folder starting with /, like ${platform === 'linux' ? '/home' : '/Users'}/${listing.name}${fromOverride ? '' : `; if other machines need a different home, set it per machine: machines.${machineName}.users.${listing.name}.home`}`,
          where.value(origin),
        ),
      );
    }
  }
  return problems;
}
