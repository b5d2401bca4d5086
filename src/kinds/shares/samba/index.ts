import { dual, type MachineContext } from '../../../desired/machine-context.js';
import type { MachineResourceKind } from '../../../engine/kind.js';
import type { HostReads } from '../../../host/host.js';
import { planSamba } from './plan.js';
import { desiredShares, observeShareFolders } from '../desire-shares.js';
import type { SambaDesired, SambaObserved } from '../types.js';

/** Where Debian's Samba reads its configuration, and the file provision owns beside it. */
const SMB_CONF = '/etc/samba/smb.conf';
const PROVISION_CONF = '/etc/samba/provision.conf';

function desireSamba(ctx: MachineContext): SambaDesired[] {
  const shares = desiredShares(ctx);
  if (shares === undefined || ctx.platform !== 'linux') return [];
  return [
    {
      id: 'shares',
      machine: ctx.name,
      smbConf: dual(ctx, SMB_CONF),
      provisionConf: dual(ctx, PROVISION_CONF),
      shares,
      reload: ctx.paths.root === undefined,
    },
  ];
}

async function readText(host: HostReads, p: string): Promise<string | undefined> {
  if ((await host.lstat(p)) === undefined) return undefined;
  return (await host.readFile(p)).toString('utf8');
}

async function observeSamba(host: HostReads, _ctx: MachineContext, d: SambaDesired): Promise<SambaObserved> {
  const folders = await observeShareFolders(host, d.shares);
  return { smbConf: await readText(host, d.smbConf.host), provisionConf: await readText(host, d.provisionConf.host), ...folders };
}

/** A Linux machine's shared folders, served by Samba. */
export const samba: MachineResourceKind<SambaDesired, SambaObserved> = {
  kind: 'shares',
  desire: desireSamba,
  observe: observeSamba,
  plan: planSamba,
};
