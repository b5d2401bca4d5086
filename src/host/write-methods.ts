import type { HostWrites } from './host.js';

/** The names of every Host method that changes something; wrappers that act on writes use this list. */
export const HOST_WRITE_METHODS = [
  'mkdir',
  'chown',
  'chmod',
  'rename',
  'link',
  'unlink',
  'rmdir',
  'removeTree',
  'writeFileAtomic',
  'copyTree',
  'mutate',
] as const satisfies readonly (keyof HostWrites)[];

export function isWriteMethod(name: string | symbol): boolean {
  return (HOST_WRITE_METHODS as readonly (string | symbol)[]).includes(name);
}
