/**
 * realpath(3) through a host's lstat and readlink: the path with every link on the way resolved
 * (macOS's /tmp and /var are links into /private). Tools that report open files (lsof) name
 * them by their real path, so a folder must be compared by its real path too. A part that does
 * not exist is kept as it is; more than 40 links (the kernel's limit) stops the resolution there.
 */

import { isAbsolute, join, resolve, sep } from 'node:path';
import type { HostReads } from '../host.js';

const MAX_LINKS = 40;

export async function realPathVia(host: Pick<HostReads, 'lstat' | 'readlink'>, path: string): Promise<string> {
  let pending = resolve(path).split(sep).filter((p) => p !== '');
  let done: string = sep;
  let links = 0;
  while (pending.length > 0) {
    const [name, ...rest] = pending as [string, ...string[]];
    const next = join(done, name);
    const st = await host.lstat(next);
    if (st?.kind === 'symlink' && links < MAX_LINKS) {
      links++;
      const target = await host.readlink(next);
      pending = [...target.split(sep).filter((p) => p !== ''), ...rest];
      if (isAbsolute(target)) done = sep;
      continue;
    }
    done = next;
    pending = rest;
  }
  return done;
}
