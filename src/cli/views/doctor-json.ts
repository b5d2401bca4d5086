import { countByStatus, hasProblems, type DoctorCheck, type DoctorReport } from '../../doctor/types.js';
import { summaryLine } from './doctor-text.js';

/**
 * The checklist as versioned JSON for scripts (schemas/doctor.schema.json): snake_case keys,
 * sizes in bytes, paths as the machine sees them, and null for what is unknown or does not
 * apply, so every key is always there.
 */
export function renderDoctorJson(r: DoctorReport): string {
  const doc = {
    format_version: r.formatVersion,
    ok: !hasProblems(r),
    config_file: r.configFile ?? null,
    machine: r.machine ?? null,
    platform: r.platform ?? null,
    root: r.root ?? null,
    users: r.users,
    running_as_root: r.runningAsRoot,
    counts: countByStatus(r),
    stopped: r.stopped ?? null,
    summary: summaryLine(r),
    checks: r.checks.map(checkJson),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function checkJson(c: DoctorCheck): Record<string, unknown> {
  return {
    id: c.id,
    subject: c.subject ?? null,
    title: c.title,
    status: c.status,
    code: c.code ?? null,
    found: c.found,
    details: c.details,
    fix: c.fix ?? null,
    drive:
      c.drive === undefined
        ? null
        : {
            name: c.drive.name,
            mount_point: c.drive.mountPoint,
            state: c.drive.state,
            fs_type: c.drive.fsType ?? null,
            free_bytes: c.drive.freeBytes ?? null,
            total_bytes: c.drive.totalBytes ?? null,
            used_by: c.drive.usedBy,
          },
    tools: c.tools === undefined ? null : c.tools.map((t) => ({ command: t.command, found: t.found, needed_for: t.neededFor, if_missing: t.ifMissing })),
    interrupted:
      c.interrupted === undefined
        ? null
        : c.interrupted.map((i) => ({ id: i.id, user: i.user, title: i.title, path: i.path, operation: i.operation, phase: i.phase, started_at: i.startedAt })),
  };
}
