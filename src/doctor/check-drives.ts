import type { RunContext } from '../app/session.js';
import type { DesiredDrive } from '../drives/types.js';
import { drivesUsed, observeUsedDrives } from '../app/drive-status.js';
import { observeDrive } from '../drives/observe-drive.js';
import type { HostReads } from '../host/host.js';
import { formatBytes } from '../text/units.js';
import { appleDriveProblems } from '../kinds/app-library/drive-rules.js';
import { driveBlocker } from '../drives/drive-blockers.js';
import type { DriveObserved } from '../drives/types.js';
import { photos } from '../kinds/photos/index.js';
import type { DoctorCheck, DriveFinding } from './types.js';

/**
 * Each drive this run uses (as status lists them): really mounted where the machine expects it
 * (the mount-point rule of observeDrive), its format (diskutil where it is on PATH, else
 * statfs) and free space. Then each user's photo libraries against Apple's rules for their
 * drive: a plan checks those only when a library is about to move, so on a machine already set
 * up this is where a library kept on the wrong drive is reported.
 */
export async function checkDrives(run: RunContext, machineLevel: boolean, reads: HostReads): Promise<DoctorCheck[]> {
  const { ctx } = run;
  const checks: DoctorCheck[] = [];
  const seen = new Map<string, { drive: DesiredDrive; observed: DriveObserved }>();
  for (const { drive, observed, status } of await observeUsedDrives(reads, ctx, drivesUsed(ctx, run.users, machineLevel), { format: true })) {
    seen.set(drive.name, { drive, observed });
    checks.push(driveCheck(drive, observed, status));
  }
  for (const u of run.users) {
    // One desired library carries what the rules need (the drive, whether it is Time Machine's);
    // every library of the user is on the same drive.
    const [library] = photos.desire(ctx, u);
    if (library === undefined) continue;
    const onDrive = seen.get(library.drive.name);
    const observed: DriveObserved = onDrive?.observed ?? (await observeDrive(reads, library.drive));
    const problems = appleDriveProblems(library, observed);
    const title = `Photo libraries of ${u.desired.name}`;
    const first = problems[0];
    if (first !== undefined) {
      checks.push({
        id: 'photo-drive',
        subject: u.desired.name,
        title,
        status: 'problem',
        code: first.code,
        found: problems.map((p) => p.reason).join('; '),
        details: problems.slice(1).map((p) => `also: ${p.fix}`),
        fix: first.fix,
      });
    } else if (observed.kind === 'mounted' && observed.fsType !== undefined) {
      checks.push({
        id: 'photo-drive',
        subject: u.desired.name,
        title,
        status: 'ok',
        found: `declared on drive ${library.drive.name} (${observed.fsType}), which Apple allows: not a network share, not a Time Machine destination`,
        details: [],
      });
    }
  }
  return checks;
}

function driveCheck(drive: DesiredDrive, observed: DriveObserved, f: DriveFinding): DoctorCheck {
  const base = { id: 'drive', subject: drive.name, title: `Drive ${drive.name}`, drive: f };
  const used = `used by ${f.usedBy.join(', ')}`;
  if (observed.kind !== 'mounted') {
    const b = driveBlocker({ drive }, observed);
    return { ...base, status: 'problem', code: b.code, found: b.reason, details: [used], fix: b.fix };
  }
  const space = f.freeBytes === undefined || f.totalBytes === undefined ? '' : `, ${formatBytes(f.freeBytes)} free of ${formatBytes(f.totalBytes)}`;
  return { ...base, status: 'ok', found: `mounted at ${f.mountPoint}, ${f.fsType ?? 'format unknown'}${space}`, details: [used] };
}
