import { describeAge } from '../../text/age.js';
import { daysBetween, type HealthFinding } from '../../engine/health/finding.js';
import type { DesiredMachine } from '../../desired/desired-machine.js';
import type { HostReads } from '../../host/host.js';
import { isProvisionError } from '../../errors.js';
import { readDestinations, FULL_DISK_ACCESS_HINT } from './read-destinations.js';
import { readLastBackups, TIME_MACHINE_PREFERENCES } from './last-backups.js';

/**
 * When each of this Mac's Time Machine destinations last finished a backup, against
 * `watch.timeMachineDays`. Every destination tmutil lists is judged, declared or not: a backup
 * that stopped is worth knowing about whoever set it up.
 */
export async function timeMachineFindings(host: HostReads, machine: DesiredMachine, now: Date): Promise<HealthFinding[]> {
  const limit = machine.watch.timeMachineDays;
  const subject = (name: string): HealthFinding['subject'] => ({ kind: 'time-machine', name, machine: machine.name });
  let destinations;
  try {
    destinations = await readDestinations(host);
  } catch (e) {
    if (!isProvisionError(e)) throw e;
    return [{ code: 'TIME_MACHINE_LAST_UNKNOWN', severity: 'warning', subject: subject('Time Machine'), words: `Time Machine's destinations could not be read: ${e.message}`, ...(e.hint === undefined ? {} : { fix: e.hint }), facts: { code: e.code } }];
  }
  if (destinations.length === 0) return [];
  const last = await readLastBackups(host, machine.paths.toHost(TIME_MACHINE_PREFERENCES));
  if (last.kind !== 'read') {
    const why =
      last.kind === 'not-permitted'
        ? `${TIME_MACHINE_PREFERENCES} cannot be read without Full Disk Access (${last.code})`
        : last.kind === 'missing'
          ? `${TIME_MACHINE_PREFERENCES} is not there`
          : `${TIME_MACHINE_PREFERENCES} cannot be read: ${last.why}`;
    return destinations.map((d) => ({
      code: 'TIME_MACHINE_LAST_UNKNOWN',
      severity: 'warning' as const,
      subject: subject(d.name),
      words: `when ${d.name} last finished a backup is unknown: ${why}`,
      fix: last.kind === 'not-permitted' ? FULL_DISK_ACCESS_HINT : 'open Time Machine in System Settings to see its last backup',
      facts: { destinationId: d.id, lastBackup: null, limitDays: limit },
    }));
  }
  return destinations.map((d): HealthFinding => {
    const date = last.byId.get(d.id.toUpperCase());
    const facts = { destinationId: d.id, kind: d.kind, url: d.url ?? null, lastBackup: date?.toISOString() ?? null, limitDays: limit };
    if (date === undefined) {
      return {
        code: 'TIME_MACHINE_NO_BACKUP_RECORDED',
        severity: 'warning',
        subject: subject(d.name),
        words: `${d.name}: macOS records no finished backup to this destination (none has completed yet, or this macOS no longer records them)`,
        fix: 'open Time Machine in System Settings: it shows the last backup, or back up now from its menu',
        facts,
      };
    }
    const age = daysBetween(date, now);
    if (age > limit) {
      return {
        code: 'TIME_MACHINE_BACKUP_OLD',
        severity: 'problem',
        subject: subject(d.name),
        words: `${d.name}: the last Time Machine backup finished ${describeAge(age)}, over the limit of ${limit} days`,
        fix: d.kind === 'Network'
          ? `make sure the share is reachable from this Mac (same network, server awake), then choose Back Up Now in the Time Machine menu`
          : `plug in ${d.name}, then choose Back Up Now in the Time Machine menu`,
        facts: { ...facts, ageDays: age },
      };
    }
    return { code: 'OK_TIME_MACHINE', severity: 'ok', subject: subject(d.name), words: `${d.name}: last backup finished ${describeAge(age)}`, facts: { ...facts, ageDays: age } };
  });
}
