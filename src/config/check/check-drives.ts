/**
 * Every drive must be findable on every machine that uses it: a Mac finds it by volume name,
 * Linux needs a mount point, Windows needs the letter the drive gets there.
 */

import type { Problem } from '../../errors.js';
import { invalid, type CheckContext } from './check-context.js';
import type { DeclaredConfig } from '../model/declared.js';
import { describePath } from './describe-path.js';
import { driveMountPoint, kindAppliesOn, LOCATION_KINDS, machinePlatform, machineUsers, type EffectiveUser } from '../model/effective.js';
import { hasOwnEntry, ownEntry } from '../model/own-entry.js';
import { driveLetterRoot, isAbsolutePosix, stepsUp } from '../model/path-forms.js';
import { quoted } from '../../text/printable.js';

/** For each drive a machine's users keep data on: the first user listing that uses it. */
function drivesInUse(config: DeclaredConfig, machineName: string): Map<string, EffectiveUser> {
  const used = new Map<string, EffectiveUser>();
  const machine = ownEntry(config.machines, machineName);
  const platform = machine === undefined ? 'macos' : machinePlatform(machine);
  for (const user of machineUsers(config, machineName)) {
    for (const kind of LOCATION_KINDS) {
      // A kind that does not exist on this platform never looks for its drive here.
      if (!kindAppliesOn(kind, platform)) continue;
      const drive = user[kind]?.drive;
      if (drive !== undefined && !used.has(drive)) used.set(drive, user);
    }
  }
  // Drives the machine itself uses: shared folders, and Time Machine drives on a Mac.
  const own = [
    ...(machine?.shares ?? []).map((s, i) => ({ drive: s.drive, path: ['machines', machineName, 'shares', i] })),
    ...(machine?.timemachine?.destinations ?? []).flatMap((t, i) =>
      t.drive === undefined ? [] : [{ drive: t.drive, path: ['machines', machineName, 'timemachine', 'destinations', i] }],
    ),
  ];
  for (const { drive, path } of own) if (!used.has(drive)) used.set(drive, { name: machineName, path });
  return used;
}

export function checkDrives({ config, where }: CheckContext): Problem[] {
  const problems: Problem[] = [];
  const inUse = new Map(Object.keys(config.machines).map((m) => [m, drivesInUse(config, m)] as const));

  const upward = (path: (string | number)[], value: string): Problem =>
    invalid(
      `${describePath(path)} ${quoted(value)} steps up with \`..\`, so it is not plainly where the drive is mounted`,
      'write the mount point itself, without `..`, like /mnt/archive or /Volumes/Archive',
      where.value(path),
    );

  // A drive with no volume and no mount is only findable through machines' drives: entries.
  for (const [driveName, drive] of Object.entries(config.drives ?? {})) {
    if (drive.mount !== undefined && stepsUp(drive.mount)) problems.push(upward(['drives', driveName, 'mount'], drive.mount));
    if (drive.volume !== undefined || drive.mount !== undefined) continue;
    const machines = Object.entries(config.machines);
    const mapped = machines.some(([, m]) => hasOwnEntry(m.drives, driveName));
    const usedUnmapped = machines.some(([name, m]) => inUse.get(name)?.has(driveName) === true && !hasOwnEntry(m.drives, driveName));
    if (mapped && !usedUnmapped) continue;
    problems.push(
      invalid(
        `Drive ${driveName} has neither a \`volume\` nor a \`mount\`, so no machine can find it`,
        "add `volume:` with the drive's name as shown in Finder (Mac), or `mount:` with its mount point (Linux)",
        where.value(['drives', driveName]),
      ),
    );
  }

  for (const [machineName, machine] of Object.entries(config.machines)) {
    const platform = machinePlatform(machine);
    for (const [driveName, value] of Object.entries(machine.drives ?? {})) {
      const path = ['machines', machineName, 'drives', driveName];
      if (platform === 'windows' && driveLetterRoot(value) === undefined) {
        problems.push(
          invalid(
            `${describePath(path)} ${quoted(value)} is not a drive letter, as Windows machine ${machineName} needs`,
            "write the letter the drive gets on this PC, like 'E:'",
            where.value(path),
          ),
        );
      } else if (platform !== 'windows' && isAbsolutePosix(value) && stepsUp(value)) {
        problems.push(upward(path, value));
      } else if (platform !== 'windows' && !isAbsolutePosix(value)) {
        problems.push(
          invalid(
            `${describePath(path)} ${quoted(value)} is not an absolute path, as ${platform === 'linux' ? 'Linux' : 'Mac'} machine ${machineName} needs`,
            `write where the drive is mounted on this machine, starting with /, like ${platform === 'linux' ? '/mnt/' : '/Volumes/'}${driveName}`,
            where.value(path),
          ),
        );
      }
    }

    for (const [driveName, user] of inUse.get(machineName) ?? []) {
      const drive = ownEntry(config.drives, driveName);
      // Unknown drives, bad drives: values and drives with neither volume nor mount are reported above.
      if (drive === undefined || hasOwnEntry(machine.drives, driveName)) continue;
      if (drive.volume === undefined && drive.mount === undefined) continue;
      const found = driveMountPoint(config, machineName, driveName);
      if (found.ok) continue;
      problems.push(
        invalid(
          `Machine ${machineName} (${platform}) cannot find drive ${driveName}, used by ${user.name}: ${found.reason}`,
          platform === 'windows'
            ? `add \`drives: { ${driveName}: 'E:' }\` to machine ${machineName}, with the letter the drive gets on that PC`
            : `add \`mount:\` to drive ${driveName}, or \`drives: { ${driveName}: /mnt/${driveName} }\` to machine ${machineName}`,
          where.key(user.path),
        ),
      );
    }
  }
  return problems;
}
