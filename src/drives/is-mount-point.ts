import path from 'node:path';
import type { HostReads } from '../host/host.js';

/**
 * The mount-point rule (docs/platform-facts.md, "Drives and mounts"): a folder is a mounted volume when its
 * device differs from its parent's, or it is its own parent ("/"). A folder under /Volumes that
 * is not one is a stale folder on the boot disk.
 */
export async function isMountPoint(host: HostReads, dir: string): Promise<boolean> {
  const st = await host.lstat(dir);
  if (st?.kind !== 'directory') return false;
  const parent = await host.lstat(path.dirname(dir));
  return parent === undefined || parent.dev !== st.dev || parent.ino === st.ino;
}
