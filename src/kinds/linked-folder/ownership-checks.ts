import type { Blocker, Warning } from '../../engine/types.js';
import type { LinkedFolderDesired, LinkedFolderObserved } from './types.js';

/** Formats whose owners can be switched back on (macOS's "Ignore ownership on this volume"). */
const MAC_FORMATS = new Set(['apfs', 'hfs']);

/**
 * What a drive's ownership mode means for a person's own folder on it (docs/platform-facts.md:
 * "Ignore ownership on this volume"). The folder is made 0700 for its person; that keeps the
 * other people of the household out only where the drive honours owners, and where it does,
 * the folder must belong to the person's uid on this machine or they are locked out of it.
 * The mode is known once the drive's format is (ResourceKind.refine), so only for a plan that
 * changes something; undefined: nothing is said.
 */
export function ownershipFindings(d: LinkedFolderDesired, o: LinkedFolderObserved): { blockers: Blocker[]; warnings: Warning[] } {
  const drive = o.drive;
  if (drive.kind !== 'mounted' || drive.ownership === undefined) return { blockers: [], warnings: [] };
  if (drive.ownership === 'ignored') return { blockers: [], warnings: [notPrivate(d, drive.fsType ?? 'unknown')] };
  const owner = o.target.ownerUid;
  if (owner === undefined || o.personUid === undefined || owner === o.personUid) return { blockers: [], warnings: [] };
  return {
    blockers: [
      {
        code: 'OWNER_MISMATCH',
        reason: `${d.target.machine} on drive ${d.drive.name} belongs to uid ${owner}, but ${d.user} is uid ${o.personUid} on this machine: the drive honours owners, so ${d.user} could not open their own private folder from here (their account has another uid on the machine that made it)`,
        fix: `as root, run "provision drive adopt ${d.user}" to give ${d.user}'s folder on drive ${d.drive.name} to uid ${o.personUid} (nothing else on the drive changes); or give ${d.user} the same uid on every machine that uses the drive`,
      },
    ],
    warnings: [],
  };
}

function notPrivate(d: LinkedFolderDesired, fsType: string): Warning {
  const type = fsType.toLowerCase();
  const remedy =
    d.platform === 'macos' && MAC_FORMATS.has(type)
      ? `To make them private, untick "Ignore ownership on this volume" in the drive's Get Info (Sharing & Permissions); every person then needs the same uid on each Mac that uses the drive`
      : `To make them private, the drive needs a format that keeps owners (APFS or Mac OS Extended on a Mac, ext4 on Linux): reformatting erases it, so copy its contents elsewhere first`;
  return {
    code: 'FOLDERS_NOT_PRIVATE',
    message: `drive ${d.drive.name} (${fsType}) ignores file owners: ${d.target.machine} is meant for ${d.user} only, but every account that uses the drive can open it, and the other per-user folders there alike. ${remedy}`,
  };
}
