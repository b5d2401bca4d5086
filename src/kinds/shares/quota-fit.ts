import type { Warning } from '../../engine/types.js';
import type { DriveObserved } from '../../drives/types.js';
import type { ShareDesired } from './types.js';

const GB = 1e9;

/**
 * Whether the Macs that back up to one Time Machine share fit in it. Samba's `fruit:time machine
 * max size` (and a Mac's File Sharing quota) is one limit for every bundle in the share together
 * (docs/kinds.md, "Quotas"), and users' reports are full of two Macs on one share where the
 * first takes it all and the second's backups fail. So, from the declaration: the clients'
 * own quotas must add up to no more than the share's quota, and to no more than the drive; and
 * two or more clients with a share quota should each have one of their own.
 */
export function quotaFitWarnings(share: ShareDesired, drive: DriveObserved | undefined, server: 'samba' | 'mac' = 'samba'): Warning[] {
  // Samba's limit is one running total (source read); a Mac's "Limit backups to" is assumed to be
  // the same, the cautious reading (MAC_SHARE_QUOTA_SHARED).
  const shared = server === 'samba' ? 'which all of them share' : 'which macOS is taken to count for all of them together';
  if (!share.timeMachine || share.clients.length === 0) return [];
  const out: Warning[] = [];
  const limited = share.clients.filter((c) => c.quotaGB !== undefined);
  const sum = limited.reduce((n, c) => n + (c.quotaGB ?? 0), 0);
  const list = limited.map((c) => `${c.machine} ${c.quotaGB} GB`).join(', ');
  if (share.quotaGB !== undefined && sum > share.quotaGB) {
    out.push({
      code: 'SHARE_QUOTAS_EXCEED_LIMIT',
      message: `share ${share.name}: its clients' Time Machine quotas (${list}) add up to ${sum} GB, more than the share's own limit of ${share.quotaGB} GB, ${shared}; once the share is full, backups fail or delete each other's oldest. Lower the clients' quotas, or raise timemachine.quota of the share`,
    });
  }
  const total = drive?.kind === 'mounted' && drive.totalBytes !== undefined && drive.totalBytes > 0 ? drive.totalBytes : undefined;
  if (total !== undefined && sum * GB > total) {
    out.push({
      code: 'SHARE_QUOTAS_EXCEED_DRIVE',
      message: `share ${share.name}: its clients' Time Machine quotas (${list}) add up to ${sum} GB, more than drive ${share.drive.name} holds (${Math.floor(total / GB)} GB). Lower the quotas, or use a larger drive`,
    });
  }
  if (share.clients.length >= 2 && limited.length < share.clients.length) {
    const open = share.clients.filter((c) => c.quotaGB === undefined).map((c) => c.machine);
    out.push({
      code: 'SHARE_CLIENT_WITHOUT_QUOTA',
      message: `share ${share.name} is used by ${share.clients.length} Macs, and ${open.join(', ')} ${open.length === 1 ? 'declares' : 'declare'} no quota of ${open.length === 1 ? 'its' : 'their'} own: one Mac's backups can take the whole ${share.quotaGB === undefined ? 'drive' : `${share.quotaGB} GB`} and leave the others none. Give each destination a quota (quota: under the destination in backups.yaml)`,
    });
  }
  return out;
}
