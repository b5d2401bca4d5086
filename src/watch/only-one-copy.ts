/**
 * The "only one copy" guard. Moving backups and libraries to a drive frees the Mac, but the
 * drive is then the only place that data lives: Time Machine skips external volumes unless the
 * user includes them (docs/platform-facts.md, "Time Machine"), and a drive fails or is lost like
 * any other. So every mounted drive holding data provision moved is checked: backed up when the
 * declaration says how (drives.<name>.backedUp), or when Time Machine has a destination and
 * `tmutil isexcluded` answers [Included] for the drive. Anything else, an unclear answer
 * included, is named as a risk: a false alarm costs a line in backups.yaml, a false "fine"
 * could cost the only copy.
 */

import type { DesiredMachine } from '../desired/desired-machine.js';
import type { HealthFinding } from '../engine/health/finding.js';
import type { DriveStatus, ResourceStatus } from '../engine/status/status-types.js';
import type { HostReads } from '../host/host.js';
import { isProvisionError } from '../errors.js';
import { readDestinations } from '../kinds/timemachine/index.js';
import { timeMachineInclusion, type TmInclusion } from '../macos/tm-isexcluded.js';

/** The resources whose data is on the drive now (the declared folder holds something). */
function movedOnto(drive: string, statuses: readonly ResourceStatus[]): ResourceStatus[] {
  return statuses.filter((s) => s.drive === drive && s.data.some((p) => p.where === 'declared' && (p.files > 0 || p.bytes > 0)));
}

/** How many Time Machine destinations this Mac has, or undefined when tmutil cannot tell. */
async function destinationCount(reads: HostReads): Promise<number | undefined> {
  if (!(await reads.hasCommand('tmutil'))) return undefined;
  try {
    return (await readDestinations(reads)).length;
  } catch (e) {
    if (isProvisionError(e)) return undefined;
    throw e;
  }
}

export async function onlyOneCopyFindings(
  reads: HostReads,
  machine: DesiredMachine,
  statuses: readonly ResourceStatus[],
  drives: readonly DriveStatus[],
): Promise<HealthFinding[]> {
  const out: HealthFinding[] = [];
  let destinations: number | undefined | null = null;
  for (const seen of drives) {
    const drive = machine.drives.get(seen.name);
    if (seen.state !== 'mounted' || drive === undefined) continue;
    const holders = movedOnto(seen.name, statuses);
    if (holders.length === 0) continue;
    const name = seen.name;
    const what = holders.map((h) => h.id).join(', ');
    const subject = { kind: 'moved-data' as const, name, machine: machine.name };
    const base = { drive: name, holds: what };
    if (drive.backedUp !== undefined) {
      out.push({ code: 'OK_BACKED_UP_AS_DECLARED', severity: 'ok', subject, words: `${name} holds ${what}; the declaration says it is backed up: ${drive.backedUp}`, facts: { ...base, backedUp: drive.backedUp } });
      continue;
    }
    let inclusion: TmInclusion = 'unknown';
    if (machine.platform === 'macos') {
      destinations ??= await destinationCount(reads);
      inclusion = await timeMachineInclusion(reads, drive.mountPoint.machine);
    }
    const tmDestinations = destinations ?? null;
    if (inclusion === 'included' && typeof tmDestinations === 'number' && tmDestinations > 0) {
      out.push({ code: 'OK_BACKED_UP_BY_TIME_MACHINE', severity: 'ok', subject, words: `${name} holds ${what}, and Time Machine includes it in its backups`, facts: { ...base, timeMachine: inclusion, tmDestinations } });
      continue;
    }
    out.push({
      code: 'ONLY_ONE_COPY',
      severity: 'warning',
      subject,
      words: `${name} holds the only copy of ${what}: ${whyOnlyCopy(machine.platform, inclusion, tmDestinations)}`,
      fix: fixFor(machine.platform, drive.mountPoint.machine, name, inclusion, tmDestinations),
      facts: { ...base, timeMachine: inclusion, tmDestinations },
    });
  }
  return out;
}

function whyOnlyCopy(platform: DesiredMachine['platform'], inclusion: TmInclusion, destinations: number | null): string {
  if (platform !== 'macos') return 'nothing declared backs this drive up';
  if (destinations === 0) return 'this Mac has no Time Machine destination, and the declaration names no other backup';
  if (inclusion === 'excluded') return 'Time Machine skips this drive (external drives are excluded unless you include them), and the declaration names no other backup';
  return "Time Machine's answer about this drive could not be read, and the declaration names no other backup";
}

function fixFor(platform: DesiredMachine['platform'], mountPoint: string, name: string, inclusion: TmInclusion, destinations: number | null): string {
  const declare = `or copy the drive elsewhere and say how under drives.${name}.backedUp in backups.yaml`;
  if (platform !== 'macos') return `back the drive up to another drive or a NAS, then say how under drives.${name}.backedUp in backups.yaml`;
  if (destinations === 0) return `set up Time Machine and include ${mountPoint} in it (System Settings > General > Time Machine), ${declare}`;
  if (inclusion === 'excluded') return `include the drive in Time Machine (System Settings > General > Time Machine > Options: remove it from "Exclude from backups"), ${declare}`;
  return `run tmutil isexcluded "${mountPoint}" to see why, ${declare}`;
}
