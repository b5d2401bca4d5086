import { printable } from '../../text/printable.js';
import type { DeviceStatus, DriveStatus, ResourceStatus, Severity, StatusReport } from '../../engine/status/status-types.js';
import { needsAttention } from '../../engine/status/status-types.js';
import type { HealthFinding } from '../../engine/health/finding.js';
import { renderFindingGroups } from './check-findings.js';
import { describeAge, localTime } from '../../text/age.js';
import { tildePath } from '../../text/tilde-path.js';
import type { Style } from '../../text/style.js';
import { formatBytes, plural } from '../../text/units.js';
import { fitWidth, labelled, wrapText } from '../../text/wrap-text.js';

/** Wide terminals still get lines a person can read at a glance; narrow ones get at least this. */
/** The label column of a location's block: "    declared: ". */
const LABEL = 14;

/**
 * Status as text: per user, one block per location (where it is, what is declared, its state,
 * its size, and for iOS backups a few lines per device), then the machine's own resources,
 * then the drives, then one summary line. Every line fits `columns`: long values wrap under
 * their label rather than across it. Text read from disk (device names) is escaped.
 */
export function renderStatusText(r: StatusReport, style: Style, columns: number, findings: readonly HealthFinding[] = []): string {
  const width = fitWidth(columns);
  const out: string[] = [];
  const root = r.root === undefined ? '' : ` under --root ${r.root}`;
  out.push(...wrapText(`Machine ${r.machine} (${r.platform})${root}, users: ${r.users.join(', ') || '(none)'}`, width).map(style.bold));
  const groups: [string, ResourceStatus[]][] = r.users.map((u) => [u, r.locations.filter((l) => l.user === u)]);
  groups.push(['This machine', r.locations.filter((l) => l.user === undefined)]);
  for (const [who, locations] of groups) {
    if (locations.length === 0) continue;
    out.push('', style.bold(who));
    for (const l of locations) out.push(...renderLocation(l, r, style, width));
  }
  if (r.drives.length > 0) {
    out.push('', style.bold('Drives'));
    for (const d of r.drives) out.push(...renderDrive(d, style, width));
  }
  // What provision check finds wrong, inline: where things are says little about whether the backups are healthy.
  const notOk = findings.filter((f) => f.severity !== 'ok');
  if (notOk.length > 0) {
    out.push('', style.bold('Checks (as provision check finds them)'));
    out.push(...renderFindingGroups(notOk, r.users, style, width).filter((line, i) => !(i === 0 && line === '')));
  }
  out.push('', ...wrapText(summaryText(r), width).map(needsAttention(r) ? style.yellow : style.green));
  return `${out.join('\n')}\n`;
}

function colourOf(style: Style, s: Severity): (text: string) => string {
  return s === 'ok' ? style.green : s === 'warning' ? style.yellow : style.red;
}

/** `label` in the label column, the value wrapped beside it. */
function field(label: string, value: string, width: number, colour?: (s: string) => string): string[] {
  return labelled(`    ${label}`, value, width, LABEL, colour);
}

function indented(text: string, indent: number, width: number, colour: (s: string) => string = (s) => s): string[] {
  return wrapText(text, width - indent).map((line) => `${' '.repeat(indent)}${colour(line)}`);
}

function renderLocation(l: ResourceStatus, r: StatusReport, style: Style, width: number): string[] {
  const home = l.user === undefined ? undefined : r.homes[l.user];
  const tilde = (p: string): string => printable(tildePath(p, home), { limit: 400 });
  const lines = indented(printable(l.title, { limit: 400 }), 2, width, style.bold);
  for (const p of l.paths) lines.push(...indented(tilde(p), 4, width));
  const declared = l.drive === undefined ? l.declared : `${l.declared} on drive ${l.drive}`;
  lines.push(...field('declared:', printable(declared, { limit: 400 }), width));
  lines.push(...field('state:', printable(l.words, { limit: 1000 }), width, colourOf(style, l.severity)));
  if (!l.sized && l.drive !== undefined) {
    lines.push(...field('size:', 'unknown', width));
  } else if (l.sized && l.data.length === 0) {
    lines.push(...field('size:', 'nothing found', width));
  } else if (l.sized) {
    const bytes = l.data.reduce((n, d) => n + d.bytes, 0);
    const files = l.data.reduce((n, d) => n + d.files, 0);
    lines.push(...field('size:', `${formatBytes(bytes)} in ${plural(files, 'file')}`, width));
    if (l.data.length > 1) for (const d of l.data) lines.push(...field('', `${formatBytes(d.bytes)} in ${tilde(d.path)}`, width));
  }
  if (l.hint !== undefined) lines.push(...field('fix:', printable(l.hint, { limit: 1000 }), width));
  for (const n of l.notes) lines.push(...field('note:', printable(n, { limit: 1000 }), width, style.yellow));
  if (l.devices !== undefined) lines.push(...renderDevices(l, r, style, width, tilde));
  return lines;
}

function renderDevices(l: ResourceStatus, r: StatusReport, style: Style, width: number, tilde: (p: string) => string): string[] {
  const devices = l.devices ?? [];
  if (devices.length === 0) return l.data.length > 0 ? field('devices:', 'none', width) : [];
  const lines = field('devices:', plural(devices.length, 'device backup'), width);
  // Backups in more than one place (a folder an app re-created beside the drive's): say which is where.
  const parents = [...new Set(devices.map(parentOf))];
  for (const parent of parents) {
    if (parents.length > 1) lines.push(...indented(`in ${tilde(parent)}:`, 6, width, style.dim));
    for (const d of devices.filter((x) => parentOf(x) === parent)) lines.push(...renderDevice(d, r, style, width));
  }
  return lines;
}

function parentOf(d: DeviceStatus): string {
  return d.path.slice(0, Math.max(0, d.path.length - d.folder.length - 1));
}

function renderDevice(d: DeviceStatus, r: StatusReport, style: Style, width: number): string[] {
  const about = [d.model, d.iosVersion === undefined ? undefined : `iOS ${d.iosVersion}`].filter((x) => x !== undefined).join(', ');
  const name = printable(d.deviceName ?? d.folder, { limit: 200 });
  const head = `${name}${about === '' ? '' : ` (${printable(about, { limit: 200 })})`}${d.archived ? ', archived copy' : ''}`;
  const lines = indented(head, 6, width, d.problem !== undefined ? style.red : d.stale ? style.yellow : (s) => s);
  if (d.lastBackup !== undefined && d.ageDays !== undefined) {
    const when = `last backup ${localTime(d.lastBackup)}, ${describeAge(d.ageDays)}`;
    const flag = d.stale ? `: over ${d.limitDays ?? r.staleAfterDays} days` : '';
    lines.push(...indented(`${when}${flag}`, 8, width, d.stale ? style.yellow : (s) => s));
  }
  if (d.problem !== undefined) lines.push(...indented(printable(d.problem, { limit: 300 }), 8, width, style.red));
  if (d.lastBackupFinished === false) lines.push(...indented('the last backup did not finish (Status.plist)', 8, width, style.red));
  if (d.encrypted === false && !d.archived) lines.push(...indented('not encrypted: saved passwords, Health and Wi-Fi data are left out', 8, width, style.yellow));
  lines.push(...indented(`${formatBytes(d.bytes)} in ${plural(d.files, 'file')}`, 8, width, style.dim));
  return lines;
}

function renderDrive(d: DriveStatus, style: Style, width: number): string[] {
  const lines = indented(`${printable(d.name)}: ${printable(d.mountPoint, { limit: 400 })}`, 2, width, style.bold);
  if (d.state === 'mounted') {
    const space = d.freeBytes !== undefined && d.totalBytes !== undefined ? `, ${formatBytes(d.freeBytes)} free of ${formatBytes(d.totalBytes)}` : '';
    const fs = d.fsType === undefined ? '' : ` (${d.fsType})`;
    lines.push(...indented(`mounted${space}${fs}`, 4, width, style.green));
  } else {
    const why =
      d.state === 'absent' ? 'not mounted' : d.state === 'not-mounted' ? 'not mounted: the folder there is a stale one on this machine\'s own disk' : d.state === 'other-drive' ? 'another drive of the same name is mounted there, not this one' : d.state === 'network' ? 'a network drive: junctions cannot point there' : 'not mounted: something that is not a folder is in its place';
    lines.push(...indented(why, 4, width, style.yellow));
  }
  if (d.owners === 'ignored' && d.usedBy.some((u) => u.includes('/'))) {
    const macFormat = d.fsType === 'apfs' || d.fsType === 'hfs';
    const remedy = macFormat
      ? 'untick "Ignore ownership on this volume" in the drive\'s Get Info to make them so'
      : 'only a format that keeps owners (APFS or Mac OS Extended, ext4) makes them so';
    lines.push(...indented(`ignores file owners: the per-user folders on it are not private (every account that uses the drive can open them); ${remedy}`, 4, width, style.yellow));
  }
  lines.push(...indented(`used by ${d.usedBy.join(', ')}`, 4, width, style.dim));
  return lines;
}

export function summaryText(r: StatusReport): string {
  const attention = r.locations.filter((l) => l.severity !== 'ok').length;
  const devices = r.locations.flatMap((l) => l.devices ?? []);
  const stale = devices.filter((d) => d.stale).length;
  const unreadable = devices.filter((d) => d.problem !== undefined).length;
  const parts: string[] = [];
  if (r.locations.length === 0) parts.push('Nothing is declared for this machine and these users.');
  else if (attention === 0) parts.push(r.locations.length === 1 ? 'The location is as declared.' : `All ${r.locations.length} locations are as declared.`);
  else parts.push(`${attention} of ${plural(r.locations.length, 'location')} ${attention === 1 ? 'needs' : 'need'} attention.`);
  if (stale > 0) parts.push(`${plural(stale, 'device backup')} ${stale === 1 ? 'is' : 'are'} older than ${devices.some((d) => d.stale && d.limitDays !== undefined && d.limitDays !== r.staleAfterDays) ? 'allowed' : `${r.staleAfterDays} days`}.`);
  if (unreadable > 0) parts.push(`${plural(unreadable, 'device backup')} could not be read.`);
  return parts.join(' ');
}
