import { driveMountPoint } from '../../config/effective.js';
import { ownEntry } from '../../config/own-entry.js';
import { parseDrivePath } from '../../config/path-forms.js';
import { quotaGB } from '../../config/quota.js';
import { observeDrive } from '../../drives/observe-drive.js';
import { dual, type MachineContext } from '../../desired/machine-context.js';
import type { MachineResourceKind } from '../../engine/resource-kind.js';
import type { HostReads } from '../../host/host.js';
import { planSamba } from './plan.js';
import type { SambaDesired, SambaObserved, ShareDesired } from './types.js';

/** Where Debian's Samba reads its configuration, and the file provision owns beside it. */
const SMB_CONF = '/etc/samba/smb.conf';
const PROVISION_CONF = '/etc/samba/provision.conf';

/**
 * A quota declared in decimal gigabytes (as Apple counts) in Samba's binary units, rounded down
 * so the share never offers more than declared: 2TB is 1862G.
 */
export function sambaSize(gb: number): string {
  return `${Math.floor((gb * 1e9) / 2 ** 30)}G`;
}

function desireSamba(ctx: MachineContext): SambaDesired[] {
  const config = ctx.loaded.config;
  const shares = ownEntry(config.machines, ctx.name)?.shares;
  if (shares === undefined || ctx.platform !== 'linux') return [];
  const m = ctx.paths.machine;
  const desired: ShareDesired[] = shares.map((s) => {
    const mount = driveMountPoint(config, ctx.name, s.drive);
    if (!mount.ok) throw new Error(`internal: drive ${s.drive} unresolved on ${ctx.name}: ${mount.reason}`);
    const parsed = parseDrivePath(s.path);
    if (!parsed.ok) throw new Error(`internal: share path ${s.path} passed validation but is ${parsed.problem}`);
    const folders = parsed.segments.map((_, i) => dual(ctx, m.join(mount.mountPoint, ...parsed.segments.slice(0, i + 1))));
    const quota = s.timemachine?.quota;
    return {
      name: s.name,
      drive: { name: s.drive, mountPoint: dual(ctx, mount.mountPoint) },
      folder: dual(ctx, m.join(mount.mountPoint, ...parsed.segments)),
      folders,
      users: [...s.users],
      timeMachine: s.timemachine !== undefined,
      ...(quota === undefined ? {} : { maxSize: sambaSize(quotaGB(quota)) }),
    };
  });
  return [
    {
      id: 'shares',
      machine: ctx.name,
      smbConf: dual(ctx, SMB_CONF),
      provisionConf: dual(ctx, PROVISION_CONF),
      shares: desired,
      reload: ctx.paths.root === undefined,
    },
  ];
}

async function readText(host: HostReads, p: string): Promise<string | undefined> {
  if ((await host.lstat(p)) === undefined) return undefined;
  return (await host.readFile(p)).toString('utf8');
}

async function observeSamba(host: HostReads, _ctx: MachineContext, d: SambaDesired): Promise<SambaObserved> {
  const drives = [];
  const existing: boolean[][] = [];
  for (const s of d.shares) {
    drives.push(await observeDrive(host, s.drive));
    const here: boolean[] = [];
    for (const f of s.folders) here.push((await host.lstat(f.host))?.kind === 'directory');
    existing.push(here);
  }
  return { smbConf: await readText(host, d.smbConf.host), provisionConf: await readText(host, d.provisionConf.host), drives, existing };
}

/** A Linux machine's shared folders, served by Samba. */
export const samba: MachineResourceKind<SambaDesired, SambaObserved> = {
  kind: 'shares',
  desire: desireSamba,
  observe: observeSamba,
  plan: planSamba,
};
