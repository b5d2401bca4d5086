import { dual, type MachineFacts } from '../../../desired/machine-context.js';
import { stepRunner, type MachineKind } from '../../../engine/kind.js';
import type { DesiredMachine } from '../../../desired/desired-machine.js';
import { SAMBA_KIND } from './kind-id.js';
import type { SambaConfigStep } from './steps.js';
import type { HostReads } from '../../../host/host.js';
import { planSamba } from './plan.js';
import { observeAnnounce } from './announce.js';
import { desiredShares, observeShareFolders } from '../desire-shares.js';
import type { SambaDesired, SambaObserved } from '../types.js';

/** Where Debian's Samba reads its configuration, and the file provision owns beside it. */
const SMB_CONF = '/etc/samba/smb.conf';
const PROVISION_CONF = '/etc/samba/provision.conf';

function desireSamba(ctx: DesiredMachine): SambaDesired[] {
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

async function observeSamba(host: HostReads, ctx: MachineFacts, d: SambaDesired): Promise<SambaObserved> {
  const folders = await observeShareFolders(host, d.shares);
  const smbConf = await readText(host, d.smbConf.host);
  // Asked only when a share is offered to Time Machine: that is what the Macs look for.
  const announce = d.shares.some((s) => s.timeMachine) ? { announce: await observeAnnounce(host, ctx.paths.root !== undefined, smbConf) } : {};
  return { smbConf, provisionConf: await readText(host, d.provisionConf.host), ...folders, ...announce };
}

/** A Linux machine's shared folders, served by Samba. */
export const samba: MachineKind<SambaDesired, SambaObserved> = {
  kind: SAMBA_KIND,
  scope: 'machine',
  // The step runner and health are loaded on use, not by a plan (engine/kind.ts).
  steps: stepRunner<SambaConfigStep>(['samba-config'], async (ctx, step) => (await import('./run-samba-config.js')).runSambaConfig(ctx, step)),
  // testparm checks the configuration before it is switched in; smbcontrol tells a running smbd
  // to read it again, which is skipped under --root, where no smbd of that machine runs here.
  tools: (machine, desired) =>
    desired.length === 0
      ? []
      : [
          { command: 'testparm', neededFor: 'checking the Samba configuration before it is switched in', ifMissing: 'problem' },
          ...(machine.paths.root === undefined ? [{ command: 'smbcontrol', neededFor: 'telling a running smbd to read its configuration again', ifMissing: 'problem' as const }] : []),
        ],
  // Samba's configuration lives in /etc/samba, which only root may write (not under --root).
  needsRoot: (change, machine) => (machine.paths.root === undefined && change.steps.length > 0 ? "Samba's configuration in /etc/samba" : undefined),
  drives: (d) => d.shares.map((s) => ({ drive: s.drive.name, usedBy: `share ${s.name}` })),
  desire: desireSamba,
  health: async (host, machine, d, now) => (await import('../backup-bundles.js')).shareBundleFindings(host, machine, d.shares, now),
  observe: observeSamba,
  plan: planSamba,
};
