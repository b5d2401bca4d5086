/**
 * Which of a declaration's drives are mounted on this computer now, for --add-machine: a new
 * Mac finds a drive at /Volumes/<volume> (or its `mount`), Linux at its `mount`. Windows knows a
 * drive only by the letter a machine gives it, so a drive counts there when another Windows
 * machine of the declaration gives it a letter that is mounted here (the same drive usually
 * gets the same letter on each PC of a household). Pure.
 */

import type { DeclaredConfig, Platform } from '../config/model/declared.js';
import { machinePlatform } from '../config/model/effective.js';
import { driveLetterRoot, trimTrailingSlashes } from '../config/model/path-forms.js';
import type { PathMapper } from '../machine/path-mapper.js';
import type { KeyedDrive } from './choose-locations.js';
import type { DetectedDrive } from './detect-drives.js';

export interface DrivesHere {
  /** Declared drives that are mounted here, keyed by their declared names, in declaration order. */
  mounted: KeyedDrive[];
  /** Windows: the letter each of them has here (E:). */
  letters: Record<string, string>;
}

/** Where a declared drive would be on a new machine of this platform, as a machine path. */
function mountPointHere(config: DeclaredConfig, name: string, platform: Platform): string | undefined {
  const drive = config.drives?.[name];
  if (drive === undefined) return undefined;
  switch (platform) {
    case 'macos':
      return drive.mount !== undefined ? trimTrailingSlashes(drive.mount) : drive.volume !== undefined ? `/Volumes/${drive.volume}` : undefined;
    case 'linux':
      return drive.mount === undefined ? undefined : trimTrailingSlashes(drive.mount);
    case 'windows':
      for (const m of Object.values(config.machines)) {
        const letter = machinePlatform(m) === 'windows' && m.drives !== undefined && Object.hasOwn(m.drives, name) ? m.drives[name] : undefined;
        const root = letter === undefined ? undefined : driveLetterRoot(letter);
        if (root !== undefined) return root;
      }
      return undefined;
  }
}

export function declaredDrivesHere(config: DeclaredConfig, platform: Platform, paths: PathMapper, detected: readonly DetectedDrive[]): DrivesHere {
  const mounted: KeyedDrive[] = [];
  const letters: Record<string, string> = {};
  for (const name of Object.keys(config.drives ?? {})) {
    const where = mountPointHere(config, name, platform);
    if (where === undefined) continue;
    const drive = detected.find((d) => paths.key(d.mountPoint.machine) === paths.key(where));
    if (drive === undefined) continue;
    mounted.push({ key: name, drive });
    if (platform === 'windows') letters[name] = drive.label;
  }
  return { mounted, letters };
}
