/**
 * The server's view of a Time Machine share, which no client tool gives: each client Mac's
 * backup bundle in the shared folder (`<ComputerName>.sparsebundle`, or `.backupbundle` since
 * macOS 10.15: docs/platform-facts.md), when it was last written, and how much of the share's
 * quota the bundles take. Used by both Samba (Linux) and File Sharing (Mac) hosts.
 *
 * "Last written" is the newest modification time among the bundle folder and its top-level
 * entries (its `bands` folder, Info.plist, token, the SnapshotHistory plist...). A backup that
 * finishes rewrites at least one of them (named assumption TM_BUNDLE_TOP_LEVEL_WRITTEN; what a
 * wrong guess costs is said there). The bands themselves are not walked for times: a large
 * bundle holds tens of thousands of them.
 */

import { describeAge } from '../../text/age.js';
import path from 'node:path';
import { daysBetween, type HealthFinding } from '../../engine/health/finding.js';
import type { DesiredMachine } from '../../desired/desired-machine.js';
import { observeDrive } from '../../drives/observe-drive.js';
import { errnoCode } from '../../errors.js';
import type { HostReads } from '../../host/host.js';
import { formatBytes } from '../../text/units.js';
import type { ShareDesired } from './types.js';

const BUNDLE = /^(.+)\.(sparsebundle|backupbundle)$/;

export async function shareBundleFindings(host: HostReads, machine: DesiredMachine, shares: readonly ShareDesired[], now: Date): Promise<HealthFinding[]> {
  const out: HealthFinding[] = [];
  const { timeMachineDays, driveFullPercent } = machine.watch;
  for (const share of shares) {
    if (!share.timeMachine) continue;
    const shareSubject = { kind: 'share' as const, name: share.name, machine: machine.name };
    const drive = await observeDrive(host, share.drive);
    if (drive.kind !== 'mounted') {
      out.push({ code: 'SHARE_DRIVE_AWAY', severity: 'warning', subject: shareSubject, words: `share ${share.name}: its drive ${share.drive.name} is not mounted, so no Mac can back up to it`, fix: `plug in ${share.drive.name} on ${machine.name}`, facts: { share: share.name, drive: share.drive.name } });
      continue;
    }
    let names: string[];
    try {
      names = await host.readdir(share.folder.host);
    } catch (e) {
      const code = errnoCode(e) ?? 'EIO';
      out.push({ code: 'SHARE_UNREADABLE', severity: 'warning', subject: shareSubject, words: `share ${share.name}: ${share.folder.machine} cannot be read (${code})`, fix: code === 'ENOENT' ? 'run provision apply to create the shared folder' : 'run provision check as root (sudo) to look inside the share', facts: { share: share.name, code } });
      continue;
    }
    let used = 0;
    let bundles = 0;
    for (const name of names.sort()) {
      const m = BUNDLE.exec(name);
      if (m?.[1] === undefined) continue;
      const bundle = path.join(share.folder.host, name);
      const st = await host.lstat(bundle);
      if (st?.kind !== 'directory') continue;
      bundles++;
      const client = m[1];
      let newest = st.mtimeMs;
      let bytes = 0;
      try {
        for (const entry of await host.readdir(bundle)) {
          const e = await host.lstat(path.join(bundle, entry));
          if (e !== undefined) newest = Math.max(newest, e.mtimeMs);
        }
        bytes = (await host.summarize(bundle)).bytes;
      } catch (e) {
        out.push({ code: 'BACKUP_BUNDLE_UNREADABLE', severity: 'warning', subject: { kind: 'backup-bundle', name: client, machine: machine.name }, words: `${client}'s backup on share ${share.name} cannot be read (${errnoCode(e) ?? 'EIO'})`, fix: 'run provision check as root (sudo) to look inside it', facts: { share: share.name, bundle: name } });
        continue;
      }
      used += bytes;
      const written = new Date(newest);
      const age = daysBetween(written, now);
      const subject = { kind: 'backup-bundle' as const, name: client, machine: machine.name };
      const facts = { share: share.name, bundle: name, lastWritten: written.toISOString(), ageDays: age, limitDays: timeMachineDays, bytes };
      if (age > timeMachineDays) {
        out.push({
          code: 'BACKUP_BUNDLE_OLD',
          severity: 'problem',
          subject,
          words: `${client} last wrote its Time Machine backup on share ${share.name} ${describeAge(age)}, over the limit of ${timeMachineDays} days`,
          fix: `on ${client}, open Time Machine in System Settings: it says why it cannot back up (share not found, password, full); then choose Back Up Now`,
          facts,
        });
      } else {
        out.push({ code: 'OK_BACKUP_BUNDLE', severity: 'ok', subject, words: `${client} last wrote its backup on share ${share.name} ${describeAge(age)} (${formatBytes(bytes)})`, facts });
      }
    }
    const quota = share.quotaGB === undefined ? undefined : share.quotaGB * 1e9;
    const percent = quota === undefined || quota === 0 ? null : Math.round((used / quota) * 100);
    const facts = { share: share.name, bundles, usedBytes: used, quotaBytes: quota ?? null, usedPercent: percent, limitPercent: driveFullPercent };
    if (percent !== null && percent > driveFullPercent) {
      out.push({
        code: 'SHARE_QUOTA_NEARLY_FULL',
        severity: 'warning',
        subject: shareSubject,
        words: `share ${share.name}: its backups take ${formatBytes(used)}, ${percent}% of its ${share.quotaGB} GB quota; Time Machine then deletes its oldest backups, and fails once they cannot make room`,
        fix: `raise timemachine.quota of share ${share.name} in backups.yaml (the drive permitting), or give a Mac its own share`,
        facts,
      });
    } else if (bundles === 0) {
      out.push({ code: 'SHARE_NO_BACKUPS', severity: 'warning', subject: shareSubject, words: `share ${share.name}: no Mac has backed up to it yet`, fix: `on each Mac that should back up here, choose the share in System Settings > General > Time Machine (or declare it as a destination and run provision apply there)`, facts });
    } else {
      out.push({ code: 'OK_SHARE', severity: 'ok', subject: shareSubject, words: `share ${share.name}: ${bundles} backup bundle${bundles === 1 ? '' : 's'}, ${formatBytes(used)}${percent === null ? '' : `, ${percent}% of its quota`}`, facts });
    }
  }
  return out;
}
