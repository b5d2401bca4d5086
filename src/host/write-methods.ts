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
  'flush',
  'mutate',
  'createExclusive',
] as const satisfies readonly (keyof HostWrites)[];

export function isWriteMethod(name: string | symbol): boolean {
  return (HOST_WRITE_METHODS as readonly (string | symbol)[]).includes(name);
}

// Compile-time check that the list names every write of the Host interface: a write added to
// HostWrites but missing here would slip past the wrappers that rely on it.
type Unlisted = Exclude<keyof HostWrites, (typeof HOST_WRITE_METHODS)[number]>;
const everyWriteListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyWriteListed;
