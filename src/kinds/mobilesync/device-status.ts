/**
 * The status and health of a user's iOS device backups: one row per device backup, wherever the
 * backups are, each held against its own limit. Loaded by status and check only (index.ts).
 */

import type { DesiredMachine } from '../../desired/desired-machine.js';
import { DEFAULT_WATCH_LIMITS } from '../../desired/watch-limits.js';
import type { HealthFinding } from '../../engine/health/finding.js';
import type { ResourceStatus } from '../../engine/status/status-types.js';
import type { HostReads } from '../../host/host.js';
import { linkedFolderStatus } from '../linked-folder/status.js';
import type { LinkedFolderDesired } from '../linked-folder/types.js';
import { measureBackupFolder } from './device-backups.js';
import { deviceFindings } from './device-health.js';

export function deviceStatus(host: HostReads, ctx: DesiredMachine, d: LinkedFolderDesired, now: Date): Promise<ResourceStatus | undefined> {
  const limits = ctx.users.find((u) => u.name === d.user)?.watch ?? { deviceBackupDays: DEFAULT_WATCH_LIMITS.deviceBackupDays, devices: new Map<string, number>() };
  return linkedFolderStatus(host, ctx, d, { measure: measureBackupFolder(ctx, now, limits) });
}

export async function deviceHealth(host: HostReads, ctx: DesiredMachine, d: LinkedFolderDesired, now: Date): Promise<HealthFinding[]> {
  const status = await deviceStatus(host, ctx, d, now);
  return status === undefined ? [] : deviceFindings(status, ctx.name);
}
