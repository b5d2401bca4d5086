import type { DestinationMatch } from './steps.js';
import type { TmDestination } from './destination-info.js';

export type TmMatch = DestinationMatch;

/**
 * A host name as Bonjour and tmutil may write it, reduced to what the forms of one name share.
 * A destination added in System Settings is stored under the server's Bonjour service name: for a
 * Mac its ComputerName, percent-encoded with its punctuation ("Anna%E2%80%99s%20iMac._smb._tcp.local");
 * the host itself answers as its LocalHostName ("Annas-iMac.local"), which macOS derives from
 * the ComputerName by keeping letters, digits and dashes, spaces made dashes
 * (docs/platform-facts.md, "Time Machine"). So "Anna’s iMac", "Annas-iMac.local",
 * "annas-imac._smb._tcp.local." and "Annas-iMac" are one key: "annas-imac".
 */
export function hostKey(host: string): string {
  return decodeHost(host)
    .normalize('NFKD')
    .toLowerCase()
    .replace(/\.local$/, '')
    .replace(/\s+/g, '-')
    .replace(/[^a-z0-9.\-:]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/** An IPv4 or IPv6 address (an IPv6 one in brackets, as in a URL). */
export function isAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || /^\[[0-9a-f:.]+\]$/i.test(host);
}

function parseShareUrl(url: string): { scheme: 'smb' | 'afp'; user: string; host: string; share: string } | undefined {
  const m = /^(smb|afp):\/\/(?:([^:@/]*)(?::[^@/]*)?@)?([^/]+)\/(.+?)\/?$/i.exec(url);
  if (m === null) return undefined;
  try {
    return { scheme: (m[1] ?? '').toLowerCase() === 'afp' ? 'afp' : 'smb', user: decodeURIComponent(m[2] ?? ''), host: m[3] ?? '', share: decodeURIComponent(m[4] ?? '') };
  } catch {
    return undefined;
  }
}

/**
 * How a listed destination relates to a declared one:
 * - `same`: it is the declared one, under any name the server is declared by (its first name,
 *   the others in `hostname:`, as a Bonjour service name, a .local host or an address listed);
 * - `maybe`: the same account and share on a host provision cannot tie to the server (an address
 *   not declared, a service name that is none of its names), or over the other protocol (AFP
 *   for SMB): perhaps the declared one under a name provision does not know, perhaps another
 *   server. Never removed, never duplicated;
 * - `other`.
 */
export function relation(d: TmDestination, want: TmMatch): 'same' | 'maybe' | 'other' {
  if ('mountPoint' in want) return d.mountPoint !== undefined && d.mountPoint.replace(/\/+$/, '') === want.mountPoint ? 'same' : 'other';
  if (d.url === undefined) return 'other';
  const u = parseShareUrl(d.url);
  if (u === undefined || u.user.toLowerCase() !== want.user.toLowerCase() || u.share.toLowerCase() !== want.share.toLowerCase()) return 'other';
  const names = new Set([want.host, ...(want.hosts ?? [])].map(hostKey));
  // The same share reached over the other protocol: Time Machine already backs up there.
  return names.has(hostKey(u.host)) && u.scheme === (want.protocol ?? 'smb') ? 'same' : 'maybe';
}

export function matches(d: TmDestination, want: TmMatch): boolean {
  return relation(d, want) === 'same';
}

/** The host part of a destination's URL, for messages. */
export function urlHost(url: string): string | undefined {
  return parseShareUrl(url)?.host;
}

/** The protocol of a destination's URL (smb or afp), for messages. */
export function urlScheme(url: string): 'smb' | 'afp' | undefined {
  return parseShareUrl(url)?.scheme;
}

/** The smb:// (or afp://) URL for an account, a host and a share: never with a password in it. */
export function smbUrl(user: string, host: string, share: string, protocol: 'smb' | 'afp' = 'smb'): string {
  return `${protocol}://${encodeURIComponent(user)}@${host}/${encodeURIComponent(share)}`;
}

/** A host as a person would write it in backups.yaml: percent-decoding and Bonjour's service suffix undone. */
export function decodeHost(host: string): string {
  let decoded = host;
  try {
    decoded = decodeURIComponent(host);
  } catch {
    // kept as it is
  }
  return decoded.replace(/\.$/, '').replace(/\._(smb|afpovertcp|adisk)\._tcp\.local$/i, '');
}
