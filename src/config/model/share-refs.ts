/**
 * Time Machine shares as the declaration names them: `machine/share` references, the share
 * they name, and the account a Mac signs in with. Read by the checks and by the resources.
 */

import type { DeclaredConfig, DeclaredServer, DeclaredServerShare, DeclaredShare } from './declared.js';
import { activeListings } from './effective.js';
import { ownEntry } from './own-entry.js';

export interface ShareRef {
  machine: string;
  name: string;
}

/** "imac/TimeMachine" → { machine: 'imac', name: 'TimeMachine' } (the schema checked the form). */
export function parseShareRef(ref: string): ShareRef {
  const slash = ref.indexOf('/');
  return { machine: ref.slice(0, slash), name: ref.slice(slash + 1) };
}

/** The share a reference names, matched as SMB matches names: ignoring case. */
export function findShare(config: DeclaredConfig, ref: ShareRef): DeclaredShare | undefined {
  const machine = ownEntry(config.machines, ref.machine);
  return machine?.shares?.find((s) => s.name.toLowerCase() === ref.name.toLowerCase());
}

/**
 * The account a Mac backs up as to a share: the first of its users the share lets in; for a
 * Mac that lists no users (it only backs up), the share's first user.
 */
export function shareAccount(config: DeclaredConfig, client: string, share: DeclaredShare): string | undefined {
  const users = activeListings(config, client).map((l) => l.name);
  if (users.length === 0) return share.users[0];
  return users.find((u) => share.users.includes(u));
}

/** A share on a server provision does not manage (servers:), with its server. */
export interface ServerShareRef {
  server: DeclaredServer;
  share: DeclaredServerShare;
}

/** The server share a reference names, when its first part is a server rather than a machine. */
export function findServerShare(config: DeclaredConfig, ref: ShareRef): ServerShareRef | undefined {
  if (ownEntry(config.machines, ref.machine) !== undefined) return undefined;
  const server = ownEntry(config.servers, ref.machine);
  const share = server?.shares.find((s) => s.name.toLowerCase() === ref.name.toLowerCase());
  return server === undefined || share === undefined ? undefined : { server, share };
}

/**
 * The account a Mac signs in to a server's share as: the share's one `account`, else the first
 * of the Mac's users the share lists in `users`, else (no users listed) the Mac's first user.
 */
export function serverShareAccount(config: DeclaredConfig, client: string, share: DeclaredServerShare): string | undefined {
  if (share.account !== undefined) return share.account;
  const users = activeListings(config, client).map((l) => l.name);
  if (share.users !== undefined) return users.length === 0 ? share.users[0] : users.find((u) => share.users?.includes(u));
  return users[0];
}
