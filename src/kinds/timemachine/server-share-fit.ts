import type { Warning } from '../../engine/types.js';
import type { TmDestinationDesired } from './types.js';

/**
 * Whether the Macs that back up to one share of a server provision does not manage fit in it:
 * the same failure as on a managed share (kinds/shares/quota-fit.ts, "Quotas" in docs/kinds.md),
 * seen from each client, since no plan runs on that server. Its size is what backups.yaml says
 * (size:); without one only the missing quotas can be seen.
 */
export function serverShareFitWarnings(want: TmDestinationDesired): Warning[] {
  const u = want.unmanaged;
  if (u === undefined) return [];
  const where = want.label.replace(/^share /, '');
  const out: Warning[] = [];
  const limited = u.clients.filter((c) => c.quotaGB !== undefined);
  const sum = limited.reduce((n, c) => n + (c.quotaGB ?? 0), 0);
  if (u.sizeGB !== undefined && sum > u.sizeGB) {
    out.push({
      code: 'SHARE_QUOTAS_EXCEED_LIMIT',
      message: `share ${where}: the Time Machine quotas of the Macs that back up there (${limited.map((c) => `${c.machine} ${c.quotaGB} GB`).join(', ')}) add up to ${sum} GB, more than the ${u.sizeGB} GB it holds (size: in backups.yaml); once it is full, backups fail or delete each other's oldest. Lower the quotas`,
    });
  }
  if (u.clients.length >= 2 && limited.length < u.clients.length) {
    const open = u.clients.filter((c) => c.quotaGB === undefined).map((c) => c.machine);
    out.push({
      code: 'SHARE_CLIENT_WITHOUT_QUOTA',
      message: `share ${where} is used by ${u.clients.length} Macs, and ${open.join(', ')} ${open.length === 1 ? 'declares' : 'declare'} no quota of ${open.length === 1 ? 'its' : 'their'} own: one Mac's backups can take the whole share and leave the others none. Give each destination a quota (quota: under the destination in backups.yaml)`,
    });
  }
  return out;
}
