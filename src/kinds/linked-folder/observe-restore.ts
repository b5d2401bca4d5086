import path from 'node:path';
import type { HostReads } from '../../host/host.js';
import type { MachineFacts } from '../../desired/machine-context.js';
import { observeLinkedFolder } from './observe.js';
import type { LinkedFolderRestoreObserved, LinkRestoreObserved } from './plan-restore.js';
import type { LinkedFolderDesired } from './types.js';

/**
 * What provision restore needs: what a plan observes, and for each link path that is a link,
 * the free space and writability of the folder holding it (the data comes back there) and of
 * the folder holding its target (the target is renamed aside there). Never writes.
 */
export async function observeLinkedFolderRestore(
  host: HostReads,
  ctx: MachineFacts,
  d: LinkedFolderDesired,
): Promise<LinkedFolderRestoreObserved> {
  const base = await observeLinkedFolder(host, ctx, d, { sizeLinkedTarget: true });
  const restore: LinkRestoreObserved[] = [];
  for (const link of base.links) {
    const s = link.state;
    if (s.kind !== 'symlink') {
      restore.push({ targetParentWritable: false });
      continue;
    }
    const r: LinkRestoreObserved = { targetParentWritable: await host.canWrite(path.dirname(s.resolved.host)) };
    const to = d.links.findIndex((l) => ctx.paths.key(l.machine) === ctx.paths.key(s.resolved.machine));
    if (to >= 0) r.pointsAtLink = to;
    const holder = path.dirname(link.path.host);
    const st = await host.lstat(holder);
    if (st !== undefined) {
      r.holder = { dev: st.dev, freeBytes: (await host.statfs(holder)).freeBytes, writable: await host.canWrite(holder) };
    }
    restore.push(r);
  }
  return { ...base, restore };
}
