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
