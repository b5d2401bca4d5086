import { driveMountPoint, hostnames } from '../../config/model/effective.js';
import { ownEntry } from '../../config/model/own-entry.js';
import { quotaGB } from '../../config/model/quota.js';
import { findShare, parseShareRef, shareAccount } from '../../config/model/share-refs.js';
import { desiredDrive, dual, type MachineContext } from '../../desired/machine-context.js';
import { smbUrl } from './match.js';
import type { TimeMachineDesired, TmDestinationDesired } from './types.js';

/**
 * The host name a Mac reaches another machine by: its first declared name, as a Bonjour name
 * (NAME.local, spaces made dashes) unless it already has a domain. ASSUMPTION: the machines
 * find each other over Bonjour, which macOS and Samba (with Avahi) both announce.
 */
export function smbHost(names: readonly string[]): string {
  const first = names[0] ?? '';
  return first.includes('.') ? first : `${first.replace(/\s+/g, '-')}.local`;
}

/** The machine's declared Time Machine set-up; none for a machine without timemachine: or not a Mac. */
export function desireTimeMachine(ctx: MachineContext): TimeMachineDesired[] {
  const config = ctx.loaded.config;
  const tm = ownEntry(config.machines, ctx.name)?.timemachine;
  if (tm === undefined || ctx.platform !== 'macos') return [];
  const destinations: TmDestinationDesired[] = (tm.destinations ?? []).map((d) => {
    const quota = d.quota === undefined ? {} : { quotaGB: quotaGB(d.quota) };
    if (d.drive !== undefined) {
      const mount = driveMountPoint(config, ctx.name, d.drive);
      if (!mount.ok) throw new Error(`internal: drive ${d.drive} unresolved on ${ctx.name}: ${mount.reason}`);
      const mp = dual(ctx, mount.mountPoint);
      // setdestination gets the mount point as this process sees it (the same on a real Mac).
      return { label: `drive ${d.drive}`, target: mp.host, match: { mountPoint: mp.host }, drive: desiredDrive(ctx, d.drive, mount.mountPoint), ...quota };
    }
    const ref = parseShareRef(d.share);
    const share = findShare(config, ref);
    const hostMachine = ownEntry(config.machines, ref.machine);
    const user = share === undefined ? undefined : shareAccount(config, ctx.name, share);
    if (share === undefined || hostMachine === undefined || user === undefined) throw new Error(`internal: share ${d.share} unresolved`);
    const host = smbHost(hostnames(hostMachine));
    return { label: `share ${ref.machine}/${share.name}`, target: smbUrl(user, host, share.name), match: { user, host, share: share.name }, ...quota };
  });
  return [{ id: 'timemachine', machine: ctx.name, destinations, exclusive: tm.exclusive === true }];
}
