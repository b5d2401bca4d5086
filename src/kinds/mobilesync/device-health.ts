import { describeAge } from '../../text/age.js';
import type { HealthFinding } from '../../engine/health/finding.js';
import type { ResourceStatus, DeviceStatus } from '../../engine/status/status-types.js';

/**
 * What `provision check` says of each device backup a status found: old beyond its limit, not
 * encrypted, last backup unfinished, unreadable, or fine. Archived copies (Finder's "Archive")
 * are snapshots kept apart and never backed up to again: they are not judged. A location that
 * cannot be looked at (its drive away) is one warning, since its backups' age is then unknown.
 */
export function deviceFindings(status: ResourceStatus, machine: string): HealthFinding[] {
  const user = status.user;
  const subject = (name: string): HealthFinding['subject'] => ({ kind: 'device-backup', name, machine, ...(user === undefined ? {} : { user }) });
  if (status.state === 'drive-not-mounted' || status.state === 'unreadable' || status.state === 'link-broken') {
    return [
      {
        code: 'DEVICE_BACKUPS_UNREACHABLE',
        severity: 'warning',
        subject: subject(status.id),
        words: `${status.id}: the device backups cannot be looked at (${status.words})`,
        fix: status.hint ?? (status.drive === undefined ? 'see provision status for why, then run provision check again' : `plug in drive ${status.drive} and run provision check again`),
        facts: { resource: status.id, state: status.state },
      },
    ];
  }
  const out: HealthFinding[] = [];
  for (const d of status.devices ?? []) {
    if (d.archived) continue;
    out.push(...oneDevice(d, subject(d.deviceName ?? d.udid)));
  }
  return out;
}

function oneDevice(d: DeviceStatus, subject: HealthFinding['subject']): HealthFinding[] {
  const name = d.deviceName ?? d.udid;
  const facts: HealthFinding['facts'] = {
    udid: d.udid,
    path: d.path,
    lastBackup: d.lastBackup?.toISOString() ?? null,
    ageDays: d.ageDays ?? null,
    limitDays: d.limitDays ?? null,
    encrypted: d.encrypted ?? null,
    lastBackupFinished: d.lastBackupFinished ?? null,
  };
  const out: HealthFinding[] = [];
  if (d.problem !== undefined) {
    out.push({ code: 'DEVICE_BACKUP_UNREADABLE', severity: 'warning', subject, words: `${name}: ${d.problem}`, fix: 'back the device up again in Finder (or the Apple Devices app); if that fails, move this folder aside and back up anew', facts });
  }
  if (d.stale && d.ageDays !== undefined) {
    out.push({
      code: 'DEVICE_BACKUP_OLD',
      severity: 'problem',
      subject,
      words: `${name} was last backed up ${describeAge(d.ageDays)}, over its limit of ${d.limitDays ?? '?'} days`,
      fix: 'connect the device to this computer and click "Back Up Now" in Finder (or the Apple Devices app); or raise its limit under watch: in backups.yaml',
      facts,
    });
  }
  if (d.lastBackupFinished === false) {
    out.push({
      code: 'DEVICE_BACKUP_UNFINISHED',
      severity: 'problem',
      subject,
      words: `${name}: the last backup did not finish (Status.plist), so the backup on disk may be incomplete`,
      fix: 'connect the device and back it up again, keeping it connected until Finder says the backup is done',
      facts,
    });
  }
  if (d.encrypted === false) {
    out.push({
      code: 'DEVICE_BACKUP_UNENCRYPTED',
      severity: 'warning',
      subject,
      words: `${name}: the backup is not encrypted, so it leaves out saved passwords, Wi-Fi settings, Health data and call history`,
      fix: 'tick "Encrypt local backup" for the device in Finder (or the Apple Devices app) and keep the password safe',
      facts,
    });
  }
  if (out.length === 0) {
    out.push({ code: 'OK_DEVICE_BACKUP', severity: 'ok', subject, words: `${name}: last backed up ${d.ageDays === undefined ? 'at an unknown time' : describeAge(d.ageDays)} (limit ${d.limitDays ?? '?'} days)`, facts });
  }
  return out;
}
