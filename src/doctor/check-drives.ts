import type { Session } from '../app/session.js';
import type { DesiredDrive } from '../drives/types.js';
import { drivesUsed, observeUsedDrives } from '../app/drive-status.js';
import { observeDrive } from '../drives/observe-drive.js';
import type { HostReads } from '../host/host.js';
import { formatBytes } from '../text/units.js';
import { driveBlocker } from '../drives/drive-blockers.js';
import type { DriveObserved } from '../drives/types.js';
import type { DoctorCheck, DriveFinding } from './types.js';

/**
 * Each drive this run uses (as status lists them): really mounted where the machine expects it
 * (the mount-point rule of observeDrive), its format (diskutil where it is on PATH, else
 * statfs) and free space. Then each user's photo libraries against Apple's rules for their
 * drive: a plan checks those only when a library is about to move, so on a machine already set
 * up this is where a library kept on the wrong drive is reported.
 */
export async function checkDrives(run: Session, reads: HostReads): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const seen = new Map<string, DriveObserved>();
  for (const { drive, observed, status } of await observeUsedDrives(reads, run.desired, drivesUsed(run.resources), { format: true })) {
    seen.set(drive.name, observed);
    checks.push(driveCheck(drive, observed, status));
  }
  // One check per user and kind: every resource of a user and kind is on the same drive.
  const checked = new Set<string>();
  for (const r of run.resources) {
    const rules = r.driveRules;
    if (rules === undefined || checked.has(`${rules.id}/${rules.subject}`)) continue;
    checked.add(`${rules.id}/${rules.subject}`);
    const observed = seen.get(rules.drive.name) ?? (await observeDrive(reads, rules.drive));
    const { problems, ok } = rules.check(observed);
    const base = { id: rules.id, subject: rules.subject, title: rules.title };
    const first = problems[0];
    if (first !== undefined) {
      checks.push({
        ...base,
        status: 'problem',
        code: first.code,
        found: problems.map((p) => p.reason).join('; '),
        details: problems.slice(1).map((p) => `also: ${p.fix}`),
        fix: first.fix,
      });
    } else if (observed.kind === 'mounted' && observed.fsType !== undefined) {
      checks.push({ ...base, status: 'ok', found: ok, details: [] });
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
