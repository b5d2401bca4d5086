import type { DestinationMatch } from './steps.js';
import type { TmDestination } from './destination-info.js';

export type TmMatch = DestinationMatch;

/**
 * A host name as Bonjour and tmutil may write it: "iMac.local", "iMac._smb._tcp.local." and
 * "imac" are one host. Spaces become dashes, as in a LocalHostName.
 */
function hostKey(host: string): string {
  return decodeURIComponent(host)
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/\._smb\._tcp\.local$/, '')
    .replace(/\.local$/, '')
    .replace(/\s+/g, '-');
}

function parseSmbUrl(url: string): { user: string; host: string; share: string } | undefined {
  const m = /^smb:\/\/(?:([^:@/]*)(?::[^@/]*)?@)?([^/]+)\/(.+?)\/?$/i.exec(url);
  if (m === null) return undefined;
  return { user: decodeURIComponent(m[1] ?? ''), host: m[2] ?? '', share: decodeURIComponent(m[3] ?? '') };
}

export function matches(d: TmDestination, want: TmMatch): boolean {
  if ('mountPoint' in want) return d.mountPoint !== undefined && d.mountPoint.replace(/\/+$/, '') === want.mountPoint;
  if (d.url === undefined) return false;
  const u = parseSmbUrl(d.url);
  return (
    u !== undefined &&
    u.user.toLowerCase() === want.user.toLowerCase() &&
    hostKey(u.host) === hostKey(want.host) &&
    u.share.toLowerCase() === want.share.toLowerCase()
  );
}

/** The smb:// URL for an account, a host and a share: never with a password in it. */
export function smbUrl(user: string, host: string, share: string): string {
  return `smb://${encodeURIComponent(user)}@${host}/${encodeURIComponent(share)}`;
}
