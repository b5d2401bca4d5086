import { join } from 'node:path';
import type { HostReads } from '../../host/host.js';

/**
 * Counts regular files below a folder, without following links, and stops as soon as the count
 * passes `cap`: telling "almost empty" from "full" must not walk a 100,000-photo library.
 * Hidden names (.DS_Store and the like) are not media and are skipped. A folder that is absent,
 * not a folder, or unreadable counts as 0; unreadable ones are listed so callers can say so.
 * Host paths are native paths on this computer, hence node:path.
 */
export async function countMediaFilesUpTo(
  host: HostReads,
  hostDir: string,
  cap: number,
): Promise<{ count: number; unreadable: string[] }> {
  let count = 0;
  const unreadable: string[] = [];
  const stack = [hostDir];
  for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
    let names: string[];
    try {
      const st = await host.lstat(dir);
      if (st === undefined || st.kind !== 'directory') continue;
      names = await host.readdir(dir);
    } catch {
      unreadable.push(dir);
      continue;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      let st;
      try {
        st = await host.lstat(path);
      } catch {
        unreadable.push(path);
        continue;
      }
      if (st?.kind === 'directory') stack.push(path);
      else if (st?.kind === 'file' && ++count > cap) return { count, unreadable };
    }
  }
  return { count, unreadable };
}
