/**
 * Names provision gives to things while it works. They start with a dot and ".provision-" so a
 * half-done copy never looks like a device backup or a library to the apps that read the folder.
 */
const PREFIX = '.provision-';

export function partialName(moveId: string): string {
  return `${PREFIX}partial-${moveId}`;
}

export function asideName(originalBase: string, moveId: string): string {
  return `${PREFIX}aside-${moveId}-${originalBase}`;
}

export function tempLinkName(linkBase: string, moveId: string): string {
  return `${PREFIX}link-${moveId}-${linkBase}`;
}

export function isProvisionTempName(name: string): boolean {
  return name.startsWith(PREFIX);
}

/** What a temporary name of provision's stands for. */
export type TempRole = 'partial' | 'aside' | 'link';

/**
 * Which of a move's temporary names `name` is, when it is one of the move `moveId`'s: the
 * partial copy, the original put aside, or a link being swapped in. A damaged journal entry is
 * matched to what it left behind by this (its id is its file name).
 */
export function tempRoleOf(name: string, moveId: string): TempRole | undefined {
  if (name === partialName(moveId)) return 'partial';
  if (name.startsWith(`${PREFIX}aside-${moveId}-`)) return 'aside';
  if (name.startsWith(`${PREFIX}link-${moveId}-`)) return 'link';
  return undefined;
}

/** The role of any of provision's temporary names, whatever move it belongs to. */
export function tempRole(name: string): TempRole | undefined {
  for (const role of ['partial', 'aside', 'link'] as const) if (name.startsWith(`${PREFIX}${role}-`)) return role;
  return undefined;
}
