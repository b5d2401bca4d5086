import type { DeviceStatus, DriveStatus, ResourceStatus, StatusReport } from '../../engine/status/status-types.js';
import { needsAttention } from '../../engine/status/status-types.js';
import { summaryText } from './status-text.js';
import type { HealthFinding } from '../../engine/health/finding.js';
import { orderFindings } from './check-findings.js';
import { findingJson } from './check-json.js';

/**
 * Status as versioned JSON for scripts (schemas/status.schema.json). As with the plan,
 * format_version changes only when a field changes meaning or goes away; new fields may be
 * added within a version. Keys are snake_case, sizes integer bytes, times ISO 8601 in UTC,
 * paths as the machine sees them; what is unknown is null rather than missing.
 */
export function renderStatusJson(r: StatusReport, findings?: readonly HealthFinding[]): string {
  const doc = {
    format_version: r.formatVersion,
    machine: r.machine,
    platform: r.platform,
    config_file: r.configFile,
    root: r.root ?? null,
    users: r.users,
    generated_at: r.generatedAt.toISOString(),
    stale_after_days: r.staleAfterDays,
    needs_attention: needsAttention(r),
    summary: summaryText(r),
    locations: r.locations.map(locationJson),
    drives: r.drives.map(driveJson),
    ...(findings === undefined ? {} : { findings: orderFindings(findings, r.users).map(findingJson) }),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function locationJson(l: ResourceStatus): Record<string, unknown> {
  return {
    id: l.id,
    kind: l.kind,
    user: l.user ?? null,
    title: l.title,
    declared: l.declared,
    drive: l.drive ?? null,
    paths: l.paths,
    state: l.state,
    state_text: l.words,
    severity: l.severity,
    hint: l.hint ?? null,
    size_bytes: l.sized ? l.data.reduce((n, d) => n + d.bytes, 0) : null,
    files: l.sized ? l.data.reduce((n, d) => n + d.files, 0) : null,
    data: l.data.map((d) => ({ path: d.path, where: d.where, size_bytes: d.bytes, files: d.files, unreadable_entries: d.unreadable })),
    links: l.links.map((k) => ({ path: k.path, state: k.state, found: k.found })),
    devices: l.devices === undefined ? null : l.devices.map(deviceJson),
    interrupted: l.interrupted === undefined ? null : { operation: l.interrupted.op, phase: l.interrupted.phase, started_at: l.interrupted.startedAt },
    notes: l.notes,
  };
}

function deviceJson(d: DeviceStatus): Record<string, unknown> {
  return {
    folder: d.folder,
    path: d.path,
    udid: d.udid,
    archived: d.archived,
    problem: d.problem ?? null,
    device_name: d.deviceName ?? null,
    model: d.model ?? null,
    ios_version: d.iosVersion ?? null,
    last_backup: d.lastBackup?.toISOString() ?? null,
    age_days: d.ageDays ?? null,
    stale: d.stale,
    limit_days: d.limitDays ?? null,
    encrypted: d.encrypted ?? null,
    last_backup_finished: d.lastBackupFinished ?? null,
    size_bytes: d.bytes,
    files: d.files,
  };
}

function driveJson(d: DriveStatus): Record<string, unknown> {
  return {
    name: d.name,
    mount_point: d.mountPoint,
    state: d.state,
    mounted: d.state === 'mounted',
    free_bytes: d.freeBytes ?? null,
    total_bytes: d.totalBytes ?? null,
    fs_type: d.fsType ?? null,
    owners: d.owners ?? null,
    used_by: d.usedBy,
  };
}
