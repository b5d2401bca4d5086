/**
 * Each declared drive this machine uses: when it was last seen mounted (drives/seen.json, which
 * apply, restore and the daily check write), and how full it is while mounted. A drive in a
 * drawer is normal for a while; one unseen for longer than `driveUnseenDays` means its backups
 * and libraries have not been reachable, or their moves not finished, for that long.
 */

import { describeAge } from '../text/age.js';
import { daysBetween, type HealthFinding } from '../engine/health/finding.js';
import type { DriveStatus } from '../engine/status/status-types.js';
import type { DesiredMachine } from '../desired/desired-machine.js';
import type { DriveRecordPlaces } from '../drives/drive-record.js';
import { lastSeen } from '../drives/drive-seen.js';
import type { HostReads } from '../host/host.js';
import { formatBytes } from '../text/units.js';

export async function driveFindings(reads: HostReads, machine: DesiredMachine, drives: readonly DriveStatus[], places: DriveRecordPlaces, now: Date): Promise<HealthFinding[]> {
  const out: HealthFinding[] = [];
  const { driveUnseenDays, driveFullPercent } = machine.watch;
  for (const d of drives) {
    const subject = { kind: 'drive' as const, name: d.name, machine: machine.name };
    const base = { drive: d.name, mountPoint: d.mountPoint, usedBy: d.usedBy.join(', ') };
    if (d.state === 'mounted') {
      const total = d.totalBytes ?? 0;
      const free = d.freeBytes ?? 0;
      const percent = total > 0 ? Math.round(((total - free) / total) * 100) : null;
      const facts = { ...base, freeBytes: d.freeBytes ?? null, totalBytes: d.totalBytes ?? null, usedPercent: percent, limitPercent: driveFullPercent };
      if (percent !== null && percent > driveFullPercent) {
        out.push({
          code: 'DRIVE_NEARLY_FULL',
          severity: 'warning',
          subject,
          words: `${d.name} is ${percent}% full (${formatBytes(free)} free of ${formatBytes(total)}), over ${driveFullPercent}%: backups to it will soon fail`,
          fix: `make room on ${d.name} (old archived device backups are the usual culprits), or move some locations to a bigger drive`,
          facts,
        });
      } else {
        out.push({ code: 'OK_DRIVE_SEEN', severity: 'ok', subject, words: `${d.name} is mounted${percent === null ? '' : `, ${percent}% full`}`, facts });
      }
      continue;
    }
    const seen = await lastSeen(reads, places, d.name);
    const away = d.state === 'other-drive' ? 'another drive of the same name is mounted in its place' : 'it is not mounted now';
    if (seen === undefined) {
      out.push({
        code: 'DRIVE_NEVER_SEEN',
        severity: 'warning',
        subject,
        words: `${d.name}: ${away}, and provision has no record of seeing it on this machine`,
        fix: `plug in ${d.name} and run provision apply (or leave the daily check to notice it)`,
        facts: { ...base, state: d.state, lastSeenAt: null, limitDays: driveUnseenDays },
      });
      continue;
    }
    const days = daysBetween(seen, now);
    const facts = { ...base, state: d.state, lastSeenAt: seen.toISOString(), daysUnseen: days, limitDays: driveUnseenDays };
    if (days > driveUnseenDays) {
      out.push({
        code: 'DRIVE_NOT_SEEN',
        severity: 'warning',
        subject,
        words: `${d.name} was last seen ${describeAge(days)} (${away}): what it holds has not been reachable from this machine for longer than ${driveUnseenDays} days`,
        fix: `plug in ${d.name} so that backups reach it again, or raise watch.driveUnseenDays in backups.yaml`,
        facts,
      });
    } else {
      out.push({ code: 'OK_DRIVE_AWAY', severity: 'ok', subject, words: `${d.name} is away (${away}); last seen ${describeAge(days)}`, facts });
    }
  }
  return out;
}
